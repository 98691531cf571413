"""`cwatch crawl`, `cwatch sources list`, `cwatch sources check` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from tests.support.http_server import FixtureServer


@pytest.fixture
def replay(server: FixtureServer, monkeypatch: pytest.MonkeyPatch) -> FixtureServer:
    monkeypatch.setenv("CWATCH_REPLAY_ROOT", server.url)
    return server


def test_crawl_then_sources_list(db_path: Path, replay: FixtureServer) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["crawl", "--db", str(db_path), "uk_trade_remedies", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["new"] == 3
    replay.fault("/eu_dg_trade/policy.trade.ec.europa.eu/news_en", status=404)  # 5xx would back off for 14 s
    failed = runner.invoke(main, ["crawl", "--db", str(db_path), "eu_dg_trade"])
    assert failed.exit_code == 1
    assert "eu_dg_trade               failed  items    0" in failed.output
    assert "listing HTTP 404 from https://policy.trade.ec.europa.eu/news_en" in failed.output

    listed = runner.invoke(main, ["sources", "list", "--db", str(db_path), "--json"])
    rows = {r["slug"]: r for r in json.loads(listed.output)}
    assert rows["uk_trade_remedies"]["last_status"] == "ok" and rows["uk_trade_remedies"]["last_items"] == 3
    assert rows["eu_dg_trade"]["last_status"] == "failed" and rows["eu_dg_trade"]["failures_in_a_row"] == 1
    assert rows["eu_dg_trade"]["last_success"] is None
    assert "news_nikkei_asia" not in rows  # feed sources are crawled by news_feeds
    table = runner.invoke(main, ["sources", "list", "--db", str(db_path)])
    assert table.output.splitlines()[0].split() == [
        "source",
        "last",
        "run",
        "result",
        "last",
        "success",
        "items",
        "fails",
    ]


def test_crawl_rejects_unknown_source_and_bad_date(db_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["crawl", "--db", str(db_path), "no_such_source"])
    assert unknown.exit_code == 1 and "unknown source(s): no_such_source" in unknown.output
    bad = runner.invoke(main, ["crawl", "--db", str(db_path), "--since", "last week"])
    assert bad.exit_code == 2 and "use YYYY-MM-DD" in bad.output


def test_sources_check_reports_selectors(db_path: Path, replay: FixtureServer) -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["sources", "check", "--db", str(db_path), "eu_dg_trade"])
    assert good.exit_code == 0, good.output
    assert good.output.startswith(
        "eu_dg_trade: ok — listing matched 4 entries; detail https://policy.trade.ec"
    )
    detail_paths = [p for p in replay.paths("/eu_dg_trade/") if "/news/" in p]
    assert len(detail_paths) == 1  # one listing page and one detail page, nothing more
    assert not db_path.exists()  # nothing stored in the operator's store

    replay.fault(
        "/eu_dg_trade/policy.trade.ec.europa.eu/news_en", body=b"<html><body>redesigned</body></html>"
    )
    broken = runner.invoke(main, ["sources", "check", "--db", str(db_path), "eu_dg_trade"])
    assert broken.exit_code == 1
    assert broken.output.startswith("eu_dg_trade: FAILED — zero items extracted from listing")
    assert good.output.splitlines()[1] == "  selectors and URL patterns match"


def test_sources_check_names_the_selector_that_no_longer_matches(
    db_path: Path, replay: FixtureServer
) -> None:
    board = "/kr_motie/english.motir.go.kr/eng/article/EATCLdfa319ada"
    page = (replay.root / board.lstrip("/") / "index.html").read_text("utf-8")
    replay.fault(board, body=page.replace('class="board-list"', 'class="bbs-list"').encode())
    result = CliRunner().invoke(main, ["sources", "check", "--db", str(db_path), "kr_motie"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("kr_motie: ok — listing matched 3 entries")
    assert result.output.splitlines()[1] == (
        "  site changed: listing selector '.board-list li' matched nothing on "
        "https://english.motir.go.kr/eng/article/EATCLdfa319ada?bbsCdN=2&pageIndex=1; 3 notices found by URL pattern"
    )


def test_crawl_sample_stores_demo_documents(db_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["crawl", "--db", str(db_path), "--sample", "us_federal_register", "news_feeds"]
    )
    assert result.exit_code == 0, result.output
    assert "us_federal_register       ok      items    5  new    5" in result.output
