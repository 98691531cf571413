"""`cwatch`: the command-line interface. Each command is a short function calling a library function."""

from __future__ import annotations

import click

from monitor.config import load_config
from monitor.context import AppContext


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "db_path", envvar="CWATCH_DB", type=click.Path(dir_okay=False), help="Event store file."
)
@click.option(
    "--watchlists", envvar="CWATCH_WATCHLISTS", type=click.Path(file_okay=False), help="Watchlist folder."
)
@click.option("--config", "config_file", envvar="CWATCH_CONFIG", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def main(ctx: click.Context, db_path: str | None, watchlists: str | None, config_file: str | None) -> None:
    """coercion-watch: early warning of economic coercion.

    \b
    Example:
      cwatch --db events.db run --once
    """
    try:
        config = load_config(config_file, db=db_path, watchlists=watchlists)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"configuration: {exc}") from exc
    ctx.obj = AppContext(config)


def _register_commands() -> None:
    # Each area keeps its commands in monitor/commands/<area>.py and exposes `register(main)`.
    from monitor.commands import ALL

    for register in ALL:
        register(main)


_register_commands()
