"""Matching, stories and threads, the outbox, retries, terminal mode, digests and feedback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from alerts.matching import match_new_events, quiet_until
from db.health import outbox_problems
from db.records import EventRecord
from db.store import write_events
from delivery.feedback import collect_feedback
from monitor.flow import dispatch_pending, send_digests
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import load_watchlists, parse_watchlist

EXAMPLES = Path(__file__).resolve().parents[2] / "watchlists" / "examples"


def _watchlists() -> list:
    return load_watchlists(EXAMPLES).watchlists


def test_matching_is_idempotent_and_follows_the_filters(store: Database) -> None:
    add_event(store, 1)  # CN gallium export control: minerals watchlist
    add_event(store, 2, commodities=["steel"], title="Steel licences")  # not a critical mineral
    add_event(store, 3, confidence=0.2, title="Low confidence gallium rumour")
    add_event(
        store,
        4,
        imposing="US",
        event_type="entity_listing",
        targets=["CN"],
        commodities=[],
        technologies=["advanced computing"],
        title="Entity List additions for AI chip developers",
    )
    assert match_new_events(store, _watchlists()) == 2
    assert match_new_events(store, _watchlists()) == 0  # nothing considered twice
    rows = list(store.query("SELECT watchlist, kind FROM alerts ORDER BY id"))
    assert rows == [
        {"watchlist": "cn-critical-minerals", "kind": "alert"},
        {"watchlist": "us-semiconductor-controls", "kind": "alert"},
    ]


def test_a_watchlist_on_a_generic_technology_matches_its_specific_kinds(store: Database) -> None:
    watchlist = parse_watchlist(
        'name: chips\nchannel: "#chips"\ntechnologies: [semiconductors]\n', "inline.yaml"
    ).watchlists
    tools = add_event(
        store, 1, imposing="NL", technologies=["semiconductor manufacturing equipment"], commodities=[]
    )
    add_event(store, 2, imposing="CN", technologies=["drones"], commodities=[], title="Drone export curbs")
    assert match_new_events(store, watchlist) == 1
    assert [r["document_id"] for r in store.query("SELECT document_id FROM alerts")] == [tools]


def test_an_escalation_only_watchlist_matches_no_single_event(store: Database) -> None:
    watchlist = parse_watchlist(
        'name: cn-us-index\nchannel: "#index"\nescalation:\n  - pair: CN-US\n    crosses: 3\n', "inline.yaml"
    ).watchlists
    assert watchlist[0].escalation[0].pair == "CN-US"
    add_event(store, 1, imposing="CN", targets=["US"])
    assert match_new_events(store, watchlist) == 0


def test_retagging_a_document_never_alerts_it_twice(store: Database) -> None:
    doc = add_event(store, 1)
    match_new_events(store, _watchlists())
    write_events(
        store,
        doc,
        [
            EventRecord(
                event_type="export_control",
                confidence=0.95,
                imposing="CN",
                targets=["US"],
                commodities=[("gallium", None)],
            )
        ],
        "v2",
    )
    assert match_new_events(store, _watchlists()) == 0
    assert store.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1


def test_a_story_is_one_alert_and_later_documents_are_thread_replies(
    store: Database, fake_slack: FakeSlack
) -> None:
    add_event(store, 1)
    add_event(
        store,
        2,
        title="MOFCOM answers questions on the gallium licensing",
        published="2025-01-20T09:00:00+00:00",
    )
    add_event(
        store, 3, title="Gallium controls, again", published="2025-03-30T09:00:00+00:00"
    )  # outside the window
    add_event(store, 4, title="Unrelated: antimony export ban", commodities=["antimony"], targets=["JP"])
    match_new_events(store, _watchlists())
    kinds = [r["kind"] for r in store.query("SELECT kind FROM alerts ORDER BY id")]
    assert kinds == ["alert", "reply", "alert", "alert"]
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    first, reply, *_ = fake_slack.messages()
    assert reply.thread_ts == first.ts and first.thread_ts is None
    assert reply.blocks is not None
    assert reply.blocks[0]["text"]["text"].startswith("Update: ")
    assert [m.thread_ts for m in fake_slack.messages()[2:]] == [None, None]


def test_near_duplicate_titles_join_a_story_across_imposing_fields(store: Database) -> None:
    add_event(store, 1, title="China announces export controls on gallium and germanium items")
    add_event(
        store,
        2,
        title="China announces export controls on gallium and germanium items.",
        targets=[],
        commodities=["germanium"],
        url="https://news.example/copy",
    )
    match_new_events(store, _watchlists())
    assert [r["kind"] for r in store.query("SELECT kind FROM alerts ORDER BY id")] == ["alert", "reply"]


def test_without_a_token_alerts_are_printed_once_and_not_again(store: Database) -> None:
    add_event(store, 1, title="Gallium \x1b[31mred\x1b[0m notice")
    match_new_events(store, _watchlists())
    lines: list[str] = []
    report = dispatch_pending(store, token=None, api_url=None, echo=lines.append)
    assert report.printed == 1
    assert lines[0] == "SLACK_BOT_TOKEN is not set: printing alerts here instead of posting them to Slack."
    assert "Export control: CN → US" in lines[1] and "\x1b" not in lines[1]
    assert store.execute("SELECT status, slack_ts FROM alerts").fetchone() == ("sent", "terminal")
    lines.clear()
    assert not dispatch_pending(store, token=None, api_url=None, echo=lines.append) and lines == []


def test_rate_limit_honours_retry_after(store: Database) -> None:
    add_event(store, 1)
    match_new_events(store, _watchlists())
    with FakeSlack(retry_after_s=1) as fake:
        fake.fail_next("chat.postMessage", "ratelimited")
        report = dispatch_pending(store, token="xoxb-test", api_url=fake.url, min_interval_s=0)
        first, second = fake.requests("chat.postMessage")
    assert report.sent == 1 and len(fake.messages()) == 1
    assert first.outcome == "ratelimited" and second.outcome == "ok"
    assert second.received - first.received >= 1.0  # slack-sdk waited for Retry-After before retrying


def test_permanent_errors_mark_failed_with_reason_and_retry_requeues(
    store: Database, fake_slack: FakeSlack
) -> None:
    add_event(store, 1)
    match_new_events(store, _watchlists())
    fake_slack.missing_channels.add("coercion-minerals")
    report = dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    assert report.failed == 1 and "channel_not_found" in report.errors[0]
    status, error = store.execute("SELECT status, last_error FROM alerts").fetchone()
    assert status == "failed" and error.startswith("channel_not_found: invite cwatch to #coercion-minerals")
    fake_slack.revoked_tokens.add("xoxb-old")
    from delivery.outbox import requeue
    from delivery.slack import SlackAuthError

    assert requeue(store) == 1
    posts = len(fake_slack.requests("chat.postMessage"))
    with pytest.raises(SlackAuthError, match="invalid_auth"):  # auth.test first: no post is tried
        dispatch_pending(store, token="xoxb-old", api_url=fake_slack.url, min_interval_s=0)
    assert len(fake_slack.requests("chat.postMessage")) == posts
    assert store.execute("SELECT status, claimed_at FROM alerts").fetchone() == ("pending", None)


def test_server_error_leaves_the_alert_in_doubt_then_reconciles_without_reposting(
    store: Database, fake_slack: FakeSlack
) -> None:
    add_event(store, 1)
    match_new_events(store, _watchlists())
    fake_slack.fail_next("chat.postMessage", "posted_then_500")
    report = dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0, backoff_s=0)
    assert report.in_doubt == 1 and len(fake_slack.messages()) == 1
    report = dispatch_pending(
        store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0, reconcile_after_s=0
    )
    assert report.reconciled == 1 and len(fake_slack.requests("chat.postMessage")) == 1
    assert store.execute("SELECT slack_ts FROM alerts").fetchone()[0] == fake_slack.messages()[0].ts


def test_posts_to_one_channel_are_paced(store: Database, fake_slack: FakeSlack) -> None:
    for n in range(3):
        add_event(
            store,
            n,
            title=f"Notice {n}",
            targets=[["US", "JP", "NL"][n]],
            commodities=[["gallium", "antimony", "graphite"][n]],
        )
    match_new_events(store, _watchlists())
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0.3)
    times = [r.received for r in fake_slack.requests("chat.postMessage")]
    assert len(times) == 3 and all(b - a >= 0.3 for a, b in zip(times, times[1:], strict=False))


def test_daily_digest_lists_stories_once(store: Database, fake_slack: FakeSlack) -> None:
    digest = parse_watchlist(
        'name: daily-minerals\nchannel: "#digest"\nimposing: ["CN"]\ndelivery: daily\n', "d.yaml"
    ).watchlists
    add_event(store, 1)
    add_event(store, 2, title="More on gallium", published="2025-01-17T09:00:00+00:00")
    add_event(store, 3, title="Antimony ban", commodities=["antimony"], targets=["JP"])
    match_new_events(store, digest)
    assert dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url).sent == 0  # digests wait
    assert send_digests(store, digest, "daily", token="xoxb-test", api_url=fake_slack.url) == 1
    assert send_digests(store, digest, "daily", token="xoxb-test", api_url=fake_slack.url) == 0
    (message,) = fake_slack.messages()
    assert message.blocks is not None
    assert message.blocks[0]["text"]["text"] == "Daily digest: daily-minerals (2 stories)"
    assert "(+1 more documents)" in message.blocks[1]["text"]["text"]
    assert store.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone()[0] == 3


def test_a_failed_digest_shows_among_the_outbox_problems(store: Database, fake_slack: FakeSlack) -> None:
    digest = parse_watchlist(
        'name: daily-minerals\nchannel: "#gone"\nimposing: ["CN"]\ndelivery: daily\n', "d.yaml"
    ).watchlists
    fake_slack.missing_channels.add("gone")
    add_event(store, 1)
    match_new_events(store, digest)
    assert send_digests(store, digest, "daily", token="xoxb-test", api_url=fake_slack.url) == 0
    (problem,) = outbox_problems(store)
    assert (problem["kind"], problem["watchlist"]) == ("digest", "daily-minerals")
    assert "channel_not_found" in problem["last_error"]


def test_reactions_become_labels(store: Database, fake_slack: FakeSlack) -> None:
    add_event(store, 1)
    add_event(store, 2, title="Antimony ban", commodities=["antimony"], targets=["JP"])
    match_new_events(store, _watchlists())
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    first, second = fake_slack.messages()
    fake_slack.add_reaction("#coercion-minerals", first.ts, "+1", "UA")
    fake_slack.add_reaction("#coercion-minerals", second.ts, "-1", "UB")
    fake_slack.add_reaction("#coercion-minerals", second.ts, "eyes", "UC")
    assert collect_feedback(store, token="xoxb-test", api_url=fake_slack.url) == 2
    labels = list(
        store.query("SELECT alert_id, up, down, label, review_state FROM alert_labels ORDER BY alert_id")
    )
    assert labels == [
        {"alert_id": 1, "up": 1, "down": 0, "label": "relevant", "review_state": "confirmed"},
        {"alert_id": 2, "up": 0, "down": 1, "label": "not_relevant", "review_state": "needs_review"},
    ]


def test_quiet_hours_hold_immediate_alerts_until_the_window_ends() -> None:
    (watchlist,) = parse_watchlist(
        'name: q\nchannel: "#q"\nimposing: ["CN"]\nquiet_hours: {start: "22:00",'
        ' end: "07:00", timezone: Europe/Berlin}\n',
        "q.yaml",
    ).watchlists
    night = datetime(2025, 1, 16, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
    assert quiet_until(watchlist.quiet_hours, night) == datetime(2025, 1, 17, 6, 0, tzinfo=UTC)
    assert quiet_until(watchlist.quiet_hours, datetime(2025, 1, 16, 12, 0, tzinfo=UTC)) is None
