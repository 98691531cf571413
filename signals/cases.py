"""Cases: the documents of one proceeding (an anti-dumping investigation, a Section 232 probe…) linked
into a case whose stage follows the proceeding's lifecycle (signals/cues.py: application → initiation →
preliminary → final → review / expiry / lifted).

A document joins a case by a shared reference (a case number such as A-570-123, or a MOFCOM notice the
document cites: the final ruling cites the initiation notice), else by the same key: imposing country,
remedy kind, product and overlapping targets. The case stage is the stage of its latest document.

Functions here never commit: signals/prepare.py calls `case_story` in one transaction per event before
alerts/matching.py runs, so the case's story is in story_members when the matcher assigns stories.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.store import event_views
from db.stories import add_member, create_story, event_time, parse_time, story_keys
from signals import cues

CASE_TYPES = {"investigation", "tariff"}
KEY_WINDOW = timedelta(days=6 * 365)  # expiry reviews come five years after the final ruling
MIN_TARGET_OVERLAP = 0.5


@dataclass(frozen=True)
class CaseLink:
    case_id: int
    stage: str
    previous_stage: str | None  # the case's stage before this document; None for a new case
    linked_by: str

    @property
    def stage_changed(self) -> bool:
        return self.previous_stage != self.stage


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _document(db: Database, document_id: str) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "SELECT id, title, text, notice_number, published, fetched FROM documents WHERE id = ?",
            [document_id],
        )
    )
    return rows[0] if rows else None


def existing_link(db: Database, document_id: str) -> CaseLink | None:
    row = db.execute(
        "SELECT case_id, stage, linked_by FROM case_documents WHERE document_id = ?", [document_id]
    ).fetchone()
    return CaseLink(int(row[0]), row[1], row[1], row[2]) if row else None


def link_document(db: Database, document_id: str) -> CaseLink | None:
    """Put a tagged document into its case (creating the case) if it is a step of a proceeding.

    Idempotent: a document already linked keeps its case. Call inside the caller's transaction."""
    if known := existing_link(db, document_id):
        return known
    doc = _document(db, document_id)
    if doc is None:
        return None
    db.execute("INSERT OR IGNORE INTO case_scan (document_id) VALUES (?)", [document_id])
    events = list(event_views(db, "e.document_id = ?", [document_id]))
    title, text = str(doc["title"] or ""), str(doc["text"] or "")
    refs = cues.references(title, text, doc["notice_number"])
    numbered = {r for r in refs if not r.startswith("商务部公告")}
    if not events or not (numbered or any(e["event_type"] in CASE_TYPES for e in events)):
        return None
    stage = cues.case_stage(title, text)
    kind = cues.remedy(title, text) or cues.case_remedy_from_number(refs)
    if stage is None or kind is None:
        return None
    main = max(events, key=lambda e: (e["event_type"] in CASE_TYPES, float(e["confidence"] or 0)))
    products = sorted({c for e in events for c in e["commodities"]})
    targets = sorted({t for e in events for t in e["targets"]})
    when = event_time({**main, "published": doc["published"], "fetched": doc["fetched"]})
    case_id, linked_by = _find_case(db, main.get("imposing"), kind, products, targets, refs, when)
    previous = None
    if case_id is None:
        if not products:
            return None  # no product and no known reference: nothing would tell two cases apart
        cursor = db.execute(
            "INSERT INTO cases (imposing, remedy, product, targets, refs, title, stage, stage_rank,"
            " first_document_id, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                main.get("imposing"),
                kind,
                products[0],
                json.dumps(targets),
                json.dumps(sorted(refs)),
                title[:500],
                stage,
                cues.RANK[stage],
                document_id,
                when.isoformat(),
                when.isoformat(),
            ],
        )
        case_id, linked_by = int(cursor.lastrowid or 0), "new"
    else:
        previous = _update_case(db, case_id, stage, refs, targets, when)
    effective = cues.effective_date(text)
    db.execute(
        "INSERT INTO case_documents (document_id, case_id, stage, published, effective, linked_by, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [document_id, case_id, stage, when.isoformat(), effective, linked_by, _now()],
    )
    db.execute(
        "INSERT OR IGNORE INTO case_stages (case_id, stage, document_id, reached, effective) VALUES (?, ?, ?, ?, ?)",
        [case_id, stage, document_id, when.isoformat(), effective],
    )
    return CaseLink(case_id, stage, previous, linked_by)


def _find_case(
    db: Database,
    imposing: str | None,
    kind: str,
    products: list[str],
    targets: list[str],
    refs: set[str],
    when: datetime,
) -> tuple[int | None, str]:
    # Both lookups go through indexes (case_refs, idx_cases_key; migration 11) over every case, so an old
    # case is found however many newer ones exist. Newest-updated first, as before.
    if refs:
        marks = ",".join("?" * len(refs))
        hits = db.execute(
            f"SELECT c.id, r.ref FROM case_refs r JOIN cases c ON c.id = r.case_id WHERE r.ref IN ({marks})"
            " AND c.imposing IS ? ORDER BY c.updated_at DESC, c.id DESC",
            [*sorted(refs), imposing],
        ).fetchall()
        if hits:
            first = hits[0][0]
            return int(first), f"ref:{min(ref for case_id, ref in hits if case_id == first)}"
    if not products:
        return None, ""
    marks = ",".join("?" * len(products))
    rows = db.execute(
        "SELECT id, product, targets, opened_at FROM cases WHERE imposing IS ? AND remedy = ?"
        f" AND product IN ({marks}) ORDER BY updated_at DESC, id DESC",
        [imposing, kind, *products],
    ).fetchall()
    for case_id, _product, case_targets, opened in rows:
        opened_at = parse_time(opened)
        if opened_at is not None and abs(when - opened_at) > KEY_WINDOW:
            continue
        theirs, ours = set(json.loads(case_targets)), set(targets)
        if (theirs or ours) and len(theirs & ours) / len(theirs | ours) < MIN_TARGET_OVERLAP:
            continue
        return int(case_id), "key"
    return None, ""


def _update_case(
    db: Database, case_id: int, stage: str, refs: set[str], targets: list[str], when: datetime
) -> str:
    row = db.execute(
        "SELECT stage, stage_rank, refs, targets, updated_at FROM cases WHERE id = ?", [case_id]
    ).fetchone()
    previous, rank, case_refs, case_targets, updated = row
    last = parse_time(updated)
    # The stage of the latest document wins (a review follows the final ruling); documents arriving out
    # of order (a backfill) move the stage only forward in time, and on the same day only forward in rank.
    newer = last is None or when > last or (when == last and cues.RANK[stage] > int(rank))
    db.execute(
        "UPDATE cases SET stage = ?, stage_rank = ?, refs = ?, targets = ?, updated_at = ? WHERE id = ?",
        [
            stage if newer else previous,
            cues.RANK[stage] if newer else rank,
            json.dumps(sorted(set(json.loads(case_refs)) | refs)),
            json.dumps(sorted(set(json.loads(case_targets)) | set(targets))),
            when.isoformat() if newer else updated,
            case_id,
        ],
    )
    return str(previous)


def case_story(db: Database, event: dict[str, Any]) -> int | None:
    """The alert story of the event's case (so every step of a proceeding threads under its first alert),
    or None when the document is no step of a proceeding. signals/prepare.py calls it before matching."""
    known = db.execute(
        "SELECT story_id FROM story_members WHERE document_id = ? AND event_type = ?",
        [event["document_id"], event["event_type"]],
    ).fetchone()
    if known:
        return int(known[0])
    link = link_document(db, event["document_id"])
    if link is None:
        return None
    row = db.execute("SELECT story_id FROM cases WHERE id = ?", [link.case_id]).fetchone()
    story_id = int(row[0]) if row and row[0] is not None else _adopt_story(db, link.case_id)
    when = event_time(event).isoformat()
    if story_id is None:
        story_id = create_story(db, event, story_keys(event), when)
    else:
        db.execute("UPDATE stories SET last_seen = max(last_seen, ?) WHERE id = ?", [when, story_id])
    db.execute("UPDATE cases SET story_id = ? WHERE id = ?", [story_id, link.case_id])
    add_member(db, story_id, event)
    return story_id


def _adopt_story(db: Database, case_id: int) -> int | None:
    """A story an earlier document of the case already has (alerted before it was linked to the case)."""
    row = db.execute(
        "SELECT m.story_id FROM story_members m JOIN case_documents c ON c.document_id = m.document_id"
        " WHERE c.case_id = ? ORDER BY c.published LIMIT 1",
        [case_id],
    ).fetchone()
    return int(row[0]) if row else None


# Tagged documents not yet considered, oldest first. The queue case_pending (migration 16) holds every such
# document, so this reads the backlog, not the store (CROSS JOIN: the queue is the outer loop); the
# conditions are checked again because a queued row may outlive them.
PENDING = (
    "SELECT d.id FROM case_pending p CROSS JOIN documents d ON d.id = p.document_id"
    " WHERE d.tagged_at IS NOT NULL AND d.id NOT IN (SELECT document_id FROM case_scan)"
    " ORDER BY coalesce(d.published, d.fetched), d.rowid LIMIT ?"
)


def link_pending(db: Database, limit: int = 5000) -> int:
    """Link tagged documents not yet considered; returns how many joined a case. One transaction each."""
    rows = db.execute(PENDING, [limit]).fetchall()
    linked = 0
    for (document_id,) in rows:
        with db.conn:
            db.execute("INSERT OR IGNORE INTO case_scan (document_id) VALUES (?)", [document_id])
            if link_document(db, document_id) is not None:
                linked += 1
    return linked


def list_cases(db: Database) -> list[dict[str, Any]]:
    """Every case, most recently updated first (`cwatch cases`)."""
    return list(
        db.query(
            "SELECT id, imposing, remedy, product, targets, stage, updated_at FROM cases ORDER BY updated_at DESC"
        )
    )


def case_view(db: Database, case_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
    if not rows:
        return None
    case = rows[0]
    case["targets"], case["refs"] = json.loads(case["targets"]), json.loads(case["refs"])
    case["stages"] = list(
        db.query(
            "SELECT stage, document_id, reached, effective FROM case_stages WHERE case_id = ?"
            " ORDER BY reached, rowid",
            [case_id],
        )
    )
    case["documents"] = list(
        db.query(
            "SELECT c.document_id, c.stage, c.published, c.effective, c.linked_by, d.title, d.url"
            " FROM case_documents c JOIN documents d ON d.id = c.document_id WHERE c.case_id = ?"
            " ORDER BY c.published",
            [case_id],
        )
    )
    return case
