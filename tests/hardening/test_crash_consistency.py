"""kill -9 of the crawl, tagging and dispatch processes at random points, cycle after cycle, then one
undisturbed pass: the store must be intact, no document or event half-written, every alert posted once.

The three stages run concurrently against one store (as under the daemon) and each is SIGKILLed at an
independent random moment. Bounded: CYCLES cycles of at most ~3 s each, plus one final pass.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from crawlers.localserver import FixtureServer
from db import open_db
from tests.hardening.stage_child import dedupe, expected_events
from tests.support.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("stage_child.py")
FEED = "hostile_feed/feeds.hostile.example/feed.xml"
PER_CYCLE = 6  # new feed entries per cycle


def write_feed(root: Path, upto: int) -> None:
    items = "".join(
        f"<item><title>Notice {n}: measures on gallium and graphite exports</title>"
        f"<link>https://feeds.hostile.example/n/{n}</link><guid>n-{n}</guid>"
        f"<description>{f'Text of notice {n} about export licensing. ' * 30}</description></item>"
        for n in range(upto)
    )
    path = root / FEED
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f'<?xml version="1.0"?><rss><channel>{items}</channel></rss>', encoding="utf-8")
    tmp.replace(path)  # atomic: the crawler never reads half a feed


def crawl_command(db_path: Path, server: FixtureServer) -> list[str]:
    settings = {"LOG_LEVEL": "ERROR", "DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 0}
    return [sys.executable, "-m", "crawlers.crawl", "--db", str(db_path), "--replay-root", server.url,
            "--spider-module", "tests.hardening.spiders", "--settings", json.dumps(settings), "hostile_feed"]  # fmt: skip


def run_killed(commands: list[tuple[list[str], float, float]], rng: random.Random) -> int:
    """Start all commands at once; SIGKILL each at its own random moment in [low, high] s unless it
    finished first."""
    children = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c, _, _ in commands
    ]
    start = time.monotonic()
    kill_times = [start + rng.uniform(low, high) for _, low, high in commands]
    kills = 0
    for child, kill_at in zip(children, kill_times, strict=True):
        try:
            child.wait(timeout=max(0.0, kill_at - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
    return kills


def check_store(db_path: Path) -> dict[str, int]:
    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")  # raises if torn
    untagged_with_events = db.execute(
        "SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id WHERE d.tagged_at IS NULL"
    ).fetchone()[0]
    assert untagged_with_events == 0
    tagged = 0
    for doc_id, title, tagged_at in db.execute("SELECT id, title, tagged_at FROM documents").fetchall():
        if tagged_at is None:
            continue
        tagged += 1
        want = {
            (
                e.event_type,
                tuple(sorted(e.targets)),
                tuple(c for c, _ in e.commodities),
                tuple(e.technologies),
            )
            for e in dedupe(expected_events(title))
        }
        got = set()
        for event_id, event_type in db.execute(
            "SELECT id, event_type FROM events WHERE document_id = ?", [doc_id]
        ).fetchall():
            roles = [
                tuple(r[0] for r in db.execute(f"SELECT {col} FROM {table} WHERE event_id = ? ORDER BY 1", [event_id]))
                for table, col in (("event_targets", "country"), ("event_commodities", "commodity"),
                                   ("event_technologies", "technology"))
            ]  # fmt: skip
            got.add((event_type, *roles))
        assert got == want, f"document {doc_id} has incomplete events"
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    db.conn.close()
    return {"documents": documents, "tagged": tagged}


def crash_cycles(tmp_path: Path, cycles: int, seed: int) -> None:
    site = tmp_path / "site"
    write_feed(site, 0)
    db_path = tmp_path / "cwatch.db"
    open_db(db_path).conn.close()
    rng = random.Random(seed)
    kills = 0
    with FixtureServer(site) as server, FakeSlack(hang_s=0.5, retry_after_s=0) as slack:
        for cycle in range(cycles):
            write_feed(site, (cycle + 1) * PER_CYCLE)
            kills += run_killed(
                [  # the crawl process needs ~1 s to start Scrapy: its window starts later
                    (crawl_command(db_path, server), 0.5, 4.0),
                    ([sys.executable, str(CHILD), "tag", str(db_path), "0.05"], 0.2, 2.0),
                    ([sys.executable, str(CHILD), "dispatch", str(db_path), slack.url], 0.2, 2.0),
                ],
                rng,
            )
        with open_db(db_path).conn as conn:  # work done between kills: proof the kills landed mid-pipeline
            during = {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "events")
            }
            during["sent"] = conn.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone()[0]
        # One undisturbed pass of every stage: whatever a kill interrupted must complete now.
        for command in (
            crawl_command(db_path, server),
            [sys.executable, str(CHILD), "tag", str(db_path)],
            [sys.executable, str(CHILD), "dispatch", str(db_path), slack.url],
        ):
            assert subprocess.run(command, cwd=ROOT, timeout=120, capture_output=True).returncode == 0
        keys = Counter(m.metadata["event_payload"]["key"] for m in slack.messages() if m.metadata)  # type: ignore[index]

    summary = check_store(db_path)
    db = open_db(db_path)
    alerts = db.execute("SELECT id, status FROM alerts").fetchall()
    instance = db.execute("SELECT value FROM alert_settings WHERE key = 'instance'").fetchone()[0]
    db.conn.close()
    report = {
        **summary,
        "alerts": len(alerts),
        "posted": len(keys),
        "kills": kills,
        "before_final_pass": during,
    }
    print("crash-consistency:", json.dumps(report))
    assert kills > 0, "no process was ever killed: the test did not test anything"
    assert during["documents"] > 0, report  # crawls stored documents between kills, not only at the end
    assert summary["documents"] == cycles * PER_CYCLE and summary["tagged"] == summary["documents"], report
    assert [k for k, n in keys.items() if n > 1] == [], report  # never twice
    assert sorted(keys) == sorted(f"{instance}:{a[0]}" for a in alerts), report  # every alert once
    assert {a[1] for a in alerts} == {"sent"} and len(alerts) == summary["documents"], report


def test_kill_9_at_random_points_keeps_the_store_consistent(tmp_path: Path) -> None:
    crash_cycles(tmp_path, cycles=10, seed=9)


@pytest.mark.slow
def test_kill_9_fifty_cycles(tmp_path: Path) -> None:
    crash_cycles(tmp_path, cycles=50, seed=2025)
