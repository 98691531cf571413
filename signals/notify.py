"""Escalation subscriptions: watchlists' `escalation` rules checked against the stored index, notices
queued once per (watchlist, pair, rule, day) into escalation_notices; alerts/notices.py renders them and
delivery/engine.py posts them exactly once, like alerts.

Edge-triggered: `crosses: X` fires on the day the index goes from below X to X or more; `rises_pct: Y` on
the day the 7-day change first reaches Y %.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.outbox import now_iso
from signals.escalation import parse_pair, stored_series
from watchlists.schema import Watchlist


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
    now = now_iso()
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


def today() -> date:
    return datetime.now(UTC).date()
