"""Analyst feedback: 👍/👎 reactions on recent alerts, read with reactions.get and stored as labels.

alert_feedback keeps every (alert, reaction, user) seen; alert_labels keeps the current verdict per alert
(relevant / not_relevant / disputed) and a review state the NLP side can use for training and review.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlite_utils import Database

from db import outbox
from delivery import feedback_schedule
from delivery.slack import make_client

UP = {"+1", "thumbsup", "white_check_mark", "heavy_check_mark"}
DOWN = {"-1", "thumbsdown", "x", "no_entry_sign"}


def collect_feedback(
    db: Database, *, token: str, api_url: str | None, days: int = 7, timeout_s: float = 10.0
) -> int:
    """Read reactions on alerts sent in the last `days`; returns how many alerts got a label."""
    client = make_client(token, api_url, timeout_s=timeout_s)
    now = datetime.now(UTC)
    since = outbox.iso(now - timedelta(days=days))
    rows = list(
        db.query(
            "SELECT id, watchlist, document_id, channel_id, slack_ts, sent_at FROM alerts WHERE status = 'sent'"
            " AND kind IN ('alert', 'reply') AND channel_id IS NOT NULL AND slack_ts IS NOT NULL"
            " AND slack_ts != ? AND sent_at >= ?",
            [outbox.TERMINAL_TS, since],
        )
    )
    labelled = 0
    for row in feedback_schedule.due(db, rows, now):  # back-off by age (delivery/feedback_schedule.py)
        try:
            response = client.reactions_get(channel=row["channel_id"], timestamp=row["slack_ts"], full=True)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                break  # rate limited: stop this run; the rest are still due next run
            continue  # feedback is best effort; the next run asks again
        except (SlackClientError, OSError):
            continue
        with db.conn:
            feedback_schedule.record_check(db, int(row["id"]), now)
        reactions = (response.get("message") or {}).get("reactions") or []
        votes = [(r["name"].split("::")[0], user) for r in reactions for user in r.get("users") or []]
        up = len({u for name, u in votes if name in UP})
        down = len({u for name, u in votes if name in DOWN})
        with db.conn:
            for name, user in votes:
                if name in UP | DOWN:
                    db.execute(
                        "INSERT OR IGNORE INTO alert_feedback (alert_id, reaction, user, seen_at)"
                        " VALUES (?, ?, ?, ?)",
                        [row["id"], name, user, outbox.now_iso()],
                    )
            if up or down:
                label = "disputed" if up and down else ("relevant" if up else "not_relevant")
                review = "needs_review" if label != "relevant" else "confirmed"
                db.execute(
                    "INSERT OR REPLACE INTO alert_labels (alert_id, document_id, watchlist, up, down, label,"
                    " review_state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        row["id"],
                        row["document_id"],
                        row["watchlist"],
                        up,
                        down,
                        label,
                        review,
                        outbox.now_iso(),
                    ],
                )
                labelled += 1
    return labelled
