"""Search routing (word index vs trigram index vs LIKE), short-CJK expansion and bounded ranking
(research/search.py, migration 9), on small real stores in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from db.records import DocumentRecord, SourceMeta
from db.store import open_db, store_document, upsert_source
from research import search as search_module
from research.canned import SEARCH_DOCUMENTS, SEARCH_DOCUMENTS_TRIGRAM_ONLY, canned_queries
from research.search import search
from research.terms import route


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("gallium", "words"),
        ("EU", "words"),
        ("anti-dumping", "words"),
        ("Règlement", "words"),
        ("出口管制", "trigram"),
        ("半導体", "trigram"),
        ("17.4%", "symbol"),
        ("gall*", "symbol"),
        ("C++", "symbol"),
        ("第33号", "trigram"),
        ("5%", "like"),
        ("稀土", "like"),
        ("镓", "like"),
        ("%", "like"),
        ("_", "like"),
    ],
)
def test_route_by_script(term: str, expected: str) -> None:
    assert route(term) == expected


def add(db: Database, n: int, title: str, text: str, language: str = "en") -> str:
    doc = DocumentRecord(
        source="test",
        url=f"https://example.org/{n}",
        title=title,
        text=text,
        language=language,
        published=f"2025-01-{n:02d}T00:00:00+00:00",
        fetched=f"2025-01-{n:02d}T00:00:00+00:00",
    )
    store_document(db, doc)
    return doc.id


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    database = open_db(tmp_path / "store.db")
    upsert_source(database, SourceMeta("test", "Test", "XX", "en", "official"))
    return database


def test_words_fold_accents_and_match_prefixes(db: Database) -> None:
    fr = add(db, 1, "Règlement d'exécution", "Droits antidumping sur les importations de tôles.")
    en = add(db, 2, "Semiconductors", "Controls on semiconductors and related equipment.")
    assert [h.document_id for h in search(db, "reglement")] == [fr]
    assert [h.document_id for h in search(db, "TOLES")] == [fr]
    assert [h.document_id for h in search(db, "semiconductor")] == [en]
    assert "[semiconductors]" in search(db, "semiconductor")[0].snippet.lower()
    # Words are not substrings: "conductor" is inside "semiconductors" but is no word of it.
    assert search(db, "conductor") == []


def test_word_index_follows_updates_and_deletes(db: Database) -> None:
    doc_id = add(db, 1, "Notice", "Tariffs on cobalt.")
    db.execute("UPDATE documents SET text = 'Tariffs on nickel.' WHERE id = ?", [doc_id])
    db.conn.commit()
    assert search(db, "cobalt") == []
    assert [h.document_id for h in search(db, "nickel")] == [doc_id]
    db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    db.conn.commit()
    assert search(db, "nickel") == []
    db.execute("INSERT INTO documents_words (documents_words) VALUES ('integrity-check')")


def test_short_cjk_term_expands_to_trigrams(db: Database) -> None:
    zh = add(db, 1, "商务部公告", "对镓实施出口管制。", language="zh")
    add(db, 2, "Notice", "Gallium export controls.")
    hits = search(db, "镓")
    assert [h.document_id for h in hits] == [zh]
    assert "[镓]" in hits[0].snippet  # marked on the term itself, not on the trigram "镓实施"
    assert [h.document_id for h in search(db, "出口管制 镓")] == [zh]
    assert search(db, "锗") == []


def test_ranking_is_bounded_to_the_newest_matches(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # The oldest document has the term in its title, which bm25 ranks first when it is considered at all.
    best = add(db, 1, "Cobalt cobalt cobalt", "Cobalt export licences for cobalt.")
    newer = [
        add(db, n, f"Notice {n}", f"A long notice that mentions cobalt once among many words {n}.")
        for n in (2, 3)
    ]
    assert search(db, "cobalt")[0].document_id == best
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    assert {h.document_id for h in search(db, "cobalt")} == set(newer)


def test_console_query_routes_the_same_way(db: Database) -> None:
    fr = add(db, 1, "Règlement d'exécution", "Droits sur les tôles.")
    zh = add(db, 2, "商务部公告", "对镓实施出口管制。", language="zh")

    def found(q: str) -> list[str]:
        return [row[0] for row in db.execute(SEARCH_DOCUMENTS, {"q": q}).fetchall()]

    assert found("Règlement") == [fr]
    assert found("镓") == [zh]
    assert found("出口管制") == [zh]
    assert found("") == [] and found('"NEAR(') == []


def test_store_not_yet_migrated_to_the_word_index_still_searches(db: Database) -> None:
    # A read-only opener cannot migrate: until the daemon does, search uses the trigram index only.
    doc_id = add(db, 1, "Gallium notice", "Export controls on gallium.")
    with db.conn:  # as stored before migration 14: every document in the trigram index
        db.execute("UPDATE documents SET cjk = NULL")
    for name in ("documents_words_terms", "documents_fts_terms", "documents_words"):
        db.execute(f"DROP TABLE {name}")
    for trigger in ("documents_words_ai", "documents_words_ad", "documents_words_au"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.conn.commit()
    assert [h.document_id for h in search(db, "gallium")] == [doc_id]
    assert [h.document_id for h in search(db, "EU")] == []
    assert canned_queries(db)["search_documents"]["sql"] == SEARCH_DOCUMENTS_TRIGRAM_ONLY.strip()
    assert [row[0] for row in db.execute(SEARCH_DOCUMENTS_TRIGRAM_ONLY, {"q": "gallium"})] == [doc_id]


def test_terms_with_symbols_are_found_in_english_and_cjk_documents(db: Database) -> None:
    # English documents have no trigrams (migration 14): the word index and LIKE find them.
    en = add(db, 1, "Tariff of 17.4% on C++ tooling", "Imports rose 17.4%; a 5% surcharge applies.")
    zh = add(db, 2, "出口增长17.4%", "对镓实施出口管制，税率5%。", language="zh")
    add(db, 3, "Unrelated notice", "Figures 17 and 4 appear apart, 17 4.")

    def console(q: str) -> set[str]:
        return {row[0] for row in db.execute(SEARCH_DOCUMENTS, {"q": q}).fetchall()}

    for term, expected in [("17.4%", {en, zh}), ("C++", {en}), ("5%", {en, zh}), ("出口管制", {zh})]:
        assert {h.document_id for h in search(db, term)} == expected, term
        assert console(term) == expected, term
    assert {h.document_id for h in search(db, "17.4% tariff")} == {en}  # symbol term as a filter
