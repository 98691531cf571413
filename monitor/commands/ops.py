"""Operations: serve (the daemon), status, config show, backfill."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import click

from db.health import outbox_problems, source_health
from monitor.commands.common import pass_app
from monitor.context import AppContext
from monitor.durations import aligned, human_duration
from monitor.logs import setup_logging


def _known_sources(app: AppContext) -> list:
    """Every spider's source, or only those the configuration enables (unknown slugs are an error)."""
    from crawlers.registry import all_sources

    sources = all_sources()
    enabled = app.config.crawl.sources
    if not enabled:
        return sources
    unknown = sorted(set(enabled) - {s.slug for s in sources})
    if unknown:
        raise click.ClickException(f"crawl.sources names unknown source(s): {', '.join(unknown)}")
    return [s for s in sources if s.slug in enabled]


@click.command()
@pass_app
def serve(app: AppContext) -> None:
    """Run the daemon: every source on its schedule, tagging, alerts, digests, feedback.

    Stops cleanly on SIGTERM or Ctrl-C.

    \b
    Example:
      SLACK_BOT_TOKEN=xoxb-… cwatch --config /etc/cwatch.yaml serve
    """
    from db.store import upsert_source
    from monitor.daemon import Daemon

    setup_logging(app.config.log_level)
    sources = _known_sources(app)
    for source in sources:
        upsert_source(app.db(), source)
    token = app.config.slack_token
    if token:  # a bad token is said once, now, rather than as a failed post per alert
        from delivery.slack import SlackAuthError
        from monitor.flow import check_token

        try:
            down = check_token(app.db(), token, app.config.slack.api_url, app.config.slack.timeout_s)
        except SlackAuthError as exc:
            raise click.ClickException(str(exc)) from None
        if down:
            click.echo(
                f"warning: Slack did not answer auth.test ({down}); alerts wait until it does", err=True
            )
    Daemon(app, sources).serve()


@click.command()
@click.option("--days", default=7, show_default=True, help="Window for latency percentiles.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def status(app: AppContext, days: int, as_json: bool) -> None:
    """Per-source health and publication → alert latency (p50/p95), plus outbox problems.

    \b
    Example:
      cwatch status --days 7
    """
    health = source_health(app.db(), days=days)
    problems = outbox_problems(app.db())
    if as_json:
        click.echo(
            json.dumps({"sources": [h.__dict__ for h in health], "outbox_problems": problems}, indent=2)
        )
        return
    header = ["source", "last run", "result", "items", "fails", "latency p50", "p95"]
    rows = [
        [
            h.slug,
            h.last_run or "-",
            h.last_status or "-",
            _n(h.last_items),
            str(h.failures_in_a_row),
            human_duration(h.latency_p50_s),
            human_duration(h.latency_p95_s),
        ]
        for h in health
    ]
    lines = aligned(header, rows, right=(3, 4, 5, 6))
    click.echo(lines[0])
    for h, line in zip(health, lines[1:], strict=True):
        click.echo(line)
        if h.last_status == "failed" and h.last_reason:
            click.echo(f"    reason: {h.last_reason}")
    if problems:
        click.echo("\noutbox problems:")
        for row in problems:
            click.echo(
                f"  {row['kind']} {row['id']} {row['watchlist']} → {row['channel']}: attempts {row['attempts']},"
                f" {row['last_error']}"
            )


def _n(value: float | int | None) -> str:
    return "-" if value is None else f"{value:.0f}"


@click.group(name="config")
def config_group() -> None:
    """Inspect the effective configuration."""


@config_group.command(name="show")
@pass_app
def config_show(app: AppContext) -> None:
    """Print the effective configuration (file + environment), secrets masked.

    \b
    Example:
      CWATCH_CONFIG=cwatch.yaml cwatch config show
    """
    import yaml

    click.echo(yaml.safe_dump(app.config.masked(), sort_keys=False, allow_unicode=True))


@click.command(name="backfill")
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Earliest publication date.")
@click.option("--source", "sources", multiple=True, help="Only these source slugs (repeatable).")
@pass_app
def backfill_cmd(app: AppContext, since: date, sources: tuple[str, ...]) -> None:
    """Crawl history since a date, source by source; re-run to resume after an interruption.

    \b
    Example:
      cwatch backfill --since 2024-01-01 --source us_federal_register
    """
    from db.backfill import backfill, pending_sources
    from monitor.pipeline import crawl_stage

    slugs = list(sources) or [s.slug for s in _known_sources(app)]
    since_text = since.strftime("%Y-%m-%d")
    todo = pending_sources(app.db(), since_text, slugs)
    if len(todo) < len(slugs):
        click.echo(
            f"resuming: {len(slugs) - len(todo)} of {len(slugs)} sources already done since {since_text}"
        )

    def crawl(slugs_: Sequence[str], since_: str) -> list[dict]:
        return crawl_stage(app, slugs_, since=since_)

    with click.progressbar(length=len(todo), label="backfill", show_pos=True) as bar:
        results = backfill(app.db(), since_text, todo, crawl, progress=lambda _slug: bar.update(1))
    for result in results:
        click.echo(
            f"  {result['slug']}: {result['status']} new {result.get('new', 0)}"
            + (f" ({result['reason']})" if result.get("reason") else "")
        )


def register(group: click.Group) -> None:
    for command in (serve, status, config_group, backfill_cmd):
        group.add_command(command)
