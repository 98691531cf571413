"""Crawl → tag → match → Slack: the real spiders on 127.0.0.1, the real model, the example watchlists,
slack-sdk's WebClient against the fake Slack. Run twice: the second run stores and sends nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crawlers.localserver import FixtureServer
from monitor.cli import main
from tests.support.fake_slack import FakeSlack

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _posts(slack: FakeSlack, channel: str) -> list[dict]:
    return [r.body for r in slack.requests("chat.postMessage") if r.body.get("channel") == channel]


def test_pipeline_end_to_end_and_idempotent(tmp_path: Path) -> None:
    with FixtureServer(FIXTURES) as site, FakeSlack() as slack:
        config = tmp_path / "cwatch.yaml"
        config.write_text(
            f"db: {tmp_path / 'store.db'}\n"
            f"crawl:\n  sources: [us_federal_register, cn_mofcom]\n  replay_root: {site.url}\n",
            encoding="utf-8",
        )
        env = {"SLACK_BOT_TOKEN": "xoxb-end-to-end", "SLACK_API_URL": slack.url, "CWATCH_DB": None}
        first = CliRunner().invoke(main, ["--config", str(config), "run", "--once"], env=env)
        assert first.exit_code == 0, first.output
        assert "crawl us_federal_register      ok" in first.output and "crawl cn_mofcom" in first.output
        assert "crawl jp_meti" not in first.output  # only the configured sources

        semis = _posts(slack, "#coercion-semis")
        fdpr = [p for p in semis if "Foreign-Produced Direct Product Rule Additions" in p["text"]]
        assert len(fdpr) == 1
        # Same measure, same story: the December 2024 rules share one story, later ones threaded under the first.
        # The March 2025 Entity List additions (three months later) are a story of their own.
        december = [p for p in semis if "2025-03-28" not in str(p)]
        top_level = [p for p in december if "thread_ts" not in p]
        assert len(top_level) == 1 and len({p["thread_ts"] for p in december if "thread_ts" in p}) == 1
        assert len([p for p in semis if "2025-03-28" in str(p) and "thread_ts" not in p]) == 1
        blocks = fdpr[0]["blocks"]
        assert "Export control: US → CN" in blocks[0]["text"]["text"]
        assert "https://www.federalregister.gov/documents/2024/12/05/2024-28270/" in blocks[1]["text"]["text"]
        assert "semiconductor manufacturing equipment" in blocks[2]["fields"][1]["text"]

        minerals = _posts(slack, "#coercion-minerals")
        antimony = [p for p in minerals if "2024年第33号" in p["text"]]
        assert len(antimony) == 1
        assert antimony[0]["blocks"][0]["text"]["text"].startswith("Export control: CN")
        assert "antimony" in antimony[0]["blocks"][2]["fields"][0]["text"]
        # Nothing unrelated was alerted: every post matched one of the two example watchlists.
        assert {r.body["channel"] for r in slack.requests("chat.postMessage")} <= {
            "#coercion-semis",
            "#coercion-minerals",
        }

        posts_before = len(slack.requests("chat.postMessage"))
        with sqlite3.connect(tmp_path / "store.db") as conn:
            documents_before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        second = CliRunner().invoke(main, ["--config", str(config), "run", "--once"], env=env)
        assert second.exit_code == 0, second.output
        assert "new   0" in second.output and "new   3" not in second.output
        assert len(slack.requests("chat.postMessage")) == posts_before
        with sqlite3.connect(tmp_path / "store.db") as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == documents_before
            assert conn.execute("SELECT count(*) FROM alerts WHERE status != 'sent'").fetchone()[0] == 0
