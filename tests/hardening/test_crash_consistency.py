"""kill -9 of the crawl, tagging and dispatch processes at random points, cycle after cycle, then one
undisturbed pass: the store must be intact, no document or event half-written, every alert posted once.

The three stages run concurrently against one store (as under the daemon) and each is SIGKILLed at an
independent random point of its own progress. Bounded: each cycle ends within 15 s, plus one final pass.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawlers.localserver import FixtureServer
from db import open_db
from tests.hardening.stage_child import STAGE_VERSION, dedupe, expected_events
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


@dataclass
class Stage:
    name: str
    command: list[str]
    progress: Callable[[], int]  # work this stage has completed so far, read from the store or Slack


def run_killed(stages: list[Stage], rng: random.Random, deadline_s: float = 15.0) -> Counter[str]:
    """Start all stages at once and SIGKILL each at its own random point of its work: after it completed
    1 to PER_CYCLE - 1 further items (mid-run, whatever the machine's speed), or for one stage in four at a
    random moment of its first 1.5 s (mid-start-up). Returns the kills per stage that landed while the
    process was running; a stage that finished first is not killed."""
    plans: list[Callable[[], bool]] = []  # per stage: is it time to kill?
    for stage in stages:
        if rng.random() < 0.25:
            at = time.monotonic() + rng.uniform(0.05, 1.5)
            plans.append(lambda at=at: time.monotonic() >= at)  # type: ignore[misc]
        else:
            target = stage.progress() + rng.randint(1, PER_CYCLE - 1)
            plans.append(lambda stage=stage, target=target: stage.progress() >= target)  # type: ignore[misc]
    children = [subprocess.Popen(s.command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for s in stages]  # fmt: skip
    kills = Counter[str]()
    deadline = time.monotonic() + deadline_s
    while any(c.poll() is None for c in children):
        for stage, child, is_due in zip(stages, children, plans, strict=True):
            if child.poll() is not None:
                continue
            due = is_due()
            if due or time.monotonic() > deadline:
                child.send_signal(signal.SIGKILL)
                child.wait()
                kills[stage.name if due else "deadline"] += 1
        time.sleep(0.005)
    return kills


def counter(db_path: Path, sql: str) -> Callable[[], int]:
    def read() -> int:
        with closing(sqlite3.connect(db_path, timeout=10)) as conn:
            return int(conn.execute(sql).fetchone()[0])

    return read


def check_store(db_path: Path) -> dict[str, int]:
    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")  # raises if torn
    untagged_with_events = db.execute(
        "SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id WHERE d.tagged_at IS NULL"
    ).fetchone()[0]
    assert untagged_with_events == 0
    # nlp.stage writes events, the tagged mark and the score in one transaction: never one without the other.
    unscored = db.execute(
        "SELECT count(*) FROM documents d LEFT JOIN tag_scores t ON t.document_id = d.id"
        " WHERE d.tag_version = ? AND (t.document_id IS NULL OR t.model_version != ?)",
        [STAGE_VERSION, STAGE_VERSION],
    ).fetchone()[0]
    assert unscored == 0
    scored_untagged = db.execute(
        "SELECT count(*) FROM tag_scores t JOIN documents d ON d.id = t.document_id WHERE d.tagged_at IS NULL"
    ).fetchone()[0]
    assert scored_untagged == 0
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
    scored = db.execute(
        "SELECT count(*) FROM tag_scores WHERE model_version = ?", [STAGE_VERSION]
    ).fetchone()[0]
    db.conn.close()
    return {"documents": documents, "tagged": tagged, "scored": scored}


def crash_cycles(tmp_path: Path, cycles: int, seed: int) -> None:
    site = tmp_path / "site"
    write_feed(site, 0)
    db_path = tmp_path / "cwatch.db"
    open_db(db_path).conn.close()
    rng = random.Random(seed)
    kills = Counter[str]()
    # Slack answers after 30 ms, as over a network: dispatch takes long enough to be killed mid-way.
    with FixtureServer(site) as server, FakeSlack(hang_s=0.5, retry_after_s=0, latency_s=0.03) as slack:
        stages = [
            Stage("crawl", crawl_command(db_path, server), counter(db_path, "SELECT count(*) FROM documents")),
            Stage("tag", [sys.executable, str(CHILD), "tag", str(db_path), "0.05", "1.0"],
                  counter(db_path, "SELECT count(*) FROM documents WHERE tagged_at IS NOT NULL")),
            Stage("dispatch", [sys.executable, str(CHILD), "dispatch", str(db_path), slack.url, "1.0"],
                  lambda: len(slack.messages())),
        ]  # fmt: skip
        for cycle in range(cycles):
            write_feed(site, (cycle + 1) * PER_CYCLE)
            kills += run_killed(stages, rng)
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
        "kills": dict(kills),
        "before_final_pass": during,
    }
    print("crash-consistency:", json.dumps(report))
    # Every stage was killed mid-work in a good share of the cycles, else the test tested nothing.
    assert all(kills[stage] >= cycles // 3 for stage in ("crawl", "tag", "dispatch")), report
    assert during["documents"] > 0, report  # crawls stored documents between kills, not only at the end
    assert summary["documents"] == cycles * PER_CYCLE and summary["tagged"] == summary["documents"], report
    assert summary["scored"] == summary["documents"], report  # tagged through nlp.stage, score included
    assert [k for k, n in keys.items() if n > 1] == [], report  # never twice
    assert sorted(keys) == sorted(f"{instance}:{a[0]}" for a in alerts), report  # every alert once
    assert {a[1] for a in alerts} == {"sent"} and len(alerts) == summary["documents"], report


def test_kill_9_at_random_points_keeps_the_store_consistent(tmp_path: Path) -> None:
    crash_cycles(tmp_path, cycles=10, seed=9)


@pytest.mark.slow
def test_kill_9_fifty_cycles(tmp_path: Path) -> None:
    crash_cycles(tmp_path, cycles=50, seed=2025)
