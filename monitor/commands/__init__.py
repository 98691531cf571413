"""Command modules. Each exposes `register(group)`; add new modules to ALL."""

from __future__ import annotations

from collections.abc import Callable

import click

from monitor.commands import alerts, ops, pipeline
from monitor.commands import crawl as crawl_commands
from monitor.commands import nlp as nlp_commands
from monitor.commands import research as research_commands
from monitor.commands import signals as signals_commands

ALL: list[Callable[[click.Group], None]] = [
    pipeline.register,
    nlp_commands.register,
    ops.register,
    crawl_commands.register,
    research_commands.register,
    alerts.register,
    signals_commands.register,
]
