"""`cwatch search`: ranked full-text search in English, Chinese and Japanese; hostile input is inert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from monitor.cli import main
from research.readonly import open_guarded
from research.search import search
from tests.research.fixture_store import document_ids

IDS = document_ids()


@pytest.fixture(scope="module")
def db(store_path: Path) -> Iterator[Database]:
    database, _guard = open_guarded(store_path)
    yield database
    database.conn.close()


def ids(hits: list) -> list[str]:
    return [h.document_id for h in hits]


def test_chinese_phrase_finds_the_mofcom_notices(db: Database) -> None:
    hits = search(db, "出口管制")
    assert set(ids(hits)) == {IDS["mofcom_gallium"], IDS["mofcom_us_dual_use"], IDS["mofcom_rare_earths"]}
    # The rare-earth notice has the phrase in its title, which bm25 weighs above body text.
    assert hits[0].document_id == IDS["mofcom_rare_earths"]
    assert all("[出口管制]" in h.snippet for h in hits)


def test_english_terms_are_anded_and_ranked(db: Database) -> None:
    hits = search(db, "Entity List")
    assert ids(hits) == [IDS["bis_entities"]]
    assert hits[0].event_types == ["entity_listing", "export_control"]
    assert set(ids(search(db, "semiconductor"))) == {IDS["bis_entities"], IDS["japan_korea_whitelist"]}


def test_japanese_substring(db: Database) -> None:
    hits = search(db, "半導体製造装置")
    assert ids(hits) == [IDS["meti_equipment"]]


def test_terms_shorter_than_a_trigram_fall_back_to_like(db: Database) -> None:
    hits = search(db, "稀土")
    assert ids(hits) == [IDS["mofcom_rare_earths"]]
    assert "[稀土]" in hits[0].snippet
    # Without bm25, a title hit ranks above a hit in the text only.
    assert ids(search(db, "镓")) == [IDS["mofcom_gallium"], IDS["mofcom_us_dual_use"]]
    # Mixed: a long term through FTS and a short one through LIKE.
    assert ids(search(db, "出口管制 稀土")) == [IDS["mofcom_rare_earths"]]


def test_filters(db: Database) -> None:
    assert set(ids(search(db, "出口管制", since="2024-06-01"))) == {
        IDS["mofcom_us_dual_use"],
        IDS["mofcom_rare_earths"],
    }
    assert ids(search(db, "imports", types=["tariff"], imposing=["eu"])) == [IDS["eu_bev_duties"]]
    assert search(db, "imports", types=["entity_listing"]) == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "gall*",
        "NEAR(",
        "NEAR(a b, 3)",
        "a OR b",
        "OR",
        "AND",
        "NOT x",
        '"unbalanced',
        "title:gallium",
        "^start",
        "'; DROP TABLE documents; --",
        "%",
        "_",
        "\\",
        "\x00\x1b[31m",
        "(",
        ")",
        "{a b}",
        "x" * 5000,
        "   ",
    ],
)
def test_hostile_input_is_inert(store_path: Path, text: str) -> None:
    result = CliRunner().invoke(main, ["search", "--db", str(store_path), text, "--json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output), list)


def test_fts_syntax_is_searched_literally(db: Database) -> None:
    # "gall*" would be a prefix query in FTS5 syntax and match gallium; literally it matches nothing.
    assert search(db, "gall*") == []
    # A LIKE wildcard is escaped too: "%" finds only the document that contains a percent sign.
    assert ids(search(db, "%")) == [IDS["eu_bev_duties"]]
    assert search(db, "_") == []
    assert ids(search(db, "17.4%")) == [IDS["eu_bev_duties"]]


def test_cli_prints_title_snippet_and_url(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "--db", str(store_path), "半導体", "--limit", "5"])
    assert result.exit_code == 0
    assert "[半導体]" in result.output
    assert "https://www.meti.go.jp/press/" in result.output
    bad = CliRunner().invoke(main, ["search", "--db", str(store_path), "x", "--since", "last week"])
    assert bad.exit_code == 2 and "not a date" in bad.output
