"""Run as a subprocess by test_one_delivery_path.py: deliver alerts, digests and escalation notices through
monitor/flow.py (the one delivery loop) until no outbox row is pending, or it gets killed."""

from __future__ import annotations

import sys
import time

from db import open_db
from monitor.flow import deliver_notices, dispatch_pending, send_digests
from watchlists.loader import parse_watchlist

DIGEST = (
    'name: cn-daily\nchannel: "#coercion-digest"\nimposing: ["CN"]\nmin_confidence: 0.1\ndelivery: daily\n'
)
# Above the 0.5 s client timeout with room for a loaded machine: a post still in flight is never reconciled.
RECONCILE_AFTER_S = 1.5
PENDING = (
    "SELECT (SELECT count(*) FROM alerts WHERE status = 'pending' AND kind != 'digest')"
    " + (SELECT count(*) FROM digests WHERE status = 'pending')"
    " + (SELECT count(*) FROM escalation_notices WHERE status = 'pending')"
)


def main(db_path: str, api_url: str) -> int:
    db = open_db(db_path)
    print("ready", flush=True)  # imports done: the parent's kill timer starts now
    digest = parse_watchlist(DIGEST, "digest.yaml").watchlists

    def quiet(_line: str) -> None:
        pass

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        dispatch_pending(
            db,
            token="xoxb-test",
            api_url=api_url,
            echo=quiet,
            timeout_s=0.5,
            min_interval_s=0.0,
            backoff_s=0.05,
            reconcile_after_s=RECONCILE_AFTER_S,
        )
        send_digests(
            db, digest, "daily", token="xoxb-test", api_url=api_url, echo=quiet, timeout_s=0.5, backoff_s=0.05
        )
        deliver_notices(
            db,
            token="xoxb-test",
            api_url=api_url,
            echo=quiet,
            timeout_s=0.5,
            backoff_s=0.05,
            reconcile_after_s=RECONCILE_AFTER_S,
        )
        if not db.execute(PENDING).fetchone()[0]:
            return 0
        time.sleep(0.05)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
