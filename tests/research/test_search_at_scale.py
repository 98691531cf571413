"""The 1,000,000-document rewrites keep their results, on a small store of notice-length documents.

- Term expansion from the FTS5 leaf pages (research/fts_terms.py) lists what fts5vocab lists.
- search() ranks as the query it replaced (bm25 joined with every document row, ORDER BY score, id),
  which is spelled out here as the reference, for words, CJK phrases, short CJK terms, filters, no
  match, and ties cut by the limit.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from db.bulk import insert_documents, write_events_many
from db.records import DocumentRecord, SourceMeta
from db.store import open_db, upsert_source
from research import fts_terms
from research.fts_terms import PageFormatError, TooMany, page_terms, prefixed_terms
from research.search import search
from research.terms import any_of, fts_phrase


def _bench_module(name: str) -> Any:
    """A bench script's module by path (bench/ holds scripts, not a package: mypy and the bench itself
    import it as a top-level module, so a package import here would name one file twice)."""
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _bench_module("synthetic").generate  # the store bench's documents, notice-length with realistic

SOURCES = ("cn_mofcom", "cn_gacc", "us_federal_register", "eu_dg_trade", "jp_meti", "uk_trade_remedies",
           "news_wire")  # fmt: skip
TIE_TEXT = "Identical notice on zirconium sponge quotas, reissued under several numbers."


def build_realistic(path: Path, n: int = 1200) -> Path:
    """n notice-length documents (bench/synthetic.py) in batches of 100, so the FTS indexes hold several
    segments; every 29th deleted afterwards (its terms leave tombstones); 25 identical documents (equal bm25)."""
    db = open_db(path)
    for slug in SOURCES:
        upsert_source(db, SourceMeta(slug, slug, "XX", "en", "official"))
    batch: list[Any] = []
    for pair in generate(n, seed=7, realistic=True):
        batch.append(pair)
        if len(batch) == 100:
            insert_documents(db, [d for d, _ in batch])
            write_events_many(db, [(d.id, ev) for d, ev in batch], "test")
            batch = []
    ties = [
        DocumentRecord(
            "news_wire",
            f"https://ties.example.org/{i}",
            "Zirconium notice",
            TIE_TEXT,
            "en",
            "2024-05-01T00:00:00+00:00",
            "2024-05-01T00:00:00+00:00",
        )  # fmt: skip
        for i in range(25)
    ]
    insert_documents(db, ties)
    with db.conn:
        db.execute("DELETE FROM documents WHERE rowid IN (SELECT rowid FROM documents WHERE rowid % 29 = 0)")
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_db(build_realistic(tmp_path_factory.mktemp("scale") / "store.db"))
    yield database
    database.conn.close()


def vocab_terms(db: Database, table: str, prefix: str) -> list[str]:
    sql = f"SELECT term FROM {table}_terms WHERE term >= ? AND term < ? || char(1114111)"
    return [r[0] for r in db.execute(sql, [prefix, prefix]).fetchall()]


@pytest.mark.parametrize("table", ["documents_words", "documents_fts"])
def test_pages_list_the_terms_fts5vocab_lists(db: Database, table: str) -> None:
    segments = db.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]
    assert segments > 1  # several segments, as in a store written over time
    terms = vocab_terms(db, table, "")
    rng = random.Random(3)
    prefixes = {t[:k] for t in rng.sample(terms, 150) for k in (1, 2, 3, 6, 50)} | {"zzzz", "稀土", "镓"}
    for prefix in sorted(prefixes):
        expected = vocab_terms(db, table, prefix)
        found = prefixed_terms(db, table, prefix, 10**6)
        extra = set(found) - set(expected)
        assert set(expected) <= set(found), prefix
        for term in extra:  # only terms whose documents were deleted, which match nothing
            assert (
                db.execute(f"SELECT 1 FROM {table} WHERE {table} MATCH ?", [fts_phrase(term)]).fetchone()
                is None
            )


def test_a_long_doclist_is_skipped_not_parsed(db: Database) -> None:
    # "the" is in every English document: its doclist fills pages that start with no term.
    pages = db.execute("SELECT count(*) FROM documents_words_data WHERE id > 10").fetchone()[0]
    idx_rows = db.execute("SELECT count(*) FROM documents_words_idx").fetchone()[0]
    assert pages > idx_rows
    assert prefixed_terms(db, "documents_words", "the", 64) == vocab_terms(db, "documents_words", "the")


def test_cap_and_unreadable_pages(db: Database) -> None:
    with pytest.raises(TooMany):
        prefixed_terms(db, "documents_words", "a", 5)
    with pytest.raises(PageFormatError):
        page_terms(b"\x00\x00\xff\xff" + b"\x00" * 20)
    with pytest.raises(PageFormatError):
        page_terms(b"\x00\x00\x00\x09\x05ab\x00\x00\x04")  # a term longer than the page body


def test_a_page_read_up_to_a_prefix_lists_its_terms(db: Database) -> None:
    """page_terms stops after the prefix's terms: the same matching terms as the whole page's."""
    pages = db.execute(
        "SELECT block FROM documents_words_data WHERE id > 10 AND id IN (SELECT (segid << 37) + (pgno >> 1)"
        " FROM documents_words_idx) LIMIT 40"
    ).fetchall()
    checked = 0
    for (block,) in pages:
        whole = page_terms(bytes(block))
        for term in whole[:: max(1, len(whole) // 8)]:
            for key in (term, term[:3], term + b"zz"):
                expected = [t for t in whole if t.startswith(key)]
                assert [t for t in page_terms(bytes(block), key) if t.startswith(key)] == expected
                checked += bool(expected)
    assert checked > 100


def test_segment_shift_matches_the_stored_rowids(db: Database) -> None:
    segid = db.execute("SELECT min(segid) FROM documents_words_idx").fetchone()[0]
    first = db.execute("SELECT id FROM documents_words_data WHERE id > 10 ORDER BY id LIMIT 1").fetchone()[0]
    assert first == (segid << fts_terms.SEGMENT_SHIFT) + 1


# --- search() against the query it replaced -------------------------------------------------------


def reference(
    db: Database, table: str, match: str, where: str = "1", params: tuple = (), limit: int = 20
) -> list:
    """Ids and scores as the search before the rewrite ranked them: the newest 2,000 matches joined with
    their documents, bm25, then the document id."""
    floor = db.execute(
        f"""SELECT min(rid) FROM (SELECT {table}.rowid AS rid FROM {table} CROSS JOIN documents d
        ON d.rowid = {table}.rowid WHERE {table} MATCH ? AND {where} ORDER BY {table}.rowid DESC LIMIT 2000)""",
        [match, *params],
    ).fetchone()[0]
    if floor is None:
        return []
    return db.execute(
        f"""SELECT d.id, bm25({table}, 5.0, 1.0) AS score FROM {table} CROSS JOIN documents d
        ON d.rowid = {table}.rowid WHERE {table} MATCH ? AND {table}.rowid >= ? AND {where}
        ORDER BY score, d.id LIMIT ?""",
        [match, floor, *params, limit],
    ).fetchall()


def words(db: Database, *terms: str) -> str:
    return " AND ".join(any_of(vocab_terms(db, "documents_words", t)) for t in terms)


def got(db: Database, text: str, **kwargs: Any) -> list:
    return [(h.document_id, h.score) for h in search(db, text, **kwargs)]


@pytest.mark.parametrize(
    "text", ["gallium", "provisional duties", "anti-dumping", "tungsten licence", "quantum computing"]
)
def test_word_search_ranks_as_before(db: Database, text: str) -> None:
    terms = text.split()
    match = " AND ".join(fts_phrase(t) if "-" in t else words(db, t) for t in terms)
    expected = reference(db, "documents_words", match)
    assert expected  # the term is in the store
    assert got(db, text) == expected


@pytest.mark.parametrize("text", ["出口管制", "反倾销立案调查"])
def test_cjk_search_ranks_as_before(db: Database, text: str) -> None:
    expected = reference(db, "documents_fts", fts_phrase(text))
    assert expected
    assert got(db, text) == expected


def test_short_cjk_term_ranks_as_before(db: Database) -> None:
    match = any_of(vocab_terms(db, "documents_fts", "稀土"))
    expected = reference(db, "documents_fts", match)
    assert expected
    assert got(db, "稀土") == expected


def test_filters_rank_as_before(db: Database) -> None:
    where = "EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id AND e.event_type IN (?)) AND coalesce(d.published, d.fetched) >= ?"  # noqa: E501
    expected = reference(db, "documents_words", words(db, "licence"), where, ("tariff", "2020-01-01"))
    assert expected
    assert got(db, "licence", types=["tariff"], since="2020-01-01") == expected


def test_no_match(db: Database) -> None:
    assert search(db, "unobtainium") == []
    assert search(db, "gallium unobtainium") == []
    assert search(db, "锆铪") == []


def test_ties_are_cut_by_document_id(db: Database) -> None:
    alive = [r[0] for r in db.execute("SELECT id FROM documents WHERE url LIKE 'https://ties.%'")]
    assert 15 < len(alive) < 25  # some were deleted
    hits = search(db, "zirconium sponge", limit=10)
    assert len({h.score for h in hits}) == 1
    assert [h.document_id for h in hits] == sorted(alive)[:10]
    assert got(db, "zirconium sponge", limit=10) == reference(
        db, "documents_words", words(db, "zirconium", "sponge"), limit=10
    )


def test_pages_during_an_incremental_merge(tmp_path: Path) -> None:
    """FTS5 merges segments a few pages at a time between writes, deleting the input pages it has
    consumed: at every step, trimmed segments included, the pages list fts5vocab's terms."""
    db = open_db(tmp_path / "merging.db")
    for slug in SOURCES:
        upsert_source(db, SourceMeta(slug, slug, "XX", "en", "official"))
    db.execute("INSERT INTO documents_words (documents_words, rank) VALUES ('automerge', 0)")
    pairs = list(generate(600, seed=11))
    for start in range(0, len(pairs), 20):  # one segment per transaction
        insert_documents(db, [d for d, _ in pairs[start : start + 20]])
    terms = vocab_terms(db, "documents_words", "")
    prefixes = sorted({t[:k] for t in random.Random(5).sample(terms, 60) for k in (1, 2, 4, 30)})
    trimmed_steps = 0
    for _step in range(12):
        with db.conn:
            db.execute("INSERT INTO documents_words (documents_words, rank) VALUES ('merge', 4)")
        trimmed = db.execute(
            "SELECT count(*) FROM (SELECT segid FROM documents_words_idx GROUP BY segid) s"
            " WHERE NOT EXISTS (SELECT 1 FROM documents_words_data WHERE id = (s.segid << 37) + 1)"
        ).fetchone()[0]
        trimmed_steps += trimmed > 0
        for prefix in prefixes:
            assert prefixed_terms(db, "documents_words", prefix, 10**6) == vocab_terms(
                db, "documents_words", prefix
            )
    assert trimmed_steps  # a merge stopped halfway at least once
    db.conn.close()
