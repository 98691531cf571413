"""Shared decorator: every command accepts the global options too (`cwatch tag --db X` works like
`cwatch --db X tag`) and receives the AppContext."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from monitor.config import load_config
from monitor.context import AppContext

F = TypeVar("F", bound=Callable[..., Any])


def pass_app(func: F) -> F:
    """Add --db/--watchlists/--config to a command and pass the AppContext as first argument."""

    @click.option(
        "--config",
        "config_file",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help="Configuration file (env CWATCH_CONFIG).",
    )
    @click.option(
        "--watchlists",
        "watchlists_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Watchlist folder (env CWATCH_WATCHLISTS).",
    )
    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Event store file (env CWATCH_DB).",
    )
    @click.pass_context
    @functools.wraps(func)
    def wrapper(
        ctx: click.Context,
        *args: Any,
        db_path: str | None,
        watchlists_dir: str | None,
        config_file: str | None,
        **kwargs: Any,
    ) -> Any:
        app: AppContext = ctx.ensure_object(AppContext) if ctx.obj is not None else _fresh()
        if db_path or watchlists_dir or config_file:
            try:
                config = load_config(config_file) if config_file else app.config.model_copy(deep=True)
            except (OSError, ValueError) as exc:
                raise click.ClickException(f"configuration: {exc}") from exc
            if db_path:
                config.db = db_path
            if watchlists_dir:
                config.watchlists = watchlists_dir
            app = AppContext(config)
        return func(app, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _fresh() -> AppContext:
    return AppContext(load_config())
