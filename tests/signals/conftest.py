"""One replay of the fixture timeline per test session (real spiders, real tagger, fake Slack)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from db import open_db
from monitor.flow import dispatch_pending
from monitor.flow import match as match_new_events
from monitor.flow import signals_daily as daily
from nlp.stage import tag_new_documents
from nlp.tagger import Tagger
from signals.jobs import DailySummary
from tests.signals.timeline import STEPS, prepare_site, publish_until
from tests.support.fake_slack import FakeSlack
from tests.support.http_server import FixtureServer, crawl
from watchlists.loader import load_watchlists
from watchlists.schema import Watchlist

TOKEN = "xoxb-signals-test"
WATCHLISTS = {
    "cn-on-us.yaml": """
name: cn-on-us
description: Chinese measures against the United States
channel: "#trade-alerts"
imposing: [CN]
targets: [US]
min_confidence: 0.5
sharing: "TLP:GREEN"
escalation:
  - pair: CN-US
    crosses: 2.5
""",
    "us-controls.yaml": """
name: us-controls
channel: "#us-controls"
imposing: [US]
event_types: [export_control]
sharing: "TLP:AMBER"
""",
}
UNTIL = date(2025, 5, 31)


@dataclass
class Replay:
    db_path: Path
    watchlists_dir: Path
    watchlists: list[Watchlist]
    slack: FakeSlack
    crawl_runs: list[dict[str, Any]]
    daily: DailySummary


@pytest.fixture(scope="session")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    base = tmp_path_factory.mktemp("signals")
    site, db_path, folder = base / "site", base / "events.db", base / "watchlists"
    prepare_site(site)
    folder.mkdir()
    for name, text in WATCHLISTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded = load_watchlists(folder)
    assert loaded.ok, loaded.errors
    tagger = Tagger.load()
    runs: list[dict[str, Any]] = []
    with FixtureServer(site) as server, FakeSlack() as slack:
        for day, slugs in STEPS:
            publish_until(site, day)
            runs += crawl(db_path, server, slugs, settings={"CWATCH_CN_MOFCOM_YEARS": "2024"}).values()
            db = open_db(db_path)
            tag_new_documents(db, tagger)
            match_new_events(db, loaded.watchlists)
            dispatch_pending(db, token=TOKEN, api_url=slack.url, min_interval_s=0.0, echo=lambda _line: None)
        summary = daily(
            open_db(db_path),
            loaded.watchlists,
            until=UNTIL,
            since=date(2024, 1, 1),
            token=TOKEN,
            api_url=slack.url,
            echo=lambda _line: None,
        )
        yield Replay(db_path, folder, loaded.watchlists, slack, runs, summary)
