"""Event-driven stages for the daemon: a crawl that stored something runs the tag stage now, a tag run that
wrote something runs the alert stage now, instead of both waiting for their polling schedules.

The polling schedules stay as the fallback (documents stored by `cwatch ingest`, a failed run). Every run of
a stage, scheduled or woken, goes through `StageRunner.run`, which runs one instance at a time and remembers
a request that arrives mid-run: the stage runs once more right after, so a document stored while tagging is
not left for the next poll. This is done here rather than by moving an APScheduler job's next run time,
because the scheduler skips a run while the previous instance is still counted as running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from monitor.logs import kv

log = logging.getLogger("cwatch.daemon")


def crawl_stored_something(results: list[dict[str, Any]]) -> bool:
    """Whether any crawl result reports new or changed documents (the only reason to wake tagging)."""
    return any((result.get("new") or 0) + (result.get("changed") or 0) > 0 for result in results)


class StageRunner:
    """Single-instance stage runs with wake-ups that are never lost."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._again: set[str] = set()
        self._threads: list[threading.Thread] = []

    def run(self, stage: str, body: Callable[[], None]) -> None:
        """Run `body` now unless `stage` is already running; then the running instance repeats it once."""
        with self._lock:
            if stage in self._running:
                self._again.add(stage)
                return
            self._running.add(stage)
        done = False
        try:
            while not done:
                try:
                    body()
                except Exception as exc:  # a failed woken run must not kill its thread silently
                    log.exception("stage failed", extra=kv(stage=stage, error=type(exc).__name__))
                with self._lock:  # check and release under one lock, so no request slips between
                    done = stage not in self._again
                    self._again.discard(stage)
                    if done:
                        self._running.discard(stage)
        finally:
            if not done:
                with self._lock:
                    self._running.discard(stage)

    def wake(self, stage: str, body: Callable[[], None]) -> None:
        """Run `stage` in its own thread now (returns at once). Non-daemon: a run in flight at shutdown
        finishes its transaction, as the scheduler's own job threads do."""
        thread = threading.Thread(target=self.run, args=(stage, body), name=f"wake-{stage}")
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def join(self, timeout_s: float) -> None:
        """Wait for woken runs still in flight (used on shutdown and by tests)."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout_s)
