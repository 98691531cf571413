"""Run `cwatch serve` as a real child process for tests and benches, with its log in a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class DaemonProcess:
    proc: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, folder: Path, config: Path, slack_url: str) -> DaemonProcess:
        log = folder / f"daemon-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-daemon-test",
            "SLACK_API_URL": slack_url,
            "HF_HUB_OFFLINE": "1",
            "CWATCH_LOG_LEVEL": "INFO",
        }
        env.pop("CWATCH_DB", None)
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config), "serve"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        return cls(proc, log)

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def wait_for(self, condition: Callable[[], bool], what: str, deadline_s: float) -> None:
        """Poll `condition` until true; fail with the daemon's log if it exits or the bound passes."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"daemon exited with {self.proc.returncode} waiting for {what}:\n{self.tail()}"
                )
            time.sleep(0.5)
        raise AssertionError(f"gave up waiting for {what} after {deadline_s}s")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self, timeout_s: float = 90) -> int:
        """SIGTERM, then wait; killed if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout_s)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
