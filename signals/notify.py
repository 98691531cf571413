"""Escalation subscriptions: watchlists' `escalation` rules checked against the stored index, notices
queued once per (watchlist, pair, rule, day) and delivered like alerts (claim, post, record the ts).

Edge-triggered: `crosses: X` fires on the day the index goes from below X to X or more; `rises_pct: Y` on
the day the 7-day change first reaches Y %. A notice whose post is in doubt (timeout, crash) is looked up
in the channel history by its metadata key before it is posted again, as alerts/dispatch.py does.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackClientError
from sqlite_utils import Database

from alerts import outbox
from alerts.render import HEADER_MAX, SECTION_MAX, Message, cut, escape_mrkdwn, safe_url
from alerts.slack_client import Poster
from alerts.stories import parse_time
from signals.escalation import parse_pair, stored_series
from watchlists.schema import Watchlist

RECONCILE_AFTER_S = 15.0


def rule_name(crosses: float | None, rises_pct: float | None) -> list[str]:
    return ([f"crosses:{crosses:g}"] if crosses is not None else []) + (
        [f"rises:{rises_pct:g}"] if rises_pct is not None else []
    )


def fired(rule: str, previous: dict[str, Any] | None, today: dict[str, Any]) -> bool:
    kind, level = rule.split(":", 1)
    limit = float(level)
    if kind == "crosses":
        return today["value"] >= limit and (previous is None or previous["value"] < limit)
    change = today.get("change_7d")
    before = previous.get("change_7d") if previous else None
    return change is not None and change >= limit and (before is None or before < limit)


def queue_notices(db: Database, watchlists: list[Watchlist], *, since: date, until: date) -> int:
    """Queue a notice for every rule that fired on a day in [since, until]; returns how many are new."""
    queued = 0
    now = outbox.now_iso()
    for watchlist in watchlists:
        for sub in watchlist.escalation:
            imposing, target = parse_pair(sub.pair)
            rows = stored_series(
                db, imposing, target, since=(since - timedelta(days=1)).isoformat(), until=until.isoformat()
            )
            for previous, today in zip([None, *rows], rows, strict=False):
                if today["day"] < since.isoformat():
                    continue
                for rule in rule_name(sub.crosses, sub.rises_pct):
                    if not fired(rule, previous, today):
                        continue
                    with db.conn:
                        cursor = db.execute(
                            "INSERT OR IGNORE INTO escalation_notices (watchlist, channel, imposing, target,"
                            " rule, day, value, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [
                                watchlist.name,
                                watchlist.channel,
                                imposing,
                                target,
                                rule,
                                today["day"],
                                today["value"],
                                json.dumps(today, ensure_ascii=False),
                                now,
                            ],
                        )
                    queued += cursor.rowcount
    return queued


def render_notice(notice: dict[str, Any]) -> Message:
    detail = json.loads(notice["detail"])
    kind, level = notice["rule"].split(":", 1)
    what = f"crossed {level}" if kind == "crosses" else f"rose {detail.get('change_7d', 0):.0f}% in 7 days"
    head = cut(f"Escalation: {notice['imposing']} → {notice['target']} {what}", HEADER_MAX)
    lines = [
        f"*Index {detail['value']:.2f}* on {notice['day']} (7-day change {detail.get('change_7d', 0):+.0f}%)."
    ]
    for item in detail.get("top") or []:
        title = escape_mrkdwn(cut(" ".join(str(item.get("title") or "").split()), 200))
        url = safe_url(item.get("url"))
        lines.append(
            f"• {f'<{url}|{title}>' if url else title} ({item.get('since')}, weight {item['weight']:.2f})"
        )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": head, "emoji": False}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": cut("\n".join(lines), SECTION_MAX), "verbatim": True},
        },
        {"type": "context", "elements": [{"type": "plain_text", "text": f"watchlist {notice['watchlist']}"}]},
    ]
    return Message(text=escape_mrkdwn(head), blocks=blocks)


def deliver_notices(
    db: Database,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = print,
    poster: Poster | None = None,
    reconcile_after_s: float = RECONCILE_AFTER_S,
) -> int:
    """Post pending notices (or print them without a token); returns how many were delivered."""
    rows = list(db.query("SELECT * FROM escalation_notices WHERE status = 'pending' ORDER BY id"))
    delivered = 0
    if rows and token:
        poster = poster or Poster(db, token, api_url)
    instance = outbox.instance_id(db)
    for row in rows:
        message = render_notice(row)
        if not token or poster is None:
            echo(message.text)
            _finish(db, row["id"], "sent", outbox.TERMINAL_TS)
            delivered += 1
            continue
        key = f"{instance}:escalation:{row['id']}"
        if row["claimed_at"]:
            claimed = parse_time(row["claimed_at"])
            if claimed and time.time() - claimed.timestamp() < reconcile_after_s:
                continue  # an earlier post may still be in flight
            try:
                found = poster.find_posted(row["channel"], key, (claimed.timestamp() if claimed else 0) - 300)
            except (SlackClientError, OSError):
                continue  # never post while unsure whether it already went out
            if found:
                _finish(db, row["id"], "sent", found)
                delivered += 1
                continue
        with db.conn:
            claimed_ok = db.execute(
                "UPDATE escalation_notices SET claimed_at = ? WHERE id = ? AND status = 'pending'",
                [outbox.now_iso(), row["id"]],
            ).rowcount
        if not claimed_ok:
            continue
        outcome = poster.post(row["channel"], message, key=key)
        if outcome.result == "sent":
            _finish(db, row["id"], "sent", str(outcome.ts))
            delivered += 1
        elif outcome.result == "failed":
            _finish(db, row["id"], "failed", None, outcome.error)
        elif outcome.result == "retry":
            with db.conn:  # certainly not posted: free to try again next run
                db.execute(
                    "UPDATE escalation_notices SET claimed_at = NULL, last_error = ? WHERE id = ?",
                    [str(outcome.error)[:500], row["id"]],
                )
    return delivered


def _finish(db: Database, notice_id: int, status: str, ts: str | None, error: str | None = None) -> None:
    with db.conn:
        db.execute(
            "UPDATE escalation_notices SET status = ?, slack_ts = ?, last_error = ?, claimed_at = NULL WHERE id = ?",
            [status, ts, (error or "")[:500] or None, notice_id],
        )


def today() -> date:
    return datetime.now(UTC).date()
