"""Match new events against watchlists and write outbox rows.

Every event insert is queued by a trigger (migration 2); each queued event is matched, given a story and
taken off the queue in one transaction, so a re-run or a crash never alerts a (story, watchlist) twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from db.store import event_views
from db.stories import assign_story, event_time
from db.taxonomy import with_broader_technologies
from watchlists.schema import QuietHours, Watchlist
from watchlists.vocab import normalise_hs, vocabulary

BATCH = 200
STORY_WINDOW_DAYS = 14


def _contains(haystack: str, needle: str) -> bool:
    needle = needle.casefold().strip()
    if not needle:
        return False
    if not needle.isascii():  # Chinese/Japanese: no word boundaries to respect
        return needle in haystack
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def event_matches(watchlist: Watchlist, event: dict[str, Any]) -> bool:
    """Every filter the watchlist sets must hold; an empty filter doesn't restrict.

    Lists are OR within themselves; commodities and technologies together form one subject filter.
    A measure aimed at everyone (no targets) matches any `targets` filter, since it hits them too.
    """
    if not watchlist.filters_events:
        return False
    if float(event.get("confidence") or 0) < watchlist.min_confidence:
        return False
    if watchlist.event_types and event.get("event_type") not in watchlist.event_types:
        return False
    if watchlist.direction and event.get("direction") != watchlist.direction:
        return False
    if watchlist.imposing and event.get("imposing") not in watchlist.imposing:
        return False
    targets = set(event.get("targets") or [])
    if watchlist.targets and targets and not targets & set(watchlist.targets):
        return False
    if (watchlist.commodities or watchlist.technologies) and not _subject_matches(watchlist, event):
        return False
    text = f"{event.get('title') or ''}\n{event.get('text') or ''}".casefold()
    if watchlist.entities and not any(_contains(text, n) for e in watchlist.entities for n in e.names):
        return False
    words = watchlist.keywords
    if words.all and not all(_contains(text, w) for w in words.all):
        return False
    if words.any and not any(_contains(text, w) for w in words.any):
        return False
    return not any(_contains(text, w) for w in words.none)


def _subject_matches(watchlist: Watchlist, event: dict[str, Any]) -> bool:
    if _commodity_matches(watchlist.commodity_names, event):
        return True
    if with_broader_technologies(event.get("technologies") or []) & set(watchlist.technologies):
        return True
    if watchlist.hs_codes:
        known = vocabulary().hs_codes
        event_codes = [normalise_hs(c) for c in event.get("hs_codes") or []]
        event_codes += [normalise_hs(known[c]) for c in event.get("commodities") or [] if c in known]
        wanted = [normalise_hs(c) for c in watchlist.hs_codes]
        # Prefix either way: a heading (2805) covers its subheadings; a subheading event is in its heading.
        return any(code.startswith(w) or w.startswith(code) for code in event_codes for w in wanted if code)
    return False


def _commodity_matches(watched: list[str], event: dict[str, Any]) -> bool:
    """A watched commodity matches the same entry, and a specific product the tagger named that falls under
    it: the watched name is a word run of the product's ("steel" in "hot-rolled steel plate", "graphite" in
    "graphite electrodes"), or the watched entry's HS heading holds the product's code (72 holds 7219)."""
    products = event.get("commodities") or []
    if not watched or not products:
        return False
    if set(products) & set(watched):
        return True
    if any(_contains(product.casefold(), name) for product in products for name in watched):
        return True
    known = vocabulary().hs_codes
    headings = [normalise_hs(known[name]) for name in watched if known.get(name)]
    codes = [normalise_hs(c) for c in event.get("hs_codes") or []]
    codes += [normalise_hs(known[p]) for p in products if known.get(p)]
    return any(code.startswith(heading) for code in codes for heading in headings if code and heading)


def quiet_until(quiet: QuietHours | None, now: datetime) -> datetime | None:
    """End of the quiet window when `now` falls inside it, else None."""
    if quiet is None:
        return None
    local = now.astimezone(ZoneInfo(quiet.timezone))
    start = local.replace(hour=quiet.start.hour, minute=quiet.start.minute, second=0, microsecond=0)
    end = local.replace(hour=quiet.end.hour, minute=quiet.end.minute, second=0, microsecond=0)
    if quiet.start <= quiet.end:
        inside = start <= local < end
    else:  # over midnight, e.g. 22:00–07:00
        inside = local >= start or local < end
        if inside and local >= start:
            end += timedelta(days=1)
    return end.astimezone(UTC) if inside else None


def with_hs_codes(db: Database, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for event in events:
        rows = db.execute(
            "SELECT hs_code FROM event_commodities WHERE event_id = ? AND hs_code IS NOT NULL", [event["id"]]
        ).fetchall()
        event["hs_codes"] = [r[0] for r in rows]
        yield event


def match_new_events(db: Database, watchlists: list[Watchlist], *, now: datetime | None = None) -> int:
    """Match queued events; returns the number of outbox rows written."""
    written = 0
    while True:
        ids = [
            r[0]
            for r in db.execute(
                "SELECT event_id FROM alert_match_queue ORDER BY event_id LIMIT ?", [BATCH]
            ).fetchall()
        ]
        if not ids:
            return written
        marks = ",".join("?" * len(ids))
        events = {e["id"]: e for e in with_hs_codes(db, event_views(db, f"e.id IN ({marks})", ids))}
        for event_id in ids:
            with db.conn:  # one event: story, outbox rows and dequeue commit together
                event = events.get(event_id)
                if event is not None:
                    written += _match_one(db, event, watchlists, now or datetime.now(UTC))
                db.execute("DELETE FROM alert_match_queue WHERE event_id = ?", [event_id])


def _match_one(db: Database, event: dict[str, Any], watchlists: list[Watchlist], now: datetime) -> int:
    matching = [w for w in watchlists if event_matches(w, event)]
    if not matching:
        return 0
    # A step of a known proceeding is already in its case's story (signals/prepare.py ran before
    # matching), so assign_story finds it whatever the time since; other events form stories as before.
    story_id = assign_story(db, event, window_days=STORY_WINDOW_DAYS)
    written = 0
    for watchlist in matching:
        kind, thread_of = "digest", None
        if watchlist.delivery == "immediate":
            first = db.execute(
                "SELECT id FROM alerts WHERE watchlist = ? AND story_id = ? AND kind = 'alert'",
                [watchlist.name, story_id],
            ).fetchone()
            kind, thread_of = ("reply", first[0]) if first else ("alert", None)
        hold = quiet_until(watchlist.quiet_hours, now) if watchlist.delivery == "immediate" else None
        cursor = db.execute(
            "INSERT OR IGNORE INTO alerts (watchlist, document_id, event_id, channel, created_at, kind,"
            " story_id, thread_of, next_attempt_at, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                watchlist.name,
                event["document_id"],
                event["id"],
                watchlist.channel,
                now.isoformat(),
                kind,
                story_id,
                thread_of,
                hold.isoformat() if hold else None,
                json.dumps(watchlist.mentions) if kind == "alert" and watchlist.mentions else None,
            ],
        )
        written += cursor.rowcount
    return written


def dry_run(db: Database, watchlist: Watchlist, since: datetime) -> list[dict[str, Any]]:
    """What the watchlist would have matched among stored events since `since`; nothing is written."""
    matched = []
    for event in with_hs_codes(db, event_views(db)):
        if event_time(event) >= since and event_matches(watchlist, event):
            matched.append(event)
    return matched
