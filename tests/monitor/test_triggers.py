"""Event-driven stages: woken runs are never lost and never overlap; the daemon alerts a new notice even
when the tag and alert schedules are an hour long, because the crawl's end wakes them."""

from __future__ import annotations

import threading
from pathlib import Path

from crawlers.localserver import FixtureServer
from monitor.triggers import StageRunner, crawl_stored_something
from tests.support.daemon_process import DaemonProcess
from tests.support.fake_slack import FakeSlack
from tests.support.tra_site import Notice, publish, write_daemon_config

DEADLINE_S = 150  # a bound on the wait, not a performance assertion


def test_wake_during_a_run_repeats_the_stage_once_and_runs_never_overlap() -> None:
    runner = StageRunner()
    entered, release = threading.Event(), threading.Event()
    active, overlaps, calls = [0], [0], [0]
    lock = threading.Lock()

    def body() -> None:
        with lock:
            active[0] += 1
            calls[0] += 1
            overlaps[0] = max(overlaps[0], active[0])
        if calls[0] == 1:
            entered.set()
            release.wait(10)
        with lock:
            active[0] -= 1

    runner.wake("tag", body)
    assert entered.wait(10)
    runner.wake("tag", body)  # arrives mid-run: must be served by the running instance, after it
    runner.wake("tag", body)  # a second request while one is pending collapses into the same repeat
    runner.run("tag", body)  # a scheduled poll meanwhile returns at once
    release.set()
    runner.join(10)
    assert calls[0] == 2
    assert overlaps[0] == 1


def test_a_failing_run_does_not_block_later_runs() -> None:
    runner = StageRunner()
    calls: list[str] = []

    def boom() -> None:
        calls.append("boom")
        raise RuntimeError("store locked")

    runner.run("alert", boom)
    runner.run("alert", lambda: calls.append("ok"))
    assert calls == ["boom", "ok"]


def test_only_crawls_that_stored_something_wake_tagging() -> None:
    assert not crawl_stored_something([{"slug": "a", "new": 0, "changed": 0}, {"slug": "b"}])
    assert crawl_stored_something([{"slug": "a", "new": 0, "changed": 0}, {"slug": "b", "changed": 1}])


def test_daemon_alerts_new_notice_through_wakeups_with_hour_long_schedules(tmp_path: Path) -> None:
    root = tmp_path / "site"
    published: list[Notice] = []
    notice = Notice(
        "tra-initiates-anti-dumping-investigation-into-float-glass-from-china",
        "TRA initiates anti-dumping investigation into float glass from China",
        "The Trade Remedies Authority has initiated an anti-dumping investigation into imports of float glass"
        " originating in the People's Republic of China, following an application from UK glass makers.",
        "2026-11-20T09:30:00+00:00",
    )
    publish(root, published, notice)
    with FixtureServer(root) as site, FakeSlack() as slack:
        # Tag and alert jobs first fire an hour from start: only the crawl's wake-up can deliver in time.
        config = write_daemon_config(tmp_path, site.url, crawl_every="1h", other_jobs_every="1h")
        daemon = DaemonProcess.start(tmp_path, config, slack.url)
        try:
            daemon.wait_for(
                lambda: any("float glass" in (m.text or "") for m in slack.messages()),
                "the alert woken by the first crawl",
                DEADLINE_S,
            )
            assert daemon.stop() == 0, daemon.tail()
        finally:
            daemon.stop()
