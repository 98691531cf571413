"""Exactly-once delivery under failure: a flaky Slack, and a dispatcher SIGKILLed at random points."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pycountry
from sqlite_utils import Database

from alerts.matching import match_new_events
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import parse_watchlist

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("dispatcher_child.py")
MAX_RESTARTS = 25
FLAKY = ("ratelimited", "server_error", "hang", "posted_then_500", "posted_then_hang")

WATCHLIST = """
name: cn-everything
channel: "#coercion-load"
imposing: ["CN"]
min_confidence: 0.1
"""


def _seed_outbox(db: Database) -> None:
    countries = [c.alpha_2 for c in pycountry.countries][:80]
    for n, code in enumerate(countries):  # 80 separate stories ...
        add_event(db, n, title=f"Notice {n} measure on {code}", targets=[code], commodities=[])
    for n in range(20):  # ... and 20 follow-ups posted as thread replies under the first 20
        add_event(db, 100 + n, title=f"Follow-up {n} guidance", targets=[countries[n]], commodities=[])
    watchlists = parse_watchlist(WATCHLIST, "inline.yaml").watchlists
    assert match_new_events(db, watchlists) == 100


def test_every_alert_posted_exactly_once_despite_failures_and_kills(store: Database, tmp_path: Path) -> None:
    _seed_outbox(store)
    db_path = str(tmp_path / "cwatch.db")
    rng = random.Random(20250116)
    with FakeSlack(hang_s=1.0, retry_after_s=0) as fake:
        fake.fail_randomly(0.2, FLAKY, seed=7)
        kills = 0
        finished = False
        while kills < MAX_RESTARTS and not finished:
            child = subprocess.Popen(
                [sys.executable, str(CHILD), db_path, fake.url], cwd=ROOT, stdout=subprocess.PIPE
            )
            assert child.stdout is not None and child.stdout.readline() == b"ready\n"
            try:
                finished = child.wait(timeout=rng.uniform(0.2, 1.2)) == 0
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                kills += 1
        fake.stop_failing()
        if not finished:  # the hard cap on restarts was reached: one last undisturbed run
            assert (
                subprocess.run(
                    [sys.executable, str(CHILD), db_path, fake.url], cwd=ROOT, timeout=90
                ).returncode
                == 0
            )
        posted = [m for m in fake.messages() if m.metadata]
        keys = Counter(m.metadata["event_payload"]["key"] for m in posted)  # type: ignore[index]
        calls = Counter(r.outcome for r in fake.requests("chat.postMessage"))

    rows = list(store.query("SELECT id, status, slack_ts, kind, thread_of FROM alerts ORDER BY id"))
    duplicates = sum(count - 1 for count in keys.values())
    lost = [row["id"] for row in rows if row["status"] != "sent"]
    report = {
        "alerts": len(rows),
        "posted": len(keys),
        "duplicates": duplicates,
        "lost": len(lost),
        "kills": kills,
        "post_calls": dict(calls),
    }
    print("exactly-once:", json.dumps(report))
    assert kills > 0 and sum(n for k, n in calls.items() if k != "ok") > 0  # the faults really happened
    assert duplicates == 0, report
    assert lost == [] and len(keys) == len(rows) == 100, report
    by_ts = {m.ts: m for m in posted}
    for row in rows:  # what the store recorded is what Slack shows, replies in their parent's thread
        assert row["slack_ts"] in by_ts
        if row["kind"] == "reply":
            parent = next(r for r in rows if r["id"] == row["thread_of"])
            assert by_ts[row["slack_ts"]].thread_ts == parent["slack_ts"]
