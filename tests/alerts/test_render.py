"""Rendering: the exact payload Slack receives (through slack-sdk's real WebClient), and injection safety."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from alerts.matching import match_new_events
from alerts.render import BLOCKS_MAX, FIELD_MAX, HEADER_MAX, SECTION_MAX, render_alert
from monitor.flow import dispatch_pending
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import load_watchlists

EXAMPLES = Path(__file__).resolve().parents[2] / "watchlists" / "examples"

EXPECTED_BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Export control: CN → US", "emoji": False}},
    {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "verbatim": True,
            "text": "*<https://www.mofcom.gov.cn/notice/1.html|Announcement No. 1 on export controls"
            " on gallium and germanium"
            " items>*",
        },
    },
    {
        "type": "section",
        "fields": [
            {"type": "plain_text", "text": "Commodities: gallium", "emoji": False},
            {"type": "plain_text", "text": "Technologies: -", "emoji": False},
            {"type": "plain_text", "text": "Stage: announced, effective December 1, 2025", "emoji": False},
            {"type": "plain_text", "text": "Confidence: 0.90", "emoji": False},
        ],
    },
    {
        "type": "section",
        "text": {
            "type": "plain_text",
            "emoji": False,
            "text": "The Ministry of Commerce announces export controls on gallium-related items,"
            " effective December 1, 2025."
            " Exporters must apply for licences.",
        },
    },
    {
        "type": "context",
        "elements": [
            {
                "type": "plain_text",
                "emoji": False,
                "text": "MOFCOM (CN) · published 16 Jan 2025, 09:00 UTC · watchlist cn-critical-minerals",
            }
        ],
    },
]


def test_exact_payload_reaches_slack(store: Database, fake_slack: FakeSlack) -> None:
    add_event(store, 1)
    assert match_new_events(store, load_watchlists(EXAMPLES).watchlists) == 1
    report = dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    assert report.sent == 1
    (request,) = fake_slack.requests("chat.postMessage")
    assert request.headers["Authorization"] == "Bearer xoxb-test"
    body = request.body
    assert body["channel"] == "#coercion-minerals"
    assert body["blocks"] == EXPECTED_BLOCKS
    assert body["text"] == (
        "Export control: CN → US: Announcement No. 1 on export controls on gallium and germanium"
        " items https://www.mofcom.gov.cn/notice/1.html"
    )
    assert body["unfurl_links"] is False and body["metadata"]["event_type"] == "cwatch_alert"
    row = next(iter(store.query("SELECT status, slack_ts, channel_id FROM alerts")))
    assert row == {"status": "sent", "slack_ts": fake_slack.messages()[0].ts, "channel_id": "C00000001"}


HOSTILE = [
    "<!channel> urgent",
    "Ping <@U123> and <!here> and <!subteam^S999>",
    "Click <https://evil.example|click> now",
    "*bold* _italic_ ~strike~ `code` ```block``` > quote",
    "A&B <b>tags</b> &lt;already&gt;",
    "x" * 10_000,
]


def _mrkdwn_texts(blocks: list[dict]) -> list[str]:
    found = []
    for block in blocks:
        for obj in [block.get("text") or {}, *(block.get("fields") or []), *(block.get("elements") or [])]:
            if obj.get("type") == "mrkdwn":
                found.append(obj["text"])
    return found


def test_hostile_titles_and_text_stay_inert_and_within_limits() -> None:
    for hostile in HOSTILE:
        event = {
            "event_type": "export_control",
            "imposing": hostile[:20],
            "targets": [hostile[:30]] * 40,
            "commodities": [hostile] * 5,
            "technologies": [hostile],
            "title": hostile,
            "text": hostile * 3,
            "url": "https://example.gov/a?x=1|<!channel>",
            "source": hostile,
            "published": hostile,
            "stage": "in_force",
            "confidence": 0.8,
        }
        message = render_alert(event, watchlist="w", mentions=[])
        payload = json.dumps(message.blocks)
        assert len(message.blocks) <= BLOCKS_MAX
        for block in message.blocks:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= HEADER_MAX
            if block["type"] == "section":
                assert len((block.get("text") or {}).get("text", "")) <= SECTION_MAX
                assert all(len(f["text"]) <= FIELD_MAX for f in block.get("fields") or [])
        for text in [*_mrkdwn_texts(message.blocks), message.text]:
            # The only '<' left in mrkdwn is our own link to the source; nothing scraped can open one.
            assert "<!" not in text and "<@" not in text and "<https://evil" not in text
            assert text.count("<") <= 1
            assert "*bold*" not in text and "`code`" not in text
        assert "%7C%3C!channel%3E" in payload  # the URL can't close the link or smuggle a mention
        assert len(message.text) <= 3000


def test_hostile_title_is_accepted_by_slack_limits(store: Database, fake_slack: FakeSlack) -> None:
    add_event(store, 1, title="<!channel> " + "y" * 10_000, text="<@U123> " * 3000)
    match_new_events(store, load_watchlists(EXAMPLES).watchlists)
    report = dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    assert report.sent == 1, (
        report
    )  # the fake rejects oversized blocks (invalid_blocks) and text (msg_too_long)
    body = fake_slack.requests("chat.postMessage")[0].body
    assert "&lt;!channel&gt;" in body["blocks"][1]["text"]["text"]


def test_operator_mentions_are_rendered_but_only_from_the_watchlist() -> None:
    event = {"event_type": "tariff", "imposing": "EU", "targets": ["CN"], "title": "t", "url": None}
    message = render_alert(event, watchlist="w", mentions=["U0123ABCD", "S0456EFGH", "here"])
    assert message.text.startswith("<@U0123ABCD> <!subteam^S0456EFGH> <!here> Tariff: EU → CN")
