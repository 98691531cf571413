"""Alerts, digests and escalation notices all leave through delivery/engine.py: two dispatchers racing on one
store, a flaky fake Slack and SIGKILLs still give exactly one post per outbox row."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlite_utils import Database

from alerts.matching import match_new_events
from db.outbox import now_iso
from tests.alerts.all_kinds_child import DIGEST
from tests.alerts.conftest import add_event
from tests.alerts.test_exactly_once import FLAKY, _seed_outbox
from tests.support.fake_slack import FakeSlack
from watchlists.loader import parse_watchlist

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("all_kinds_child.py")
NOTICES = 10


def _seed(db: Database) -> None:
    _seed_outbox(db)  # 100 immediate alerts (80 first alerts, 20 replies)
    add_event(db, 500, title="Gallium export licensing", targets=["US"], commodities=["gallium"])
    assert match_new_events(db, parse_watchlist(DIGEST, "digest.yaml").watchlists) >= 1
    with db.conn:  # what signals/notify.py queues when a watchlist's escalation rule fires
        for n in range(NOTICES):
            db.execute(
                "INSERT INTO escalation_notices (watchlist, channel, imposing, target, rule, day, value,"
                " detail, created_at) VALUES ('w', '#coercion-escalation', 'CN', 'US', 'crosses:3', ?, 3.5,"
                " ?, ?)",
                [f"2025-05-{n + 1:02d}", json.dumps({"value": 3.5, "change_7d": 10.0, "top": []}), now_iso()],
            )


def _run_two(db_path: str, url: str, rng: random.Random) -> int:
    """Two dispatchers at once, each killed at a random moment; returns how many kills happened."""
    kills = 0
    for _round in range(12):
        children = [
            subprocess.Popen([sys.executable, str(CHILD), db_path, url], cwd=ROOT, stdout=subprocess.PIPE)
            for _ in range(2)
        ]
        for child in children:  # both started: the kill timers count from here
            assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        codes = []
        for child in children:
            try:
                codes.append(child.wait(timeout=rng.uniform(0.2, 1.5)))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                kills += 1
        if codes == [0, 0]:
            break
    return kills


def test_two_dispatchers_post_every_alert_digest_and_notice_exactly_once(
    store: Database, tmp_path: Path
) -> None:
    _seed(store)
    db_path = str(tmp_path / "cwatch.db")
    with FakeSlack(hang_s=1.0, retry_after_s=0) as fake:
        fake.fail_randomly(0.2, FLAKY, seed=11)
        kills = _run_two(db_path, fake.url, random.Random(15))
        fake.stop_failing()
        finals = [
            subprocess.Popen([sys.executable, str(CHILD), db_path, fake.url], cwd=ROOT) for _ in range(2)
        ]
        assert [child.wait(timeout=120) for child in finals] == [0, 0]
        keys = Counter(m.metadata["event_payload"]["key"] for m in fake.messages() if m.metadata)  # type: ignore[index]
        calls = Counter(r.outcome for r in fake.requests("chat.postMessage"))

    rows = {
        "alert": list(store.query("SELECT id, status FROM alerts WHERE kind != 'digest'")),
        "digest": list(store.query("SELECT id, status FROM digests")),
        "escalation": list(store.query("SELECT id, status FROM escalation_notices")),
    }
    kinds = Counter("alert" if k.count(":") == 1 else k.split(":")[1] for k in keys)
    report = {"kills": kills, "posted": dict(kinds), "post_calls": dict(calls)}
    print("two dispatchers:", json.dumps(report))
    assert sum(n for k, n in calls.items() if k != "ok") > 0  # the faults really happened
    assert [k for k, n in keys.items() if n > 1] == [], report  # 0 duplicates
    assert (len(rows["alert"]), len(rows["digest"]), len(rows["escalation"])) == (100, 1, NOTICES)
    for kind, kind_rows in rows.items():  # 0 lost: every row sent and posted once
        assert {r["status"] for r in kind_rows} == {"sent"}, kind
        assert kinds[kind] == len(kind_rows), report
