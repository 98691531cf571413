"""Alert and watchlist commands: alert, alerts list|show|retry|feedback, watchlist list|validate|test|new."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from monitor.commands.common import pass_app
from monitor.context import AppContext


def _load(app: AppContext) -> list:  # type: ignore[type-arg]
    from watchlists.loader import load_watchlists

    loaded = load_watchlists(app.watchlists_dir)
    for error in loaded.errors:
        click.echo(f"watchlist error (file skipped, others still apply): {error}", err=True)
    return loaded.watchlists


@click.command()
@click.option("--digest", type=click.Choice(["hourly", "daily"]), help="Also send this digest now.")
@pass_app
def alert(app: AppContext, digest: str | None) -> None:
    """Match new events against the watchlists and deliver due alerts (Slack, or the terminal).

    Without SLACK_BOT_TOKEN alerts are printed here and recorded as delivered to the terminal.

    \b
    Example:
      SLACK_BOT_TOKEN=xoxb-… cwatch alert --digest daily
    """
    from delivery.slack import SlackAuthError
    from monitor.flow import dispatch_pending, match, send_digests

    watchlists = _load(app)
    matched = match(app.db(), watchlists)
    try:
        report = dispatch_pending(
            app.db(),
            token=app.config.slack_token,
            api_url=app.config.slack.api_url,
            echo=click.echo,
            timeout_s=app.config.slack.timeout_s,
        )
        digests = 0
        if digest and not report.unreachable:
            digests = send_digests(
                app.db(),
                watchlists,
                digest,
                token=app.config.slack_token,
                api_url=app.config.slack.api_url,
                echo=click.echo,
            )
    except SlackAuthError as exc:
        raise click.ClickException(f"matched {matched} new; {exc}") from None
    click.echo(
        f"matched {matched} new; sent {report.sent}, printed {report.printed}, retrying {report.retried},"
        f" in doubt {report.in_doubt}, failed {report.failed}, waiting {report.waiting}; digests {digests}"
    )
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    if report.unreachable:
        raise SystemExit(1)  # nothing lost (the rest stays pending), but this run did not deliver


@click.group(name="alerts")
def alerts_group() -> None:
    """Inspect and retry the alert outbox."""


@alerts_group.command(name="list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), help="Only this status.")
@click.option("--limit", default=50, show_default=True)
@pass_app
def alerts_list(app: AppContext, status: str | None, limit: int) -> None:
    """Recent outbox rows, newest first.

    \b
    Example:
      cwatch alerts list --status failed
    """
    from db.outbox import outbox_rows

    for row in outbox_rows(app.db(), status, limit):
        error = f"  ({row['last_error']})" if row["last_error"] else ""
        click.echo(
            f"{row['id']:>6} {row['status']:<8}{row['kind']:<7}{row['watchlist']:<28}{row['channel']:<22}"
            f"{(row['title'] or '')[:60]}{error}"
        )


@alerts_group.command(name="show")
@click.argument("alert_id", type=int)
@pass_app
def alerts_show(app: AppContext, alert_id: int) -> None:
    """One outbox row with its document and the message it renders to.

    \b
    Example:
      cwatch alerts show 17
    """
    from alerts.items import alert_view
    from alerts.render import render_alert
    from db.outbox import alert_row

    row = alert_row(app.db(), alert_id)
    if row is None:
        raise click.ClickException(f"no alert {alert_id}")
    view = alert_view(app.db(), row)
    message = render_alert(view, watchlist=row["watchlist"], reply=row["kind"] == "reply")
    click.echo(
        json.dumps(
            {"alert": row, "text": message.text, "blocks": message.blocks},
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )


@alerts_group.command(name="retry")
@click.argument("alert_id", type=int, required=False)
@pass_app
def alerts_retry(app: AppContext, alert_id: int | None) -> None:
    """Queue failed alerts again (or one alert, also one printed to the terminal); `cwatch alert` sends them.

    \b
    Example:
      cwatch alerts retry && cwatch alert
    """
    from delivery.outbox import requeue

    count = requeue(app.db(), alert_id)
    if alert_id is not None and not count:
        raise click.ClickException(f"alert {alert_id} is not failed or printed-only (or doesn't exist)")
    click.echo(f"re-queued {count} alert(s)")


@alerts_group.command(name="feedback")
@click.option("--days", default=7, show_default=True, help="Look at alerts sent this many days back.")
@pass_app
def alerts_feedback(app: AppContext, days: int) -> None:
    """Read 👍/👎 reactions on recent alerts and store them as labels.

    \b
    Example:
      SLACK_BOT_TOKEN=xoxb-… cwatch alerts feedback --days 3
    """
    from delivery.feedback import collect_feedback

    token = app.config.slack_token
    if not token:
        raise click.ClickException("SLACK_BOT_TOKEN is not set: reactions can only be read from Slack")
    labelled = collect_feedback(app.db(), token=token, api_url=app.config.slack.api_url, days=days)
    click.echo(f"labelled {labelled} alert(s)")


@click.group(name="watchlist")
def watchlist_group() -> None:
    """List, validate, dry-run and create watchlists."""


@watchlist_group.command(name="list")
@pass_app
def watchlist_list(app: AppContext) -> None:
    """The watchlists in the folder, with their filters.

    \b
    Example:
      cwatch --watchlists ./watchlists watchlist list
    """
    for w in _load(app):
        subject = ", ".join(w.commodities + w.technologies) or "-"
        click.echo(
            f"{w.name:<28}{w.channel:<22}{w.delivery:<10}{','.join(w.imposing) or '*':<8}"
            f"{','.join(w.event_types) or '*'}  [{subject[:60]}]"
        )


@watchlist_group.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def watchlist_validate(app: AppContext, files: tuple[Path, ...]) -> None:
    """Check watchlist files (default: the whole folder); errors as file:line:column.

    \b
    Example:
      cwatch watchlist validate watchlists/examples/*.yaml
    """
    from watchlists.loader import load_files, load_watchlists

    result = load_files(files) if files else load_watchlists(app.watchlists_dir)
    for error in result.errors:
        click.echo(error, err=True)
    click.echo(f"{len(result.watchlists)} valid, {len(result.errors)} error(s)")
    if result.errors:
        raise SystemExit(1)


def _parse_since(value: str) -> datetime:
    match = re.fullmatch(r"(\d+)([hdw])", value.strip())
    if not match:
        raise click.BadParameter("use a span like 12h, 30d or 4w")
    unit = {"h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
    return datetime.now(UTC) - timedelta(**{unit: int(match.group(1))})


@watchlist_group.command(name="test")
@click.argument("name")
@click.option("--since", default="30d", show_default=True, help="How far back: 12h, 30d, 4w.")
@pass_app
def watchlist_test(app: AppContext, name: str, since: str) -> None:
    """Dry run: what NAME would have matched in stored events; nothing is queued or sent.

    \b
    Example:
      cwatch watchlist test cn-critical-minerals --since 30d
    """
    from alerts.matching import dry_run

    watchlist = next((w for w in _load(app) if w.name == name), None)
    if watchlist is None:
        raise click.ClickException(f"no valid watchlist named {name!r} in {app.watchlists_dir}")
    matched = dry_run(app.db(), watchlist, _parse_since(since))
    for event in matched:
        click.echo(
            f"{(event.get('published') or '')[:10]}  {event['event_type']:<22}{event.get('imposing') or '?'}"
            f" → {','.join(event['targets']) or 'all'}  {(event.get('title') or '')[:70]}"
        )
    click.echo(f"{len(matched)} event(s) would have matched since {since}")


def _type_lines() -> dict[str, str]:
    """The taxonomy's event types for the template's comment, wrapped under each other."""
    import textwrap

    from db.taxonomy import EVENT_TYPES

    lines = textwrap.wrap(", ".join(EVENT_TYPES), 56)
    return {"types": ("\n" + " " * 37 + "# ").join(lines)}


TEMPLATE = """\
# Watchlist {name}. Every filter you set must hold; leave a list empty to not filter on it.
# Quote codes: "NO" is Norway (unquoted NO is read as false), "8112.92" is an HS code (unquoted, a number).
name: {name}
description: What this watchlist is for, in one line
owner: someone@example.org
channel: "#coercion-alerts"          # or a channel id such as C0123ABCD
mentions: []                         # Slack ids: U… (user), S… (user group), or here
event_types: [export_control]        # {types}
direction: restrictive               # restrictive | liberalizing; remove to get both
imposing: ["CN"]                     # ISO codes or names ("China"), or EU
targets: []                          # empty: any target, including measures aimed at everyone
commodities: []                      # names (gallium, 稀土) or quoted HS codes ("2805")
technologies: []                     # semiconductors, advanced computing, lithography, ...
entities: []                         # - {{name: Nexperia, aliases: [安世半导体]}}
keywords: {{all: [], any: [], none: []}}   # AND / OR / NOT on title and text
min_confidence: 0.5
delivery: immediate                  # immediate | hourly | daily
# quiet_hours: {{start: "22:00", end: "07:00", timezone: Europe/Berlin}}
"""


@watchlist_group.command(name="new")
@click.argument("name")
@pass_app
def watchlist_new(app: AppContext, name: str) -> None:
    """Write a commented template for a new watchlist into the watchlist folder.

    \b
    Example:
      cwatch watchlist new eu-steel-safeguards
    """
    from watchlists.schema import WATCHLIST_NAME

    if not WATCHLIST_NAME.match(name):
        raise click.BadParameter("use a lowercase slug such as eu-steel-safeguards", param_hint="NAME")
    path = app.watchlists_dir / f"{name}.yaml"
    if path.exists():
        raise click.ClickException(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(name=name, **_type_lines()), encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then: cwatch watchlist validate {path}")


def register(group: click.Group) -> None:
    for command in (alert, alerts_group, watchlist_group):
        group.add_command(command)
