"""Run as a subprocess by the exactly-once test: dispatch until the outbox is empty (or it gets killed)."""

from __future__ import annotations

import sys
import time

from db import open_db
from monitor.flow import dispatch_pending


def main(db_path: str, api_url: str) -> int:
    db = open_db(db_path)
    print("ready", flush=True)  # imports done: the parent's kill timer starts now
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        dispatch_pending(
            db,
            token="xoxb-test",
            api_url=api_url,
            echo=lambda _: None,
            timeout_s=0.5,
            min_interval_s=0.0,
            backoff_s=0.05,
            reconcile_after_s=0.6,
        )
        if not db.execute("SELECT count(*) FROM alerts WHERE status = 'pending'").fetchone()[0]:
            return 0
        time.sleep(0.05)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
