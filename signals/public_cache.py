"""Each document's public date (signals/public_date.py), stored once in document_public (migration 19).

Computing it reads the document's text (Federal Register filing and signing lines) and its story's
documents; the daily retaliation pass needs it for every measure of its windows, so it reads the stored
row instead and computes only what is missing. Triggers drop a row when the document's dates, text or
source change, or when its story gains, loses or re-dates a member: a missing row is recomputed here,
by the next reader. The basis is stored as a kind and a source slug, so a publisher renamed in `sources`
is said with its current name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from db.stories import parse_time
from signals.public_date import PublicDate, described, first_public, public_parts

BATCH = 500  # documents per read (their text) and per lookup


def _stored(db: Database, ids: list[str]) -> dict[str, tuple[str, str, str | None]]:
    found: dict[str, tuple[str, str, str | None]] = {}
    for first in range(0, len(ids), BATCH):
        chunk = ids[first : first + BATCH]
        marks = ",".join("?" * len(chunk))
        for doc, public, basis, source in db.execute(
            f"SELECT document_id, public, basis, source FROM document_public WHERE document_id IN ({marks})",
            chunk,
        ).fetchall():
            found[str(doc)] = (str(public), str(basis), source)
    return found


def _compute(db: Database, ids: list[str]) -> dict[str, tuple[datetime, str, str | None]]:
    """Public dates of documents without a stored row, computed from their rows and stored (no commit:
    the caller's transaction)."""
    computed: dict[str, tuple[datetime, str, str | None]] = {}
    for first in range(0, len(ids), BATCH):
        chunk = ids[first : first + BATCH]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT id, published, fetched, source, text FROM documents WHERE id IN ({marks})", chunk
        ).fetchall()
        for doc, published, fetched, source, text in rows:
            event = {"document_id": doc, "published": published, "fetched": fetched, "source": source,
                     "text": text or ""}  # fmt: skip
            parts = public_parts(db, event)
            computed[str(doc)] = parts
            if parse_time(published) or parse_time(fetched):  # else dated "now": not a fact to keep
                db.execute(
                    "INSERT OR REPLACE INTO document_public (document_id, public, basis, source)"
                    " VALUES (?, ?, ?, ?)",
                    [doc, parts[0].isoformat(), parts[1], parts[2]],
                )
    return computed


def public_by_document(
    db: Database,
    document_ids: Iterable[str],
    stored: dict[str, tuple[str, str, str | None]] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, PublicDate]:
    """The public date of each document: `stored` rows the caller already read (document_public's columns
    by document id; the others are looked up), the rest computed and stored. No commit here."""
    ids = sorted(set(document_ids))
    have = {d: stored[d] for d in ids if d in stored} if stored else {}
    have.update(_stored(db, [d for d in ids if d not in have]))
    names = {} if names is None else names
    out = {
        doc: described(db, datetime.fromisoformat(public), basis, source, names)
        for doc, (public, basis, source) in have.items()
    }
    for doc, (when, basis, source) in _compute(db, [d for d in ids if d not in have]).items():
        out[doc] = described(db, when, basis, source, names)
    return out


def by_event(db: Database, events: Iterable[dict[str, Any]]) -> dict[int, PublicDate]:
    """The public date of each event (its document's), by event id; an event of a document not stored
    (a caller's draft) is dated from its own fields."""
    listed = list(events)
    public = public_by_document(db, [str(e["document_id"]) for e in listed])
    return {
        int(e["id"]): public[str(e["document_id"])]
        if str(e["document_id"]) in public
        else first_public(db, e)
        for e in listed
    }
