"""One pipeline stage as its own process, for the crash and concurrency tests (they SIGKILL it at random).

    python tests/hardening/stage_child.py tag DB [SLOW_S [IDLE_S]]       tag untagged documents until none
                                                                        has come for IDLE_S, then exit
    python tests/hardening/stage_child.py dispatch DB SLACK_URL [IDLE_S] match new events, dispatch, likewise
    python tests/hardening/stage_child.py write DB N              store N documents, tag each, match (daemon-like)

Tagging runs nlp.stage.tag_new_documents with a deterministic stand-in for the model, so the
test knows exactly which events every tagged document must have.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import open_db  # noqa: E402
from db.records import DocumentRecord, EventRecord, SourceMeta  # noqa: E402
from db.store import store_document, upsert_source  # noqa: E402

WATCHLIST = """
name: everything-cn
channel: "#hardening"
imposing: ["CN"]
min_confidence: 0.1
"""
TYPES = ("export_control", "tariff", "investigation", "entity_listing")
TARGETS = ("US", "JP", "NL", "KR", "TW")


def expected_events(title: str) -> list[EventRecord]:
    """What the stand-in tagger says about a title: 1-3 events, each with targets and a commodity."""
    h = int(hashlib.sha256(title.encode()).hexdigest(), 16)
    return [
        EventRecord(
            event_type=TYPES[(h >> (4 * i)) % len(TYPES)] if i == 0 else TYPES[(h + i) % len(TYPES)],
            confidence=0.9,
            direction="restrictive",
            imposing="CN",
            stage="announced",
            targets=sorted({TARGETS[(h >> 8) % 5], TARGETS[(h >> (12 + i)) % 5]}),
            commodities=[("gallium", "8112.92")] if (h >> 20) % 2 else [("graphite", None)],
            technologies=["semiconductors"] if (h >> 22) % 2 else [],
        )
        for i in range(1 + (h >> 30) % 3)
    ]


def dedupe(events: list[EventRecord]) -> list[EventRecord]:
    seen: dict[str, EventRecord] = {}
    for event in events:
        seen.setdefault(event.event_type, event)  # one event per (document, type)
    return list(seen.values())


def until_idle(work: Callable[[], bool], idle_s: float, limit_s: float = 60.0) -> bool:
    """Call work() (True while it found something to do) until it has found nothing for idle_s, as the
    daemon's jobs keep polling the store; False if still busy after limit_s."""
    deadline = time.monotonic() + limit_s
    last_busy = time.monotonic()
    while time.monotonic() < deadline:
        if work():
            last_busy = time.monotonic()
        elif time.monotonic() - last_busy >= idle_s:
            return True
        else:
            time.sleep(0.02)
    return False


STAGE_VERSION = "stand-in-stage"  # tag_version of documents tagged through nlp.stage


class StandInTagger:
    """The tagger interface nlp.stage uses (model_version, tag(inputs) -> results), deterministic by title."""

    model_version = STAGE_VERSION

    def __init__(self, slow_s: float) -> None:
        self.slow_s = slow_s

    def tag(self, inputs: list[Any]) -> list[Any]:
        time.sleep(self.slow_s)  # a model takes time: widens the window in which a kill lands mid-batch
        return [SimpleNamespace(events=dedupe(expected_events(d.title)), relevance=0.9, confidence=0.9)
                for d in inputs]  # fmt: skip


def tag(db_path: str, slow_s: float = 0.0, idle_s: float = 0.0) -> int:
    """nlp.stage.tag_new_documents itself (its loop and one transaction per document) with the stand-in
    instead of the model (importing torch would take most of a kill window; nlp.stage imports none)."""
    from nlp.stage import tag_new_documents

    db = open_db(db_path)
    tagger = StandInTagger(slow_s)
    return 0 if until_idle(lambda: tag_new_documents(db, tagger, batch_size=4, limit=4) > 0, idle_s) else 1


def dispatch(db_path: str, api_url: str, idle_s: float = 0.0) -> int:
    from monitor.flow import dispatch_pending
    from monitor.flow import match as match_new_events
    from watchlists.loader import parse_watchlist

    db = open_db(db_path)
    watchlists = parse_watchlist(WATCHLIST, "inline.yaml").watchlists

    def one_round() -> bool:
        queued = db.execute("SELECT count(*) FROM alert_match_queue").fetchone()[0]
        match_new_events(db, watchlists)
        pending = db.execute("SELECT count(*) FROM alerts WHERE status = 'pending'").fetchone()[0]
        dispatch_pending(db, token="xoxb-test", api_url=api_url, echo=lambda _: None, timeout_s=0.5,
                         min_interval_s=0.0, backoff_s=0.05, reconcile_after_s=0.6)  # fmt: skip
        return bool(queued or pending)

    return 0 if until_idle(one_round, idle_s) else 1


def write(db_path: str, n: int, prefix: str = "w") -> int:
    """The daemon's writes, interleaved as its jobs do: store a document, tag it, match, enqueue."""
    from db.store import write_events
    from monitor.flow import match as match_new_events
    from watchlists.loader import parse_watchlist

    db = open_db(db_path)
    upsert_source(db, SourceMeta("hardening", "Hardening", "CN", "en", "official"))
    watchlists = parse_watchlist(WATCHLIST, "inline.yaml").watchlists
    for i in range(n):
        doc = DocumentRecord(source="hardening", url=f"https://www.example.gov.cn/{prefix}/{i}.html",
                             title=f"Writer {prefix} notice {i} on export controls", text=f"Body of notice {i}. " * 20,
                             language="en", published="2025-02-01T00:00:00+08:00",
                             fetched="2025-02-01T01:00:00+00:00")  # fmt: skip
        store_document(db, doc)
        write_events(db, doc.id, dedupe(expected_events(doc.title)), "stand-in")
        if i % 10 == 9:
            match_new_events(db, watchlists)
    match_new_events(db, watchlists)
    return 0


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "tag":
        sys.exit(tag(path, *[float(a) for a in sys.argv[3:5]]))
    if mode == "dispatch":
        sys.exit(dispatch(path, sys.argv[3], *[float(a) for a in sys.argv[4:5]]))
    if mode == "write":
        sys.exit(write(path, int(sys.argv[3]), *sys.argv[4:5]))
    sys.exit(f"unknown mode {mode}")
