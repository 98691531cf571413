"""Alert and digest text as an analyst forwards it: publisher and country, dates in the configured time
zone, a header naming the measures, mentions in a block, digests newest first with a console link, and
updates printed under their own story."""

from __future__ import annotations

from sqlite_utils import Database

from alerts.matching import match_new_events
from alerts.presentation import save_display_settings
from alerts.render import measure_label, render_alert
from db.records import DocumentRecord, EventRecord
from db.store import store_document, write_events
from monitor.flow import dispatch_pending, send_digests
from tests.alerts.conftest import SOURCE, add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import parse_watchlist

CONSOLE = "http://127.0.0.1:8001/cwatch"


def _watchlist(delivery: str = "immediate") -> list:  # type: ignore[type-arg]
    text = f'name: cn-all\nchannel: "#c"\nimposing: ["CN"]\ndelivery: {delivery}\n'
    return parse_watchlist(text, "w.yaml").watchlists


def test_header_names_the_measures() -> None:
    assert measure_label(
        {"event_type": "export_control", "measures": ["export_control", "entity_listing"]}
    ) == ("Entity listing")
    assert measure_label({"event_type": "tariff", "measures": ["tariff", "investigation"]}) == (
        "Investigation + tariff"
    )
    assert measure_label({"event_type": "export_control"}) == "Export control"


def test_alert_names_publisher_country_local_time_and_all_measures(
    store: Database, fake_slack: FakeSlack
) -> None:
    save_display_settings(store, "Asia/Shanghai", CONSOLE)
    doc = DocumentRecord(SOURCE.slug, "https://www.mofcom.gov.cn/notice/9.html", "Brandy ruling", "Duties.",
                         "en", "2025-01-16T09:00:00+00:00", "2025-01-16T10:00:00+00:00")  # fmt: skip
    store_document(store, doc)
    write_events(
        store,
        doc.id,
        [
            EventRecord("tariff", 0.9, "restrictive", "CN", "in_force", ["EU"], [("brandy", None)]),
            EventRecord("investigation", 0.8, "restrictive", "CN", "in_force", ["EU"], [("brandy", None)]),
        ],
        "test",
    )
    match_new_events(store, _watchlist())
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    first, *_ = fake_slack.messages()
    assert first.blocks is not None
    assert first.blocks[0]["text"]["text"] == "Investigation + tariff: CN → EU"
    (context,) = [b for b in first.blocks if b["type"] == "context"]
    assert (
        context["elements"][0]["text"] == "MOFCOM (CN) · published 16 Jan 2025, 17:00 CST · watchlist cn-all"
    )


def test_mentions_in_their_own_block_but_not_in_updates() -> None:
    event = {"event_type": "export_control", "imposing": "CN", "targets": ["US"], "title": "T"}
    blocks = render_alert(event, watchlist="w", mentions=["U0123ABCD", "here"]).blocks
    assert blocks[1] == {"type": "section", "text": {"type": "mrkdwn", "text": "For <@U0123ABCD> <!here>"}}
    reply = render_alert(event, watchlist="w", mentions=["U0123ABCD"], reply=True)
    assert not any("U0123ABCD" in str(b) for b in reply.blocks) and "U0123ABCD" not in reply.text


def test_digest_newest_first_with_a_link_to_the_console(store: Database, fake_slack: FakeSlack) -> None:
    save_display_settings(store, "UTC", CONSOLE)
    add_event(store, 1, title="Older gallium notice", published="2025-01-10T09:00:00+00:00")
    add_event(store, 2, title="Newer antimony notice", commodities=["antimony"], targets=["JP"],
              published="2025-01-20T09:00:00+00:00")  # fmt: skip
    watchlists = _watchlist("daily")
    match_new_events(store, watchlists)
    assert send_digests(store, watchlists, "daily", token="xoxb-test", api_url=fake_slack.url) == 1
    (message,) = fake_slack.messages()
    assert message.blocks is not None
    texts = [str(b) for b in message.blocks]
    assert texts[1].find("Newer antimony notice") > 0 and "Older gallium notice" in texts[2]
    assert "MOFCOM (CN) · 20 Jan 2025, 09:00 UTC" in texts[1]
    last = message.blocks[-1]["elements"][0]
    assert (
        last["text"]
        == f"<{CONSOLE}/alerts?watchlist=cn-all&_sort_desc=created_at|All alerts of cn-all in the console>"
    )
    assert not any("cwatch alerts list" in t for t in texts)


def test_terminal_prints_updates_under_their_own_story(store: Database) -> None:
    add_event(store, 1, title="Gallium controls on the US")
    add_event(store, 2, title="Antimony controls on Japan", commodities=["antimony"], targets=["JP"])
    add_event(store, 3, title="Gallium controls take effect", published="2025-01-17T09:00:00+00:00")
    match_new_events(store, _watchlist())
    lines: list[str] = []
    dispatch_pending(store, token=None, api_url=None, echo=lines.append)
    printed = [chunk.splitlines()[0:3] for chunk in lines if chunk.startswith(("●", "  ↳"))]
    heads = [p[0].split("   [")[0] for p in printed]
    titles = [p[2].strip() if p[1].strip().startswith("in story:") else p[1].strip() for p in printed]
    assert titles == [
        "Gallium controls on the US",
        "Gallium controls take effect",
        "Antimony controls on Japan",
    ]
    assert heads[1].startswith("  ↳ update: ") and printed[1][1].strip().startswith("in story: ")
