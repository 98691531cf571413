"""The retaliation pass (candidates by reverse pair and public date, read once per pass) stores exactly the
links the plain computation gives (tests/signals/retaliation_oracle.py), on a real store of a few hundred
events: window edges to the second, publisher offsets, Federal Register filing and signing lines, story
reports that date a measure earlier, documents with two events, ties, liberalizing measures."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from db.event_scan import DOC_DATE
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import event_views, open_db, store_document, upsert_source, write_events
from db.stories import add_member, create_story
from signals.retaliation import link_responses, relink_later
from signals.retaliation_passes import link_all, link_recent
from tests.signals import retaliation_oracle as oracle

COUNTRIES = ["CN", "US", "EU", "JP"]
TYPES = ["export_control", "entity_listing", "investigation", "tariff", "market_access"]
ITEMS = ["gallium", "germanium", "steel", "pork", "rare earths"]
TECH = ["semiconductors", "drones", "advanced computing"]
OFFSETS = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]
WASHINGTON = ZoneInfo("America/New_York")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
NOW = datetime.now(UTC).replace(microsecond=0)


def _add(
    db: Database,
    key: str,
    published: datetime | None,
    events: list[EventRecord],
    text: str = "Notice.",
    source: str = "news_wire",
) -> str:
    fetched = (published or NOW - timedelta(days=30)).astimezone(UTC)
    doc = DocumentRecord(source, f"https://example.org/{key}", f"notice {key}", text, "en",
                         published.isoformat() if published else None, fetched.isoformat())  # fmt: skip
    store_document(db, doc)
    write_events(db, doc.id, events, "test")
    return doc.id


def _restrictive(
    imposing: str | None, targets: list[str], kind: str = "tariff", items=(), tech=()
) -> EventRecord:
    return EventRecord(kind, 0.9, "restrictive", imposing, "announced", targets, [(i, None) for i in items],
                       list(tech))  # fmt: skip


def _edges(db: Database) -> None:
    """A US measure against CN at T and CN measures around the edges of its 90-day window."""
    t = NOW - timedelta(days=20)
    _add(db, "edge-new", t, [_restrictive("US", ["CN"], "export_control", ["gallium"])])
    for name, before in (("at-90d", timedelta(days=90)), ("past-90d", timedelta(days=90, seconds=1)),
                         ("same-time", timedelta(0)), ("a-second-before", timedelta(seconds=1)),
                         ("a-day-before", timedelta(days=1))):  # fmt: skip
        _add(db, f"edge-{name}", t - before, [_restrictive("CN", ["US"], "export_control", ["gallium"])])
    # published after T but filed in Washington two days before: a candidate by its public date
    filed = (t - timedelta(days=2)).astimezone(WASHINGTON)
    line = f"[FR Doc. 2025-00001 Filed {filed.month}-{filed.day}-{filed.year % 100}; 4:15 pm]"
    _add(db, "edge-filed-before", t + timedelta(days=3), [_restrictive("CN", ["US"])], f"Rule.\n{line}",
         "us_federal_register")  # fmt: skip
    # signed 30 days before its publication: outside the documented bound of the lookup (STORY_REACH_DAYS)
    signed = t - timedelta(days=10)
    _add(db, "edge-signed-long-before", t + timedelta(days=20), [_restrictive("CN", ["US"])],
         f"Dated: {MONTHS[signed.month - 1]} {signed.day}, {signed.year}", "us_federal_register")  # fmt: skip
    # the same offset-shifted instant as the window's start, written in another zone
    _add(db, "edge-at-90d-tokyo", (t - timedelta(days=90)).astimezone(OFFSETS[3]),
         [_restrictive("CN", ["US", "JP"], "entity_listing", [], ["drones"])])  # fmt: skip
    # a document with two events (one link per document: its best event)
    _add(db, "edge-two-events", t - timedelta(days=5),
         [_restrictive("CN", ["US"], "tariff", ["gallium"]), _restrictive("CN", ["US"], "export_control")])  # fmt: skip
    # ties: same subjects and instant, ranked by event id
    for i in range(3):
        _add(db, f"edge-tie-{i}", t - timedelta(days=7), [_restrictive("CN", ["US"], "tariff", ["steel"])])
    _add(db, "edge-liberalizing", t - timedelta(days=3),
         [EventRecord("tariff", 0.9, "liberalizing", "CN", "announced", ["US"])])  # fmt: skip
    _add(db, "edge-no-imposing", t - timedelta(days=3), [_restrictive(None, ["US"])])
    _add(db, "edge-no-target", t - timedelta(days=3), [_restrictive("CN", [])])


def _random(db: Database, n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    ids = []
    for i in range(n):
        when = (NOW - timedelta(days=rng.randint(0, 220), hours=rng.randint(0, 23))).astimezone(
            rng.choice(OFFSETS)
        )
        text, source = "Notice.", rng.choice(["news_wire", "cn_mofcom"])
        roll = rng.random()
        if roll < 0.2:
            filed = (when - timedelta(days=rng.randint(0, 5))).astimezone(WASHINGTON)
            hour = rng.randint(1, 12)
            text = (f"Rule text.\n[FR Doc. 2025-{i:05d} Filed {filed.month}-{filed.day}-{filed.year % 100};"
                    f" {hour}:{rng.randint(0, 59):02d} {rng.choice('ap')}m]")  # fmt: skip
            source = "us_federal_register"
        elif roll < 0.3:
            signed = when - timedelta(days=rng.randint(0, 20))
            text, source = (
                f"Dated: {MONTHS[signed.month - 1]} {signed.day}, {signed.year}",
                "us_federal_register",
            )
        events = []
        for kind in rng.sample(TYPES, rng.choice([1, 1, 1, 2])):  # one event per type and document
            imposing, *others = rng.sample(COUNTRIES, 3)
            events.append(
                EventRecord(
                    kind,
                    0.9,
                    "restrictive" if rng.random() < 0.9 else "liberalizing",
                    imposing,
                    "announced",
                    others[: rng.choice([1, 1, 2])],
                    [(c, None) for c in rng.sample(ITEMS, rng.choice([0, 1, 1, 2]))],
                    rng.sample(TECH, rng.choice([0, 0, 1])),
                )  # fmt: skip
            )
        ids.append(_add(db, f"r{i}", None if rng.random() < 0.03 else when, events, text, source))
    return ids


def _stories(db: Database, ids: list[str], seed: int = 17) -> None:
    """Stories over random documents: a member reported earlier (within 14 days) dates the others."""
    rng = random.Random(seed)
    with db.conn:
        for _ in range(40):
            members = rng.sample(ids, 3)
            first = next(event_views(db, "e.document_id = ?", [members[0]]))
            story = create_story(db, first, set(), str(first["published"] or first["fetched"]))
            for doc in members:
                for event in event_views(db, "e.document_id = ?", [doc]):
                    add_member(db, story, event)


def _sourced(path: Path) -> Database:
    """A new store with the three sources the random documents come from."""
    db = open_db(path)
    upsert_source(db, SourceMeta("us_federal_register", "Federal Register", "US", "en", "official"))
    upsert_source(db, SourceMeta("cn_mofcom", "商务部", "CN", "zh", "official"))
    upsert_source(db, SourceMeta("news_wire", "Trade news wire", "XX", "en", "news"))
    return db


def random_store(path: Path, n: int, seed: int, story_seed: int) -> Database:
    """A store of `n` random documents (seeded) with stories over them."""
    db = _sourced(path)
    _stories(db, _random(db, n, seed=seed), seed=story_seed)
    return db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = _sourced(tmp_path_factory.mktemp("retaliation") / "store.db")
    _edges(db)
    _stories(db, _random(db, 360))
    return db


def _clear(db: Database) -> None:
    with db.conn:
        db.execute("DELETE FROM retaliation_links")


def test_the_store_has_what_the_comparison_needs(store: Database) -> None:
    restrictive = store.execute("SELECT count(*) FROM events WHERE direction = 'restrictive'").fetchone()[0]
    assert restrictive > 300
    assert store.execute("SELECT count(DISTINCT story_id) FROM story_members").fetchone()[0] == 40
    expected = oracle.links(store)
    assert len({link[0] for link in expected}) > 150  # most events have a cause to rank
    bases = {basis for link in expected for basis in (link[5].split('"public_basis": ')[1].split('"')[1],)}
    assert {"Federal Register public inspection", "signing date in the Federal Register"} <= bases
    assert any("earliest report of its story" in link[5] for link in expected)


def test_link_all_stores_the_plain_links(store: Database) -> None:
    _clear(store)
    link_all(store)
    expected = oracle.links(store)
    assert oracle.stored(store) == expected
    edge = store.execute(
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.url LIKE '%/edge-new'"
    ).fetchone()[0]
    priors = {
        store.execute(
            "SELECT substr(d.url, 21) FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = ?",
            [p],
        ).fetchone()[0]
        for (e, p, *_rest) in expected
        if e == edge
    }
    assert "edge-past-90d" not in priors and "edge-same-time" not in priors
    assert "edge-signed-long-before" not in priors


def test_edges_of_the_window_are_candidates_exactly(store: Database) -> None:
    from signals.retaliation import candidates

    (new,) = event_views(store, "d.url LIKE '%/edge-new'")
    found = {str(row["url"]).rsplit("/", 1)[1] for row in candidates(store, new)}
    assert {"edge-at-90d", "edge-at-90d-tokyo", "edge-a-second-before", "edge-a-day-before",
            "edge-filed-before", "edge-two-events", "edge-tie-0"} <= found  # fmt: skip
    assert not found & {"edge-past-90d", "edge-same-time", "edge-liberalizing", "edge-signed-long-before",
                        "edge-no-imposing", "edge-no-target"}  # fmt: skip


def test_link_recent_stores_the_plain_links_of_the_recent_events(store: Database) -> None:
    _clear(store)
    since = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    recent = {
        int(r[0])
        for r in store.execute(
            f"SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE {DOC_DATE} >= ?",
            [since],
        ).fetchall()
    }
    link_recent(store)
    assert oracle.stored(store) == oracle.links(store, recent)
    assert 0 < len({link[0] for link in oracle.stored(store)}) < len(recent)


def test_one_event_at_a_time_gives_the_same_links(store: Database) -> None:
    _clear(store)
    events = list(event_views(store, "e.direction = 'restrictive'"))
    with store.conn:
        for event in events:
            link_responses(store, event)
    assert oracle.stored(store) == oracle.links(store)


def test_relinking_the_answers_of_a_measure_gives_their_plain_links(store: Database) -> None:
    _clear(store)
    events = list(event_views(store, "e.direction = 'restrictive' AND e.imposing IS NOT NULL"))[::7]
    with store.conn:
        for event in events:
            relink_later(store, event)
    answered = {link[0] for link in oracle.stored(store)}
    assert len(answered) > 20
    assert oracle.stored(store) == oracle.links(store, answered)
