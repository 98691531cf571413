"""Past RANK_BUDGET phrase matches, search lists the newest matches instead of ranking (bm25 would count
every match for its IDF): on a real store of notice-length documents, with the budget lowered so that
the bench's template phrases (in most documents) pass it and a rare word does not."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from db.store import open_db
from research import canned
from research import search as search_module
from research.search import search, within_budget
from tests.research.test_search_at_scale import build_realistic

BUDGET = 300
COMMON = "anti-dumping investigation"  # a template phrase of bench/synthetic.py


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_db(build_realistic(tmp_path_factory.mktemp("newest") / "store.db"))
    yield database
    database.conn.close()


def count(db: Database, match: str) -> int:
    sql = "SELECT count(*) FROM documents_words WHERE documents_words MATCH ?"
    return int(db.execute(sql, [match]).fetchone()[0])


def newest_matching(db: Database, text: str, limit: int, **filters: object) -> list[str]:
    """The newest `limit` matches by rowid, from every match the unbounded ranking returns."""
    everything = search(db, text, limit=10**6, **filters)  # type: ignore[arg-type]
    assert everything and all(h.ranking == "bm25" for h in everything)
    rowid = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT id, rowid FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps([h.document_id for h in everything])],
        )
    }
    return sorted(rowid, key=lambda i: -rowid[i])[:limit]


def test_the_budget_counts_each_phrase(db: Database) -> None:
    common = count(db, '"anti dumping"')
    assert common > BUDGET  # the fixture's template phrase is in most documents
    assert not within_budget(db, "documents_words", ['"anti dumping"'], BUDGET)
    assert within_budget(db, "documents_words", ['"anti dumping"'], common)
    assert not within_budget(db, "documents_words", ['"anti dumping"', '"zirconium"'], common)
    assert within_budget(db, "documents_words", [], 0)


def test_a_common_phrase_lists_the_newest_matches(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = newest_matching(db, COMMON, 20)  # all matches ranked: fewer than RANK_WINDOW here
    monkeypatch.setattr(search_module, "RANK_BUDGET", BUDGET)
    hits = search(db, COMMON)
    assert [h.document_id for h in hits] == expected
    assert {h.ranking for h in hits} == {"newest"} and {h.score for h in hits} == {0.0}
    assert all("[" in h.snippet for h in hits)  # snippets mark the match as ranked hits do


def test_filters_apply_to_the_newest_matches(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    since = "2020-01-01"
    expected = newest_matching(db, COMMON, 10, since=since)
    monkeypatch.setattr(search_module, "RANK_BUDGET", BUDGET)
    hits = search(db, COMMON, since=since, limit=10)
    assert [h.document_id for h in hits] == expected
    assert all((h.published or "") >= since for h in hits)


def test_a_rare_word_is_still_ranked(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ranked = search(db, "zirconium")
    assert ranked and count(db, '"zirconium"') <= BUDGET
    monkeypatch.setattr(search_module, "RANK_BUDGET", BUDGET)
    again = search(db, "zirconium")
    assert again == ranked and {h.ranking for h in again} == {"bm25"}


def test_a_common_word_beside_a_rare_one_is_not_ranked(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # bm25 would count all of "anti-dumping"'s matches however few documents hold both words
    rare = next(
        term
        for (term,) in db.execute(
            "SELECT term FROM documents_words_terms WHERE doc BETWEEN 5 AND 50 AND term GLOB '[a-z][a-z][a-z]*'"
            " ORDER BY term"
        )
        if count(db, f'"{term}" AND "anti dumping"')
    )
    assert search(db, f"{rare} anti-dumping")[0].ranking == "bm25"
    monkeypatch.setattr(search_module, "RANK_BUDGET", BUDGET)
    hits = search(db, f"{rare} anti-dumping")
    assert hits and {h.ranking for h in hits} == {"newest"}


def rows(db: Database, sql: str, q: str) -> list[tuple]:
    return db.execute(sql, {"q": q}).fetchall()


def test_console_search_lists_the_newest_matches(db: Database) -> None:
    low = canned.search_documents_sql(BUDGET)
    got = rows(db, low, COMMON)
    assert len(got) == 50 and {r[6] for r in got} == {None}
    assert {r[7] for r in got} == {f"newest first (over {BUDGET:,} matches)"}
    phrase = '"' + COMMON + '"'
    expected = db.execute(
        "SELECT d.id FROM documents_words w JOIN documents d ON d.rowid = w.rowid"
        " WHERE documents_words MATCH ? ORDER BY w.rowid DESC LIMIT 50",
        [phrase],
    ).fetchall()
    assert [r[0] for r in got] == [r[0] for r in expected]
    assert count(db, phrase) > BUDGET


@pytest.mark.parametrize("q", ["zirconium", "稀土", "镓", COMMON])
def test_console_search_under_the_budget_is_ranked(db: Database, q: str) -> None:
    ranked = rows(db, canned.SEARCH_DOCUMENTS, q)  # the default budget: every fixture phrase is under it
    assert ranked and {r[7] for r in ranked} == {"bm25"}
    if q != COMMON:  # the others are under the lowered budget too: the same rows
        assert rows(db, canned.search_documents_sql(BUDGET), q) == ranked


def test_the_search_command_says_when_it_lists_the_newest(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from monitor.cli import main

    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    ranked = CliRunner().invoke(main, ["search", "zirconium", "--db", path])
    assert ranked.exit_code == 0, ranked.output
    assert "too many matches" not in ranked.output and "zirconium" in ranked.output.lower()
    monkeypatch.setattr(search_module, "RANK_BUDGET", BUDGET)
    newest = CliRunner().invoke(main, ["search", COMMON, "--db", path])
    assert newest.exit_code == 0, newest.output
    assert newest.output.startswith("too many matches to rank: the newest first")


def bm25_over_newest(db: Database, phrase: str, window: int) -> list[str]:
    """The 50 best by bm25 among the phrase's newest `window` matches, as the console orders them."""
    sql = """SELECT d.id FROM documents_words w JOIN documents d ON d.rowid = w.rowid
        WHERE documents_words MATCH :m AND w.rowid >= (
            SELECT min(rowid) FROM (SELECT rowid FROM documents_words WHERE documents_words MATCH :m
                ORDER BY rowid DESC LIMIT :window))
        ORDER BY bm25(documents_words, 5.0, 1.0), d.id LIMIT 50"""
    return [r[0] for r in db.execute(sql, {"m": phrase, "window": window})]


@pytest.mark.parametrize("window", [2000, 100])
def test_console_ranks_the_newest_window_of_matches(db: Database, window: int) -> None:
    # the fixture's common phrase has fewer than 2,000 matches (no bound) and more than 100 (bounded)
    phrase = '"' + COMMON + '"'
    assert 100 < count(db, phrase) <= 2000
    got = [r[0] for r in rows(db, canned.search_documents_sql(window=window), COMMON)]
    assert got == bm25_over_newest(db, phrase, window)
    assert (got == bm25_over_newest(db, phrase, 2000)) == (window == 2000)  # the window changes the ranking
