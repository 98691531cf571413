"""Full-text search over documents, ranked, with snippets, in any language.

The FTS5 index uses the trigram tokenizer (substring matching, so Chinese and Japanese work without
word segmentation). Two consequences shape this module:
- User text is never passed as FTS5 syntax: every term is quoted as a phrase, so `"`, `*`, `NEAR(`,
  `OR`, column filters and SQL fragments are searched for literally instead of raising errors.
- Trigrams cannot match terms shorter than three characters (稀土, 芯片, "EU"); those terms are
  matched with LIKE (parameters, wildcards escaped), and the result is ranked by title hits then date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from db.queries import EVENT_DATE

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
SNIPPET_TOKENS = 64  # trigram tokens are characters: about 64 characters of context (the FTS5 maximum)
MARK_OPEN, MARK_CLOSE, ELLIPSIS = "[", "]", "…"


@dataclass
class SearchHit:
    document_id: str
    title: str
    url: str
    source: str
    published: str | None
    language: str
    snippet: str
    score: float  # lower is better (bm25 convention)
    event_types: list[str] = field(default_factory=list)


def split_terms(text: str) -> list[str]:
    """Whitespace-separated terms, stripped of control characters; at most MAX_TERMS."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text[:MAX_QUERY_CHARS])
    return [t for t in text.split() if t][:MAX_TERMS]


def fts_phrase(term: str) -> str:
    """A term as an FTS5 string: double quotes doubled, then wrapped, so it is always a literal."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(types: Sequence[str], imposing: Sequence[str], since: str | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if types or imposing:
        inner = ["e.document_id = d.id"]
        if types:
            inner.append(f"e.event_type IN ({', '.join('?' for _ in types)})")
            params.extend(types)
        if imposing:
            inner.append(f"e.imposing IN ({', '.join('?' for _ in imposing)})")
            params.extend(c.upper() for c in imposing)
        clauses.append(f"EXISTS (SELECT 1 FROM events e WHERE {' AND '.join(inner)})")
    if since:
        clauses.append(f"{EVENT_DATE} >= ?")
        params.append(since)
    return clauses, params


def search(
    db: Database,
    text: str,
    *,
    types: Sequence[str] = (),
    imposing: Sequence[str] = (),
    since: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Documents containing every term of `text`, best first. Empty text finds nothing."""
    terms = split_terms(text)
    if not terms:
        return []
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    clauses, params = _filters(types, imposing, since)
    for term in short_terms:
        clauses.append("(d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')")
        params += [like_pattern(term), like_pattern(term)]
    where = " AND ".join(["1", *clauses])
    if long_terms:
        match = " AND ".join(fts_phrase(t) for t in long_terms)
        sql = f"""
            SELECT d.id, d.title, d.url, d.source, d.published, d.language, d.text,
                snippet(documents_fts, -1, ?, ?, ?, {SNIPPET_TOKENS}) AS snippet,
                bm25(documents_fts, 5.0, 1.0) AS score
            FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
            WHERE documents_fts MATCH ? AND {where}
            ORDER BY score, d.id LIMIT ?
        """
        rows = db.query(sql, [MARK_OPEN, MARK_CLOSE, ELLIPSIS, match, *params, limit])
    else:
        # No FTS rank without trigrams: title hits first, then newest.
        sql = f"""
            SELECT d.id, d.title, d.url, d.source, d.published, d.language, d.text, NULL AS snippet,
                CASE WHEN d.title LIKE ? ESCAPE '\\' THEN 0.0 ELSE 1.0 END AS score
            FROM documents d WHERE {where}
            ORDER BY score, {EVENT_DATE} DESC, d.id LIMIT ?
        """
        rows = db.query(sql, [like_pattern(short_terms[0]), *params, limit])
    hits = [
        SearchHit(
            document_id=r["id"],
            title=r["title"],
            url=r["url"],
            source=r["source"],
            published=r["published"],
            language=r["language"],
            snippet=r["snippet"] or _like_snippet(r["text"], short_terms[0]),
            score=float(r["score"]),
        )
        for r in rows
    ]
    _attach_event_types(db, hits)
    return hits


def _like_snippet(text: str, term: str, width: int = SNIPPET_TOKENS) -> str:
    at = text.lower().find(term.lower())
    if at < 0:
        return text[:width] + (ELLIPSIS if len(text) > width else "")
    start = max(0, at - width // 2)
    end = min(len(text), at + len(term) + width // 2)
    head = ELLIPSIS if start else ""
    tail = ELLIPSIS if end < len(text) else ""
    found = text[at : at + len(term)]
    return f"{head}{text[start:at]}{MARK_OPEN}{found}{MARK_CLOSE}{text[at + len(term) : end]}{tail}"


def _attach_event_types(db: Database, hits: list[SearchHit]) -> None:
    if not hits:
        return
    marks = ", ".join("?" for _ in hits)
    by_doc: dict[str, list[str]] = {}
    for row in db.query(
        f"SELECT document_id, event_type FROM events WHERE document_id IN ({marks}) ORDER BY event_type",
        [h.document_id for h in hits],
    ):
        by_doc.setdefault(row["document_id"], []).append(row["event_type"])
    for hit in hits:
        hit.event_types = by_doc.get(hit.document_id, [])
