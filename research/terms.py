"""A user's search terms as literal FTS5 MATCH strings and LIKE patterns, and which index answers each
(research/search.py's docstring gives the routing and its trade-offs). User text never reaches FTS5 as
syntax: every term is quoted as a phrase.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from sqlite_utils import Database

from db.textnorm import CJK
from research.fts_terms import PageFormatError, TooMany, prefixed_terms

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MAX_EXPANSION = 400  # trigrams a short CJK term may expand to; beyond that it is matched with LIKE
MAX_WORD_EXPANSION = 64  # words a prefix may expand to; beyond that FTS5's own prefix query
WORD_PREFIX_MIN = 3  # shorter word terms match whole words only: "a"* would expand to every a-word
WORD_JOINERS = frozenset("-'.\u2019")  # inside a word ("anti-dumping", "U.S."); unicode61 splits there

Route = Literal["words", "trigram", "symbol", "like"]
# One literal phrase of a MATCH string built here (fts_phrase, optionally a prefix query).
PHRASE = re.compile(r'"(?:[^"]|"")*"\*?')


def split_terms(text: str) -> list[str]:
    """Whitespace-separated terms, stripped of control characters; at most MAX_TERMS."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text[:MAX_QUERY_CHARS])
    return [t for t in text.split() if t][:MAX_TERMS]


def route(term: str) -> Route:
    """Which index answers a term: words for letters/digits of spaced scripts, trigrams for CJK (every
    document holding a CJK character is trigram-indexed), "symbol" for other terms with symbols ("17.4%",
    "C++": the word index's phrase of its words, or trigrams, confirmed by LIKE), LIKE for the rest
    (under three characters, or no letter or digit at all)."""
    if CJK.search(term):
        return "trigram" if len(term) >= 3 else "like"
    if any(c.isalnum() for c in term):
        if all(c.isalnum() or c in WORD_JOINERS for c in term):
            return "words"
        if len(term) >= 3:
            return "symbol"
    return "like"


def fts_phrase(term: str) -> str:
    """A term as an FTS5 string: double quotes doubled, then wrapped, so it is always a literal."""
    return '"' + term.replace('"', '""') + '"'


def fold(term: str) -> str:
    """Lower case without accents, as unicode61 (remove_diacritics 2) stores words."""
    decomposed = unicodedata.normalize("NFKD", term.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def indexed_terms(db: Database, vocab: str, prefix: str, cap: int) -> list[str] | None:
    """Indexed terms starting with `prefix`; None if there are more than `cap`. Read from the index's
    pages (research/fts_terms.py: ~1 ms); the fts5vocab table `vocab` counts each term's documents on the
    way (60-100 ms for a common word at 1,000,000 documents), so it answers only what the pages cannot:
    past the cap, an unreadable page, or this connection's own uncommitted writes."""
    if not db.conn.in_transaction:
        try:
            return prefixed_terms(db, vocab.removesuffix("_terms"), prefix, cap)
        except (TooMany, PageFormatError):
            pass
    rows = db.execute(
        f"SELECT term FROM {vocab} WHERE term >= ? AND term < ? || char(1114111) LIMIT ?",
        [prefix, prefix, cap + 1],
    ).fetchall()
    return None if len(rows) > cap else [r[0] for r in rows]


def any_of(terms: list[str]) -> str:
    """An FTS5 OR of literal terms; "" for none (the caller then knows nothing can match)."""
    return "(" + " OR ".join(fts_phrase(t) for t in terms) + ")" if terms else ""


def word_query(db: Database, term: str) -> str:
    """A word term for documents_words. From WORD_PREFIX_MIN characters a single word matches as a
    prefix, expanded into the indexed words that start with it (an OR of exact words costs FTS5 far less
    than a prefix query, which merges whole doclists and did so again for every snippet)."""
    if len(term) < WORD_PREFIX_MIN or not term.isalnum():
        return fts_phrase(term)  # short words and joined words ("anti-dumping") match exactly
    words = indexed_terms(db, "documents_words_terms", fold(term), MAX_WORD_EXPANSION)
    return fts_phrase(term) + "*" if words is None else any_of(words)


def expand_short(db: Database, term: str) -> str | None:
    """A one- or two-character CJK term as an FTS5 OR of the trigrams starting with it ("" if none, None
    if more than MAX_EXPANSION)."""
    trigrams = indexed_terms(db, "documents_fts_terms", term.lower(), MAX_EXPANSION)
    return None if trigrams is None else any_of(trigrams)


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
