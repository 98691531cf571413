"""`cwatch backfill`: real crawls against fixture sources; a failed source is resumed, done ones are not redone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crawlers.localserver import Fault, FixtureServer
from monitor.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
UK_FEED = "/uk_trade_remedies/www.gov.uk/government/organisations/trade-remedies-authority.atom"


def test_backfill_resumes_only_what_did_not_finish(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    config = tmp_path / "cwatch.yaml"
    config.write_text("crawl:\n  settings: {RETRY_TIMES: 1, CWATCH_RETRY_BACKOFF_S: 0.1}\n", encoding="utf-8")
    args = ["--config", str(config), "--db", str(db), "backfill", "--since", "2024-01-01"]
    args += ["--source", "us_federal_register", "--source", "uk_trade_remedies"]
    with FixtureServer(FIXTURES) as site:
        env = {"CWATCH_REPLAY_ROOT": site.url}
        site.fault(UK_FEED, Fault(status=500, times=None))
        first = CliRunner().invoke(main, args, env=env)
        assert first.exit_code == 0, first.output
        assert "us_federal_register: ok" in first.output and "uk_trade_remedies: failed" in first.output
        fr_requests = len(site.paths("/us_federal_register/"))
        assert fr_requests > 0
        # The --since date reaches the publisher's API as its own filter.
        assert any("2024-01-01" in r.query for r in site.requests if r.path.endswith("documents.json"))

        site.faults.clear()
        second = CliRunner().invoke(main, args, env=env)
        assert second.exit_code == 0, second.output
        assert "resuming: 1 of 2 sources already done since 2024-01-01" in second.output
        assert "uk_trade_remedies: ok" in second.output and "us_federal_register" not in second.output
        assert len(site.paths("/us_federal_register/")) == fr_requests  # not crawled again

        third = CliRunner().invoke(main, args, env=env)
        assert "resuming: 2 of 2 sources already done" in third.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source, status FROM backfill_progress ORDER BY source").fetchall()
        assert rows == [("uk_trade_remedies", "ok"), ("us_federal_register", "ok")]
        sources = {r[0] for r in conn.execute("SELECT DISTINCT source FROM documents")}
        assert sources == {"uk_trade_remedies", "us_federal_register"}
