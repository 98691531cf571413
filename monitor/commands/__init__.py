"""Command modules. Each exposes `register(group)`; add new modules to ALL."""

from __future__ import annotations

from collections.abc import Callable

import click

from monitor.commands import ops, pipeline

ALL: list[Callable[[click.Group], None]] = [
    pipeline.register,
    ops.register,
]
