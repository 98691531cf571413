"""Reaction feedback is read with back-off by alert age, not once per alert on every run (real store,
slack-sdk against the fake Slack over HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from alerts.matching import match_new_events
from delivery.feedback import collect_feedback
from delivery.feedback_schedule import is_due
from monitor.flow import dispatch_pending
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import load_watchlists

EXAMPLES = Path(__file__).resolve().parents[2] / "watchlists" / "examples"
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def _age(db: Database, alert_id: int, sent: timedelta, checked: timedelta) -> None:
    with db.conn:
        db.execute(
            "UPDATE alerts SET sent_at = ? WHERE id = ?", [(datetime.now(UTC) - sent).isoformat(), alert_id]
        )
        db.execute(
            "UPDATE alert_feedback_polls SET checked_at = ? WHERE alert_id = ?",
            [(datetime.now(UTC) - checked).isoformat(), alert_id],
        )


def test_reactions_are_read_again_only_when_due(store: Database, fake_slack: FakeSlack) -> None:
    add_event(store, 1)
    add_event(store, 2, title="Antimony ban", commodities=["antimony"], targets=["JP"])
    match_new_events(store, load_watchlists(EXAMPLES).watchlists)
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    first, _second = fake_slack.messages()
    calls = lambda: len(fake_slack.requests("reactions.get"))  # noqa: E731

    assert collect_feedback(store, token="xoxb-test", api_url=fake_slack.url) == 0
    assert calls() == 2  # never read: both due
    fake_slack.add_reaction("#coercion-minerals", first.ts, "+1", "UA")
    assert collect_feedback(store, token="xoxb-test", api_url=fake_slack.url) == 0
    assert calls() == 2  # read a moment ago: neither due yet

    _age(store, 1, sent=timedelta(minutes=30), checked=timedelta(minutes=10))  # young: every run
    _age(store, 2, sent=timedelta(days=5), checked=timedelta(hours=2))  # old: about once a day
    assert collect_feedback(store, token="xoxb-test", api_url=fake_slack.url) == 1
    assert calls() == 3
    assert store.execute("SELECT label FROM alert_labels").fetchall() == [("relevant",)]
    _age(store, 2, sent=timedelta(days=5), checked=timedelta(hours=31))
    collect_feedback(store, token="xoxb-test", api_url=fake_slack.url)
    assert calls() == 4
    assert store.execute("SELECT checks FROM alert_feedback_polls ORDER BY alert_id").fetchall() == [
        (2,),
        (2,),
    ]


def test_a_rate_limited_read_stops_the_run_and_leaves_the_rest_due(
    store: Database, fake_slack: FakeSlack
) -> None:
    add_event(store, 1)
    add_event(store, 2, title="Antimony ban", commodities=["antimony"], targets=["JP"])
    match_new_events(store, load_watchlists(EXAMPLES).watchlists)
    dispatch_pending(store, token="xoxb-test", api_url=fake_slack.url, min_interval_s=0)
    fake_slack.retry_after_s = 0
    fake_slack.fail_next("reactions.get", "ratelimited", count=3)  # outlasts slack-sdk's two retries
    collect_feedback(store, token="xoxb-test", api_url=fake_slack.url)
    assert len(fake_slack.requests("reactions.get")) == 3  # one alert, retried; the second never asked
    assert store.execute("SELECT count(*) FROM alert_feedback_polls").fetchone()[0] == 0
    collect_feedback(store, token="xoxb-test", api_url=fake_slack.url)
    assert store.execute("SELECT count(*) FROM alert_feedback_polls").fetchone()[0] == 2


def test_back_off_grows_with_age() -> None:
    sent = NOW - timedelta(days=6)
    assert is_due(None, None, NOW)
    assert is_due(sent.isoformat(), None, NOW)
    young = (NOW - timedelta(minutes=20)).isoformat()
    assert is_due(young, (NOW - timedelta(minutes=9)).isoformat(), NOW)
    assert not is_due(young, (NOW - timedelta(minutes=5)).isoformat(), NOW)
    checked = NOW - timedelta(hours=20)  # read at age ~5 days: next read ~1.2 days later
    assert not is_due(sent.isoformat(), checked.isoformat(), NOW)
    assert is_due(sent.isoformat(), (NOW - timedelta(hours=30)).isoformat(), NOW)
