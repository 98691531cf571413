"""Signals commands: cases, retaliation links, the escalation index, the partner feed (docs/signals.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from monitor.commands.common import pass_app
from monitor.context import AppContext

TLPS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"]


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date like 2025-01-31", param_hint=name) from exc


def _watchlists(app: AppContext) -> list:  # type: ignore[type-arg]
    from watchlists.loader import load_watchlists

    loaded = load_watchlists(app.watchlists_dir)
    for error in loaded.errors:
        click.echo(f"watchlist error (file skipped): {error}", err=True)
    return list(loaded.watchlists)


@click.group()
def signals() -> None:
    """Early-warning signals: cases, retaliation links, escalation index (see docs/signals.md)."""


@signals.command("update")
@click.option("--until", help="Compute the index up to this day (default today, UTC).")
@click.option("--since", help="Check escalation subscriptions from this day (default: yesterday).")
@pass_app
def update(app: AppContext, until: str | None, since: str | None) -> None:
    """Link new case documents, refresh retaliation links, recompute the index and notify subscribers.

    \b
    Example:
      cwatch signals update --until 2025-05-31
    """
    from monitor.flow import signals_daily as daily

    summary = daily(
        app.db(),
        _watchlists(app),
        until=_day(until, "--until"),
        since=_day(since, "--since"),
        token=app.config.slack_token,
        api_url=app.config.slack.api_url,
        echo=click.echo,
    )
    click.echo(
        f"cases linked {summary.cases_linked}, retaliation links re-scored {summary.retaliation_links},"
        f" index rows {summary.index_rows}, notices queued {summary.notices_queued},"
        f" delivered {summary.notices_delivered}"
    )


@click.command()
@click.argument("case_id", type=int, required=False)
@pass_app
def cases(app: AppContext, case_id: int | None) -> None:
    """List cases (one proceeding each) with their stage, or show one case's steps and documents.

    \b
    Example:
      cwatch cases && cwatch cases 3
    """
    from signals.cases import case_view, list_cases

    db = app.db()
    if case_id is None:
        for row in list_cases(db):
            targets = ", ".join(json.loads(row["targets"])) or "all"
            click.echo(
                f"{row['id']:>4}  {row['imposing'] or '?'} → {targets}  {row['remedy']}  {row['product']}"
                f"  stage {row['stage']}  ({row['updated_at'][:10]})"
            )
        return
    case = case_view(db, case_id)
    if case is None:
        raise click.ClickException(f"no case {case_id}")
    click.echo(
        f"case {case_id}: {case['imposing']} → {', '.join(case['targets'])} {case['remedy']} {case['product']}"
    )
    click.echo(f"  stage {case['stage']}; refs {', '.join(case['refs']) or '-'}")
    for doc in case["documents"]:
        effective = f", from {doc['effective']}" if doc["effective"] else ""
        click.echo(
            f"  {doc['published'][:10]}  {doc['stage']:<11} {doc['title'][:90]}{effective}\n      {doc['url']}"
        )


@click.command()
@click.option(
    "--pair", help="Ordered pair IMPOSING-TARGET, e.g. CN-US (default: the top pairs, latest values)."
)
@click.option("--since", help="First day to print (YYYY-MM-DD).")
@click.option("--only-changes", is_flag=True, help="Print only days on which measures were added.")
@pass_app
def escalation(app: AppContext, pair: str | None, since: str | None, only_changes: bool) -> None:
    """Print the escalation index: the series of one pair, or the latest value of the top pairs.

    \b
    Example:
      cwatch escalation --pair CN-US --since 2024-11-01
    """
    from signals.escalation import parse_pair, stored_series, top_pairs

    db = app.db()
    _day(since, "--since")
    if pair is None:
        for imposing, target, peak in top_pairs(db, limit=20):
            last = stored_series(db, imposing, target, top=False)[-1]
            click.echo(f"{imposing} → {target}  now {last['value']:.2f} ({last['day']})  peak {peak:.2f}")
        return
    try:
        imposing, target = parse_pair(pair)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pair") from exc
    rows = stored_series(db, imposing, target, since=since)
    if not rows:
        raise click.ClickException(f"no index for {imposing} → {target}; run `cwatch signals update` first")
    click.echo("day         index   added  7d change")
    for row in rows:
        if only_changes and not row["added"]:
            continue
        click.echo(f"{row['day']}  {row['value']:>6.2f}  {row['added']:>6.2f}  {row['change_7d']:>+8.1f}%")


@click.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for feed.json (JSON Feed 1.1) and feed.atom (Atom 1.0).",
)
@click.option(
    "--base-url",
    default="https://coercion-watch.invalid/feed/",
    show_default=True,
    help="Where the feed files will be published (their self links).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.8,
    show_default=True,
    help="Machine-tagged events below this are left out (confirmed ones are always in).",
)
@click.option("--default-tlp", type=click.Choice(TLPS), default="TLP:CLEAR", show_default=True)
@click.option(
    "--max-tlp",
    type=click.Choice(TLPS),
    default="TLP:AMBER",
    show_default=True,
    help="Leave out items labelled stricter than this.",
)
@pass_app
def feed(
    app: AppContext, out_dir: Path, base_url: str, min_confidence: float, default_tlp: str, max_tlp: str
) -> None:
    """Write the partner feed (high-confidence or confirmed measures) as JSON Feed and Atom, then check both.

    \b
    Example:
      cwatch feed --out public/ --base-url https://example.org/cwatch/ --max-tlp TLP:GREEN
    """
    from signals.feed import FeedOptions, write_feeds
    from signals.feedcheck import check_atom, check_json_feed

    base = base_url if base_url.endswith("/") else base_url + "/"
    tlp = {w.name: w.sharing for w in _watchlists(app) if w.sharing}
    options = FeedOptions(
        base_url=base, min_confidence=min_confidence, default_tlp=default_tlp, max_tlp=max_tlp
    )
    json_path, atom_path, count = write_feeds(app.db(), out_dir, options, tlp)
    problems = check_json_feed(json_path) + check_atom(atom_path)
    if problems:
        raise click.ClickException("feed is invalid: " + "; ".join(problems[:5]))
    click.echo(f"{count} items; wrote {json_path} and {atom_path}")


@click.command()
@click.argument("document_id")
@click.argument("tlp", type=click.Choice(TLPS))
@pass_app
def share(app: AppContext, document_id: str, tlp: str) -> None:
    """Set the sharing label of one document in the partner feed (overrides its watchlists' label).

    \b
    Example:
      cwatch share 3f9c0a1b2c3d4e5f6a7b8c9d TLP:AMBER
    """
    from signals.feed import set_sharing

    if not set_sharing(app.db(), document_id, tlp):
        raise click.ClickException(f"no document {document_id}")
    click.echo(f"{document_id}: {tlp}")


def register(group: click.Group) -> None:
    for command in (signals, cases, escalation, feed, share):
        group.add_command(command)
