"""Research commands: browse, query, search, export, report."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

import click

from db.queries import EventFilter
from db.taxonomy import EVENT_TYPES as MEASURE_TYPES
from monitor.commands.common import pass_app
from monitor.context import AppContext

EVENT_TYPES = [*MEASURE_TYPES, "none"]
TYPE_OPTION = click.option(
    "--type", "types", multiple=True, type=click.Choice(EVENT_TYPES), help="Measure type (repeatable)."
)
IMPOSING_OPTION = click.option(
    "--imposing",
    multiple=True,
    metavar="CC",
    help="Imposing country: ISO alpha-2, EU or a name such as China (repeatable).",
)


def _since(value: str | None) -> str | None:
    """Accept YYYY-MM-DD (or YYYY-MM); compared as text against ISO dates in the store."""
    if value is None:
        return None
    try:
        date.fromisoformat(value if len(value) > 7 else f"{value}-01")
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date like 2025-01-31", param_hint="--since") from exc
    return value


def _store(app: AppContext) -> Path:
    if not app.db_path.exists():
        raise click.ClickException(f"no event store at {app.db_path} (set --db or CWATCH_DB)")
    return app.db_path


@click.command()
@click.argument("sql")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True)
@pass_app
def query(app: AppContext, sql: str, fmt: str, max_rows: int) -> None:
    """Run one read-only SQL statement against the store. Writes are refused.

    \b
    Example:
      cwatch query "SELECT imposing, count(*) FROM events GROUP BY imposing" --format csv
    """
    from research.formats import render
    from research.readonly import ReadOnlyViolation, run_query

    try:
        result = run_query(_store(app), sql, max_rows=max_rows)
    except ReadOnlyViolation as exc:
        raise click.ClickException(f"refused: {exc}") from exc
    except sqlite3.Error as exc:
        raise click.ClickException(f"SQL error: {exc}") from exc
    click.echo(render(fmt, result.columns, result.rows).rstrip("\n"))
    if result.truncated:
        click.echo(f"(stopped at {max_rows} rows; raise --max-rows for more)", err=True)


@click.command()
@click.argument("text")
@TYPE_OPTION
@IMPOSING_OPTION
@click.option("--since", help="Only documents dated on or after this day (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@pass_app
def search(
    app: AppContext,
    text: str,
    types: tuple[str, ...],
    imposing: tuple[str, ...],
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of documents (any language), best matches first, with snippets.

    Text is searched literally: quotes, *, OR and NEAR are not operators.

    \b
    Example:
      cwatch search "出口管制" --imposing CN --since 2025-01-01
    """
    import json
    from dataclasses import asdict

    from research.formats import CONTROL
    from research.readonly import open_guarded
    from research.search import search as run_search

    db, _guard = open_guarded(_store(app))
    try:
        hits = run_search(db, text, types=types, imposing=imposing, since=_since(since), limit=limit)
    except ValueError as exc:  # SearchInputError: not UTF-8, unknown country name
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no matches")
        return
    if hits[0].ranking == "newest":
        click.echo("too many matches to rank: the newest first (add a term to rank by relevance)")
    for hit in hits:
        kinds = ", ".join(hit.event_types) or "untagged"
        click.echo(f"{(hit.published or '')[:10]:10}  {CONTROL.sub(' ', hit.title)[:100]}  [{kinds}]")
        click.echo(f"            {CONTROL.sub(' ', hit.snippet)}")
        click.echo(f"            {hit.url}")


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default="jsonl", show_default=True
)
@click.option("--since", help="Only events dated on or after this day (YYYY-MM-DD).")
@TYPE_OPTION
@IMPOSING_OPTION
@click.option("--target", multiple=True, metavar="CC", help="Targeted country, code or name (repeatable).")
@click.option("--with-text", is_flag=True, help="Include each document's full text.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output.",
)
@pass_app
def export(
    app: AppContext,
    fmt: str,
    since: str | None,
    types: tuple[str, ...],
    imposing: tuple[str, ...],
    target: tuple[str, ...],
    with_text: bool,
    out_file: Path | None,
) -> None:
    """Export events with their documents, stable keys and source URLs.

    \b
    Example:
      cwatch export --format csv --since 2025-01-01 --imposing US --target CN --out us-cn.csv
    """
    from research.export import export_events, export_to_file
    from research.readonly import open_guarded

    flt = EventFilter(since=_since(since), types=types, imposing=imposing, targets=target)
    db, _guard = open_guarded(_store(app))
    try:
        if out_file:
            count = export_to_file(db, fmt, out_file, flt, with_text=with_text)
            click.echo(f"wrote {count} events to {out_file}", err=True)
        else:
            export_events(db, fmt, sys.stdout, flt, with_text=with_text)
    except ValueError as exc:  # ExportError (file), SearchInputError (unknown country name)
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()


@click.command()
@click.option("--since", help="Only measures dated on or after this day (YYYY-MM-DD).")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PNG charts and index.html.",
)
@click.option(
    "--slack-channel",
    help="Also post the main chart to this Slack channel id "
    "(default: report_channel from the config when set; token from SLACK_BOT_TOKEN).",
)
@click.option("--no-slack", is_flag=True, help="Do not post even when report_channel is configured.")
@click.option(
    "--console",
    "console_url",
    help="The store's URL in `cwatch browse`, for links beside each table "
    "(default: http://127.0.0.1:8001/<store file name without .db>).",
)
@pass_app
def report(
    app: AppContext,
    since: str | None,
    out_dir: Path,
    slack_channel: str | None,
    no_slack: bool,
    console_url: str | None,
) -> None:
    """Write charts (measures per month by type, imposing × target heatmap, top commodities and
    technologies) and a one-page HTML report.

    \b
    Example:
      cwatch report --since 2025-01-01 --out report/ && xdg-open report/index.html
    """
    from delivery.slack import make_client, upload_file
    from research.readonly import open_guarded
    from research.report import build_report

    store = _store(app)
    console = console_url or f"http://127.0.0.1:8001/{Path(store).stem}"
    db, _guard = open_guarded(store)
    try:
        made = build_report(db, out_dir, since=_since(since), console=console)
    finally:
        db.conn.close()
    click.echo(f"{made.measures} measures; wrote {len(made.charts)} charts and {made.html_path}")
    channel = None if no_slack else (slack_channel or app.config.report_channel)
    if not channel:
        return
    token = app.config.slack_token
    if not token:
        raise click.ClickException("posting to Slack needs SLACK_BOT_TOKEN in the environment")
    from slack_sdk.errors import SlackApiError, SlackClientError

    try:
        client = make_client(
            token, app.config.slack.api_url, timeout_s=app.config.slack.timeout_s, for_posting=True
        )
        file_id = upload_file(
            client,
            channel,
            made.main_chart.path,
            title=made.main_chart.title,
            comment=f"coercion-watch: {made.measures} measures" + (f" since {since}" if since else ""),
        )
    except (SlackApiError, SlackClientError, OSError) as exc:
        raise click.ClickException(f"Slack upload failed: {exc}") from exc
    click.echo(f"posted {made.main_chart.path.name} to {channel} (file {file_id})")


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@pass_app
def browse(app: AppContext, port: int) -> None:
    """Open the store read-only in Datasette on http://127.0.0.1:PORT (stored queries, facets, search).

    \b
    Example:
      cwatch browse --port 8001
    """
    from research.console import serve

    path = _store(app)
    click.echo(f"serving {path} read-only on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    serve(path, port=port)


def register(group: click.Group) -> None:
    for command in (browse, query, search, export, report):
        group.add_command(command)
