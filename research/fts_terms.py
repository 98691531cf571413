"""The indexed terms of an FTS5 table that start with a prefix, read from the index's leaf pages.

The fts5vocab tables (documents_words_terms, documents_fts_terms) answer the same question, but count
every term's documents on the way by walking its whole doclist: for a word in most of 1,000,000
documents that is 60-100 ms per search term. Here only the pages holding the terms are read: in each
segment, the %_idx row of the page where the prefix would start, and the pages whose first term starts
with it (a term's doclist may fill pages after it; those pages are skipped, never parsed).

Leaf page layout (FTS5's on-disk format, SQLite 3.x): a 4-byte header whose second 16-bit big-endian
field is the offset of the page footer; the footer lists the byte offset of each term on the page as
varint deltas; the page's first term is stored as (varint length, bytes), each later one as (varint
bytes kept from the previous term, varint length, bytes). Terms of the main index carry a '0' prefix
byte. A page's %_data rowid is (segment id << 37) + page number; %_idx.pgno holds the page number << 1.
A segment that a merge in progress is consuming starts at its first stored page (see _first_page).

Differences from fts5vocab, none of which changes a search's results: a term whose documents were all
deleted (its entries only tombstones until segments merge) may still be listed, and it matches nothing;
data a connection has not yet committed is not seen. On anything unexpected in the pages, and past the
caller's cap (where a deleted term could make the difference), the caller asks fts5vocab instead.
"""

from __future__ import annotations

from sqlite_utils import Database

SEGMENT_SHIFT = 37  # FTS5_DATA_ID_B: page-number, height and doclist-index bits below the segment id
LEAF_BITS = 31  # FTS5_DATA_PAGE_B: a leaf's page number; higher bits mark b-tree and doclist-index pages
MAIN_INDEX = b"0"  # FTS5_MAIN_PREFIX: terms of the main (not a prefix=) index


class PageFormatError(ValueError):
    """A leaf page that does not parse as expected."""


class TooMany(Exception):  # noqa: N818 - a count, not an error
    """More terms start with the prefix than the caller's cap."""


def _varint(buf: bytes, at: int) -> tuple[int, int]:
    """SQLite's varint (big-endian, 7 bits a byte, a ninth byte of 8 bits) at `at`: (value, next)."""
    if at < len(buf) and buf[at] < 0x80:  # most are one byte
        return buf[at], at + 1
    value = 0
    for i in range(8):
        if at + i >= len(buf):
            raise PageFormatError("varint runs past the page")
        byte = buf[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    if at + 8 >= len(buf):
        raise PageFormatError("varint runs past the page")
    return (value << 8) | buf[at + 8], at + 9


def page_terms(page: bytes, prefix: bytes | None = None) -> list[bytes]:
    """Every term that starts on a leaf page, in order, with its index prefix byte; with `prefix`, those
    up to the last that starts with it (terms are sorted on a page, and decoding them is most of a
    search's term expansion: a page holds ~100-200 terms, each decoded in Python)."""
    if len(page) < 4:
        raise PageFormatError("page shorter than its header")
    footer = int.from_bytes(page[2:4], "big")
    if footer < 4 or footer > len(page):
        raise PageFormatError("footer offset outside the page")
    terms: list[bytes] = []
    term = b""
    at, offset = footer, 0  # the footer's offsets are decoded as the terms are, so a stop saves both
    while at < len(page):
        delta, at = _varint(page, at)
        offset += delta
        if not 4 <= offset < footer:
            raise PageFormatError("term offset outside the page body")
        keep, start = _varint(page, offset) if terms else (0, offset)
        size, start = _varint(page, start)
        if keep > len(term) or start + size > footer:
            raise PageFormatError("term runs past the page body")
        term = term[:keep] + page[start : start + size]
        if prefix is not None and term > prefix and not term.startswith(prefix):
            break
        terms.append(term)
    return terms


def prefixed_terms(db: Database, table: str, prefix: str, cap: int) -> list[str]:
    """Indexed terms of FTS5 `table` starting with `prefix`, sorted; a superset of fts5vocab's (see the
    module docstring). Raises TooMany past `cap` terms and PageFormatError on pages it cannot read."""
    key = MAIN_INDEX + prefix.encode("utf-8")
    found: set[bytes] = set()
    for segid in _segments(db, table):
        start = db.execute(
            f"SELECT pgno FROM {table}_idx WHERE segid = ? AND term <= ? ORDER BY term DESC LIMIT 1",
            [segid, key],
        ).fetchone()
        pages = [start[0] >> 1] if start else []
        for term, pgno in db.execute(
            f"SELECT term, pgno FROM {table}_idx WHERE segid = ? AND term > ? ORDER BY term", [segid, key]
        ):
            if not bytes(term).startswith(key):
                break  # this page and every later one start after the prefix's terms
            pages.append(pgno >> 1)
            if len(pages) > cap + 1:  # each of these pages starts with a matching term
                raise TooMany(prefix)
        first = _first_page(db, table, segid)
        if first is None:
            continue
        for page_number in sorted({max(page, first) for page in pages}):
            row = db.execute(
                f"SELECT block FROM {table}_data WHERE id = ?", [(segid << SEGMENT_SHIFT) + page_number]
            ).fetchone()
            if row is None:
                raise PageFormatError(f"segment {segid} has no page {page_number}")
            found.update(t for t in page_terms(bytes(row[0]), key) if t.startswith(key))
        if len(found) > cap:
            raise TooMany(prefix)
    try:
        return sorted(t[len(MAIN_INDEX) :].decode("utf-8") for t in found)
    except UnicodeDecodeError as exc:
        raise PageFormatError("a term is not UTF-8") from exc


def _segments(db: Database, table: str) -> list[int]:
    """The segment ids in %_idx, one key seek each (DISTINCT would read every row: a row per leaf page,
    ~30 ms at 1,000,000 documents)."""
    found: list[int] = []
    sql = f"SELECT segid FROM {table}_idx WHERE segid > ? ORDER BY segid LIMIT 1"
    row = db.execute(sql, [-1]).fetchone()
    while row is not None:
        found.append(row[0])
        row = db.execute(sql, [row[0]]).fetchone()
    return found


def _first_page(db: Database, table: str, segid: int) -> int | None:
    """The segment's first leaf page still stored. A merge in progress deletes the input pages it has
    consumed (their terms are in the output segment by then) and rewrites the page it stopped in, which
    then starts with that term in full; their %_idx rows stay, pointing before this page."""
    low = segid << SEGMENT_SHIFT
    row = db.execute(
        f"SELECT min(id) FROM {table}_data WHERE id > ? AND id < ?", [low, low + (1 << LEAF_BITS)]
    ).fetchone()
    return None if row[0] is None else int(row[0]) - low
