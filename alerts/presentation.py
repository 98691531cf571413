"""What alert text needs beyond the event row: the publisher's name and country, every measure the
document carries, and the display settings (time zone, console URL) the configuration put in the store.

The settings live in `alert_settings` (written by monitor/context.py from the configuration) so that
every path that renders an alert — dispatch, digests, `cwatch alerts show` — reads the same ones
without each passing them along.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

TIMEZONE_KEY = "display_timezone"
CONSOLE_KEY = "console_url"


def save_display_settings(db: Database, timezone: str, console_url: str | None) -> None:
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO alert_settings (key, value) VALUES (?, ?)", [TIMEZONE_KEY, timezone]
        )
        if console_url:
            db.execute(
                "INSERT OR REPLACE INTO alert_settings (key, value) VALUES (?, ?)", [CONSOLE_KEY, console_url]
            )
        else:
            db.execute("DELETE FROM alert_settings WHERE key = ?", [CONSOLE_KEY])


def presentation(db: Database, view: dict[str, Any]) -> dict[str, Any]:
    """Extra keys for alerts/render.py: publisher, jurisdiction, measures, display_tz, console_url."""
    settings = dict(
        db.execute(
            "SELECT key, value FROM alert_settings WHERE key IN (?, ?)", [TIMEZONE_KEY, CONSOLE_KEY]
        ).fetchall()
    )
    extra: dict[str, Any] = {
        "display_tz": settings.get(TIMEZONE_KEY) or "UTC",
        "console_url": settings.get(CONSOLE_KEY),
    }
    if view.get("source"):
        row = db.execute(
            "SELECT publisher, jurisdiction FROM sources WHERE slug = ?", [view["source"]]
        ).fetchone()
        if row:
            extra["publisher"], extra["jurisdiction"] = row[0], row[1]
    if view.get("document_id"):
        extra["measures"] = [
            r[0]
            for r in db.execute(
                "SELECT event_type FROM events WHERE document_id = ? AND event_type != 'none'"
                " ORDER BY confidence DESC, event_type",
                [view["document_id"]],
            )
        ]
    return extra
