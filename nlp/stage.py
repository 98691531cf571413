"""The tagging stage: read untagged documents from the store, tag them in batches, write events.

Each document's events, roles, tagged mark and score go in one transaction (`write_events(score=...)`):
a kill between documents loses at most the batch in flight, never half a document. The module imports no
model code, so a stand-in tagger (the crash tests) runs the same loop without loading torch.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.store import untagged_documents, write_events
from nlp.inputs import TagInput


def tag_new_documents(db: Database, tagger: Any, *, batch_size: int = 64, limit: int | None = None) -> int:
    """Tag every untagged document (at most `limit`); returns how many were tagged.

    A document found to be no measure gets zero events but is marked tagged, so it is not read again.
    """
    done = 0
    while limit is None or done < limit:
        want = batch_size if limit is None else min(batch_size, limit - done)
        rows = untagged_documents(db, limit=want)
        if not rows:
            break
        inputs = [
            TagInput(
                title=row.get("title") or "",
                text=row.get("text") or "",
                language=row.get("language"),
                source_kind=row.get("source_kind"),
                source_jurisdiction=row.get("source_jurisdiction"),
                published=row.get("published"),
            )
            for row in rows
        ]
        for row, result in zip(rows, tagger.tag(inputs), strict=True):
            write_events(
                db,
                row["id"],
                result.events,
                tagger.model_version,
                score=(result.relevance, result.confidence),
            )
        done += len(rows)
    return done
