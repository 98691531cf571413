"""Escalation notices (queued by signals/notify.py into escalation_notices) rendered for delivery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from alerts.render import HEADER_MAX, SECTION_MAX, cut, escape_mrkdwn, safe_url
from db.outbox import now_iso
from db.records import Message, OutboxItem


def notice_items(db: Database) -> Iterator[OutboxItem]:
    rows = db.query(
        "SELECT * FROM escalation_notices WHERE status = 'pending'"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
        [now_iso()],
    )
    for row in list(rows):
        message = render_notice(row)
        yield OutboxItem(
            table="escalation_notices",
            id=int(row["id"]),
            channel=str(row["channel"]),
            key=f"escalation:{row['id']}",
            message=message,
            terminal=message.text,
            attempts=int(row["attempts"]),
            claimed_at=row["claimed_at"],
        )


def render_notice(notice: dict[str, Any]) -> Message:
    detail = json.loads(notice["detail"])
    kind, level = notice["rule"].split(":", 1)
    what = f"crossed {level}" if kind == "crosses" else f"rose {detail.get('change_7d', 0):.0f}% in 7 days"
    head = cut(f"Escalation: {notice['imposing']} → {notice['target']} {what}", HEADER_MAX)
    lines = [
        f"*Index {detail['value']:.2f}* on {notice['day']} (7-day change {detail.get('change_7d', 0):+.0f}%)."
    ]
    for item in detail.get("top") or []:
        title = escape_mrkdwn(cut(" ".join(str(item.get("title") or "").split()), 200))
        url = safe_url(item.get("url"))
        lines.append(
            f"• {f'<{url}|{title}>' if url else title} ({item.get('since')}, weight {item['weight']:.2f})"
        )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": head, "emoji": False}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": cut("\n".join(lines), SECTION_MAX), "verbatim": True},
        },
        {"type": "context", "elements": [{"type": "plain_text", "text": f"watchlist {notice['watchlist']}"}]},
    ]
    return Message(text=escape_mrkdwn(head), blocks=blocks)
