"""The wiring between stages (the only place that joins them): signals prepare before alerts match, and the
outbox items alerts render go out through the one delivery loop (delivery/engine.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from alerts.digest import digest_items
from alerts.items import alert_items
from alerts.matching import match_new_events
from alerts.notices import notice_items
from db.records import OutboxItem
from delivery.engine import DispatchReport, deliver
from delivery.slack import Poster, SlackUnreachable, make_client, upload_file
from signals.jobs import DailySummary, daily
from signals.prepare import prepare_queued
from watchlists.schema import Watchlist

NO_TOKEN = "SLACK_BOT_TOKEN is not set: printing alerts here instead of posting them to Slack."


def check_token(db: Database, token: str, api_url: str | None, timeout_s: float = 10.0) -> str | None:
    """auth.test now: raises SlackAuthError for a token Slack rejects; returns why Slack did not answer, if so."""
    try:
        Poster(db, token, api_url, timeout_s=timeout_s).check_auth()
    except SlackUnreachable as exc:
        return str(exc)
    return None


def match(db: Database, watchlists: list[Watchlist], *, now: datetime | None = None) -> int:
    """Signal facts for the queued events, then matching; returns the number of outbox rows written."""
    prepare_queued(db)
    return match_new_events(db, watchlists, now=now)


def _poster(
    db: Database, token: str | None, api_url: str | None, timeout_s: float, min_interval_s: float
) -> Poster | None:
    return Poster(db, token, api_url, timeout_s=timeout_s, min_interval_s=min_interval_s) if token else None


def dispatch_pending(
    db: Database,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = print,
    timeout_s: float = 10.0,
    min_interval_s: float = 1.0,
    backoff_s: float = 30.0,
    reconcile_after_s: float | None = None,
    limit: int = 500,
    poster: Poster | None = None,
) -> DispatchReport:
    """Deliver the due alerts and thread replies; returns what happened."""
    items = alert_items(db, limit)
    if not token:
        first = next(items, None)
        if first is None:
            return DispatchReport()
        echo(NO_TOKEN)
        items = _chain(first, items)
    return deliver(
        db,
        items,
        poster=poster or _poster(db, token, api_url, timeout_s, min_interval_s),
        echo=echo,
        backoff_s=backoff_s,
        reconcile_after_s=timeout_s + 5.0 if reconcile_after_s is None else reconcile_after_s,
    )


def send_digests(
    db: Database,
    watchlists: list[Watchlist],
    delivery: str,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = print,
    timeout_s: float = 10.0,
    poster: Poster | None = None,
    backoff_s: float = 60.0,
) -> int:
    """Post (or print, without a token) one digest per watchlist with `delivery`; returns how many."""
    report = deliver(
        db,
        digest_items(db, watchlists, delivery),
        poster=poster or _poster(db, token, api_url, timeout_s, 1.0),
        echo=echo,
        reconcile_after_s=timeout_s + 5.0,
        backoff_s=backoff_s,
    )
    return report.delivered


def deliver_notices(
    db: Database,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = print,
    poster: Poster | None = None,
    reconcile_after_s: float = 15.0,
    backoff_s: float = 30.0,
    timeout_s: float = 10.0,
) -> int:
    """Post pending escalation notices (or print them without a token); returns how many were delivered."""
    report = deliver(
        db,
        notice_items(db),
        poster=poster or _poster(db, token, api_url, timeout_s, 1.0),
        echo=echo,
        reconcile_after_s=reconcile_after_s,
        backoff_s=backoff_s,
    )
    return report.delivered


def signals_daily(
    db: Database,
    watchlists: Sequence[Watchlist] = (),
    *,
    until: date | None = None,
    since: date | None = None,
    token: str | None = None,
    api_url: str | None = None,
    echo: Callable[[str], None] = print,
) -> DailySummary:
    """The daily signals job, then delivery of the notices it queued. Also marks a bounded batch of
    documents stored before migration 014, so old English rows leave the trigram index over a few days."""
    from db.script_marks import mark_unmarked

    marked = mark_unmarked(db)
    if marked:
        echo(f"marked the script of {marked} documents stored before migration 014")
    summary = daily(db, watchlists, until=until, since=since)
    summary.notices_delivered = deliver_notices(db, token=token, api_url=api_url, echo=echo)
    return summary


def post_weekly_chart(
    db: Database | str | Path,
    *,
    channel: str,
    token: str,
    api_url: str | None = None,
    weeks: int = 26,  # research/slack_post.py DEFAULT_WEEKS
    now: datetime | None = None,
    timeout_s: float = 30.0,
) -> str:
    """Draw the weekly chart (research) and upload it (delivery); returns the Slack file id."""
    from research.slack_post import weekly_chart  # matplotlib: only the weekly job pays for it

    with weekly_chart(db, weeks=weeks, now=now) as chart:
        return upload_file(
            make_client(token, api_url, timeout_s=timeout_s, for_posting=True),
            channel,
            chart.path,
            title=chart.title,
            comment=chart.comment,
        )


def _chain(first: OutboxItem, rest: Iterator[OutboxItem]) -> Iterator[OutboxItem]:
    yield first
    yield from rest
