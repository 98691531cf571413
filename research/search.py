"""Full-text search over documents, ranked, with snippets, in any language.

Two FTS5 indexes serve different scripts (db/migrations, 001, 009 and 014):
- `documents_words` (unicode61, accents folded), every document: a term made of letters and digits of a
  space-separated script is matched as a word (and, from three characters, as a word prefix:
  "semiconductor" finds "semiconductors"). Far fewer postings than trigrams, so common English words stay
  fast.
- `documents_fts` (trigram), only documents holding Han, kana or Hangul (migration 014): substring
  matching for Chinese, Japanese and Korean terms, which have no spaces.
- A term with symbols in a spaced script ("17.4%", "C++") takes its candidates from the word index (the
  phrase of its words) and from the trigram index (CJK documents), and LIKE confirms the substring. With
  no other term, such matches are ordered like LIKE matches (below), not by bm25.
- Trigrams cannot match CJK terms shorter than three characters (稀土, 镓): such a term is expanded into
  the indexed trigrams that start with it (the fts5vocab table documents_fts_terms), e.g. 稀土 →
  "稀土实" OR "稀土进". Trade-off: an occurrence in the last one or two characters of a title or text
  (nothing after it) is not found. Other short terms (symbols such as "%") are matched with LIKE
  (parameters, wildcards escaped), newest documents first, and ranked by title hits then date.
User text is never passed as FTS5 syntax: every term is quoted as a phrase, so `"`, `*`, `NEAR(`, `OR`,
column filters and SQL fragments are searched for literally instead of raising errors.

Bounded ranking (the trade-off): bm25 is computed only over the newest RANK_WINDOW matching documents
(by rowid, i.e. insertion order). A term found in fewer documents is ranked exactly; for a term in
hundreds of thousands of documents an older, better-scoring document can be missed. Without the bound
ranking such a term costs seconds at a million documents; an analyst wanting older hits adds a term or
--since. The same bound applies to the LIKE path (the newest RANK_WINDOW hits are ordered).

Newest first for common phrases: FTS5's bm25 counts every document matching each phrase of the query
(its IDF), whatever the rowid range ranked: O(matches), 0.1-0.5 s for a phrase in most of a million
documents. So each phrase's matches are first counted up to RANK_BUDGET in all (a lazy walk of the
index, stopped at the cap); past it the hits are the newest matches (FTS5's rowid order, LIMIT), with
`ranking` "newest" and score 0.0 on every hit, instead of bm25 ("bm25"). Within the budget the results
are those of the bounded ranking above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlite_utils import Database

from db.queries import EVENT_DATE, table_exists
from db.textnorm import CJK
from research.terms import (
    PHRASE,
    Route,
    expand_short,
    fts_phrase,
    like_pattern,
    route,
    split_terms,
    word_query,
)

RANK_WINDOW = 2000  # newest matching documents ranked by bm25 (see the module docstring)
RANK_BUDGET = 20_000  # phrase matches bm25 may count for its IDF; past it, newest first (module docstring)
# Snippet sizes are in tokens: a trigram token is a character, a unicode61 token is a word.
SNIPPET_TOKENS = {"documents_fts": 64, "documents_words": 16}
MARK_OPEN, MARK_CLOSE, ELLIPSIS = "[", "]", "…"

# A term with symbols outside CJK text: candidates from the word index (FTS5 splits the quoted term into
# its words, "17.4%" -> the phrase 17 4) or the trigram index (CJK documents, where the word tokenizer
# joins digits to the characters around them), confirmed as a substring by LIKE.
SYMBOL_CLAUSE = (
    "(d.rowid IN (SELECT rowid FROM documents_words WHERE documents_words MATCH ?"
    " UNION SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
    " AND (d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\'))"
)

Ranking = Literal["bm25", "newest"]


@dataclass
class SearchHit:
    document_id: str
    title: str
    url: str
    source: str
    published: str | None
    language: str
    snippet: str
    score: float  # lower is better (bm25 convention); 0.0 when ranking is "newest"
    event_types: list[str] = field(default_factory=list)
    ranking: Ranking = "bm25"  # "newest": too many matches to rank, newest first (module docstring)


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


class SearchInputError(ValueError):
    """Input the search cannot run on; the message is one line for the operator."""


def country_codes(values: Sequence[str]) -> list[str]:
    """Codes or names in any language the lexicon knows ("China", "中国", "cn") -> ["CN"].

    The same resolution as watchlists, so a name accepted there is accepted here.
    """
    from watchlists.vocab import vocabulary

    try:
        return list(dict.fromkeys(vocabulary().resolve("countries", value) for value in values))
    except ValueError as exc:
        raise SearchInputError(str(exc)) from None


def search(
    db: Database,
    text: str,
    *,
    types: Sequence[str] = (),
    imposing: Sequence[str] = (),
    since: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Documents containing every term of `text`, best first. Empty text finds nothing.

    Raises SearchInputError for a term that is not valid UTF-8 or an unknown country name.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # argv bytes that were not UTF-8 arrive as lone surrogates
        raise SearchInputError(f"search term is not valid UTF-8 (byte {exc.start + 1})") from None
    imposing = country_codes(imposing)
    terms = split_terms(text)
    if not terms:
        return []
    # A store opened read-only before migration 9 ran has only the trigram index: search as before it.
    migrated = table_exists(db, "documents_words_terms")
    routed: dict[Route, list[str]] = {"words": [], "trigram": [], "symbol": [], "like": []}
    for term in terms:
        way = route(term)
        if way in ("words", "symbol") and not migrated:
            way = "trigram" if len(term) >= 3 else "like"
        routed[way].append(term)
    trigram = [fts_phrase(t) for t in routed["trigram"]]
    expanded_terms: list[str] = []
    for term in [t for t in routed["like"] if CJK.search(t) and migrated]:
        expanded = expand_short(db, term)
        if expanded is None:
            continue  # too many trigrams: stays a LIKE term
        if not expanded:
            return []  # no indexed trigram starts with it: no document contains it (but at a column's end)
        trigram.append(expanded)
        routed["like"].remove(term)
        expanded_terms.append(term)
    words = [word_query(db, t) for t in routed["words"]]
    if "" in words:
        return []  # a word no indexed word starts with
    matches = {
        "documents_words": " AND ".join(words),
        "documents_fts": " AND ".join(trigram),
    }
    clauses, params = _filters(types, imposing, since)
    for term in routed["symbol"]:
        clauses.append(SYMBOL_CLAUSE)
        params += [fts_phrase(term), fts_phrase(term), like_pattern(term), like_pattern(term)]
    for term in routed["like"]:
        clauses.append("(d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')")
        params += [like_pattern(term), like_pattern(term)]
    indexes = [table for table, match in matches.items() if match]
    if not indexes:
        return _search_like(db, routed["symbol"] + routed["like"], clauses, params, limit)
    # The first index ranks and makes snippets; any other only filters (rowid IN its matches).
    primary = indexes[0]
    for other in indexes[1:]:
        clauses.append(f"d.rowid IN (SELECT rowid FROM {other} WHERE {other} MATCH ?)")
        params.append(matches[other])
    # FTS5 would mark the whole trigram ("[稀土相]"), so snippets of an expanded term are cut around it here.
    mark = expanded_terms[0] if primary == "documents_fts" and expanded_terms else None
    return _search_fts(db, primary, matches[primary], " AND ".join(["1", *clauses]), params, limit, mark)


def _search_fts(
    db: Database, table: str, match: str, where: str, params: list[Any], limit: int, mark: str | None
) -> list[SearchHit]:
    # Without filters the FTS index alone answers steps 1 and 2: every indexed rowid is a document (the
    # triggers keep both in step), and a documents row read per match costs a random page of a file far
    # larger than memory (at 1,000,000 realistic documents that was most of a search's time).
    join = "" if where == "1" else f" CROSS JOIN documents d ON d.rowid = {table}.rowid AND {where}"
    if not within_budget(db, table, PHRASE.findall(match), RANK_BUDGET):
        # Too common to rank: the newest matches, FTS5 walking its doclists backwards and stopping there.
        newest_sql = f"""
            SELECT {table}.rowid FROM {table}{join} WHERE {table} MATCH ? ORDER BY {table}.rowid DESC LIMIT ?
        """
        rids = [r[0] for r in db.execute(newest_sql, [*params, match, limit]).fetchall()]
        rows = _documents_by_rowid(db, rids)
        ranking: Ranking = "newest"
    else:
        rows = _ranked(db, table, join, match, params, limit)
        ranking = "bm25"
    # 3. Snippets for the hits only.
    snippet_sql = f"""
        SELECT snippet({table}, -1, ?, ?, ?, {SNIPPET_TOKENS[table]}) FROM {table}
        WHERE {table} MATCH ? AND rowid = ?
    """
    hits = []
    for r in rows:
        if mark is None:
            found = db.execute(snippet_sql, [MARK_OPEN, MARK_CLOSE, ELLIPSIS, match, r["rid"]]).fetchone()
            snippet = found[0] if found else ""
        else:
            text = db.execute("SELECT text FROM documents WHERE rowid = ?", [r["rid"]]).fetchone()[0]
            snippet = _like_snippet(text, mark)
        hits.append(_hit(r, snippet, float(r["score"]), ranking))
    _attach_event_types(db, hits)
    return hits


def within_budget(db: Database, table: str, phrases: list[str], budget: int) -> bool:
    """Whether bm25's IDF pass (every match of every phrase, counted once per phrase) stays within
    `budget` matches: each phrase's matches are counted lazily through the index, up to what is left."""
    left = budget
    for phrase in phrases:
        found = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)", [phrase, left + 1]
        ).fetchone()[0]
        left -= found
        if left < 0:
            return False
    return True


def _ranked(
    db: Database, table: str, join: str, match: str, params: list[Any], limit: int
) -> list[dict[str, Any]]:
    """The best `limit` documents by bm25 among the newest RANK_WINDOW matches."""
    # 1. The rowid of the RANK_WINDOW-th newest match: FTS5 walks its doclist backwards and stops there.
    floor_sql = f"""
        SELECT min(rid) FROM (
            SELECT {table}.rowid AS rid FROM {table}{join}
            WHERE {table} MATCH ? ORDER BY {table}.rowid DESC LIMIT ?)
    """
    floor = db.execute(floor_sql, [*params, match, RANK_WINDOW]).fetchone()[0]
    if floor is None:
        return []
    # 2. bm25 over matches from that rowid on (a native FTS5 rowid range), without snippets (SQLite would
    #    compute one for every ranked row) and without the documents' columns: only the best are read.
    rank_sql = f"""
        SELECT {table}.rowid, bm25({table}, 5.0, 1.0) FROM {table}{join}
        WHERE {table} MATCH ? AND {table}.rowid >= ?
    """
    scored = sorted(db.execute(rank_sql, [*params, match, floor]).fetchall(), key=lambda r: r[1])
    return _best_documents(db, scored, limit)


def _documents_by_rowid(db: Database, rids: list[int]) -> list[dict[str, Any]]:
    """The documents of `rids`, in that order, with score 0.0 (unranked)."""
    marks = ", ".join("?" for _ in rids)
    found = {
        row["rid"]: {**row, "score": 0.0}
        for row in db.query(
            "SELECT rowid AS rid, id, title, url, source, published, language FROM documents"
            f" WHERE rowid IN ({marks})",
            rids,
        )
    }
    return [found[rid] for rid in rids if rid in found]


def _best_documents(db: Database, scored: list[tuple[int, float]], limit: int) -> list[dict[str, Any]]:
    """The `limit` documents first by (score, id) among `scored` (rowid, score; sorted by score), reading
    only the documents that can be among them: the best `limit` scores and every tie with the last (the
    id decides ties). A rowid without a document (none is expected) widens the read."""
    take = limit
    while True:
        cut = take
        while 0 < cut < len(scored) and scored[cut][1] == scored[cut - 1][1]:
            cut += 1
        score = dict(scored[:cut])
        marks = ", ".join("?" for _ in score)
        found = [
            {**row, "score": score[row["rid"]]}
            for row in db.query(
                "SELECT rowid AS rid, id, title, url, source, published, language FROM documents"
                f" WHERE rowid IN ({marks})",
                list(score),
            )
        ]
        if len(found) >= limit or cut >= len(scored):
            found.sort(key=lambda r: (r["score"], r["id"]))
            return found[:limit]
        take = cut * 2


def _search_like(
    db: Database, terms: list[str], clauses: list[str], params: list[Any], limit: int
) -> list[SearchHit]:
    """Only short CJK terms: no FTS rank, so title hits first, then newest; among the newest RANK_WINDOW
    hits (scanning newest first stops there instead of reading the whole table for a common term)."""
    sql = f"""
        SELECT * FROM (
            SELECT d.id, d.title, d.url, d.source, d.published, d.language, d.text, {EVENT_DATE} AS date,
                CASE WHEN d.title LIKE ? ESCAPE '\\' THEN 0.0 ELSE 1.0 END AS score
            FROM documents d WHERE {" AND ".join(["1", *clauses])}
            ORDER BY d.rowid DESC LIMIT ?)
        ORDER BY score, date DESC, id LIMIT ?
    """
    rows = db.query(sql, [like_pattern(terms[0]), *params, RANK_WINDOW, limit])
    hits = [_hit(r, _like_snippet(r["text"], terms[0]), float(r["score"])) for r in rows]
    _attach_event_types(db, hits)
    return hits


def _hit(row: dict[str, Any], snippet: str, score: float, ranking: Ranking = "bm25") -> SearchHit:
    return SearchHit(
        document_id=row["id"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        published=row["published"],
        language=row["language"],
        snippet=snippet,
        score=score,
        ranking=ranking,
    )


def _like_snippet(text: str, term: str, width: int = SNIPPET_TOKENS["documents_fts"]) -> str:
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
