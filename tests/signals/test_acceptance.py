"""Acceptance (issue 8): the fixture timeline end to end — spiders, tagger, alerts, signals."""

from __future__ import annotations

from datetime import date, timedelta

from db import open_db
from db.signal_views import responses_of
from monitor.flow import signals_daily as daily
from signals.cases import case_view
from signals.escalation import stored_series
from tests.signals.conftest import TOKEN, UNTIL, Replay
from tests.signals.timeline import URL


def _doc_id(replay: Replay, url: str) -> str:
    row = open_db(replay.db_path).execute("SELECT id FROM documents WHERE url = ?", [url]).fetchone()
    assert row, url
    return str(row[0])


def test_every_crawl_of_the_timeline_succeeded(replay: Replay) -> None:
    assert [(r["slug"], r["status"], r["reason"]) for r in replay.crawl_runs] == [
        ("cn_mofcom_trb", "ok", None),
        ("cn_mofcom_trb", "ok", None),
        ("us_federal_register", "ok", None),
        ("us_federal_register", "ok", None),
        ("cn_mofcom", "ok", None),
        ("cn_mofcom_trb", "ok", None),
        ("cn_mofcom_trb", "ok", None),
    ]


def test_pom_case_has_four_stages_in_order(replay: Replay) -> None:
    db = open_db(replay.db_path)
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    case = case_view(db, 1)
    assert case is not None
    assert (case["imposing"], case["remedy"], case["product"]) == (
        "CN",
        "anti_dumping",
        "polyformaldehyde copolymer",
    )
    assert case["targets"] == ["EU", "JP", "TW", "US"]
    assert case["stage"] == "final"
    assert [(s["stage"], s["reached"][:10], s["effective"]) for s in case["stages"]] == [
        ("application", "2024-04-22", None),
        ("initiation", "2024-05-19", "2024-05-19"),
        ("preliminary", "2025-01-16", "2025-01-24"),
        ("final", "2025-05-18", "2025-05-19"),
    ]
    assert [d["url"] for d in case["documents"]] == [
        URL["application"],
        URL["initiation"],
        URL["preliminary"],
        URL["final"],
    ]
    # The application has no notice number: it joins by key; the rulings cite the initiation notice.
    assert [d["linked_by"] for d in case["documents"]] == [
        "new",
        "key",
        "ref:商务部公告2024年第19号",
        "ref:商务部公告2024年第19号",
    ]


def test_four_threaded_alerts_in_slack(replay: Replay) -> None:
    channel = replay.slack.channel_id("#trade-alerts")
    case_messages = [m for m in replay.slack.messages(channel) if "共聚聚甲醛" in (m.text or "")]
    assert len(case_messages) == 4
    first, *updates = case_messages
    assert first.thread_ts is None
    assert [m.thread_ts for m in updates] == [first.ts] * 3
    steps = []
    for message in case_messages:
        fields = [
            f["text"] for b in message.blocks or [] if b["type"] == "section" for f in b.get("fields", [])
        ]
        steps += [f for f in fields if f.startswith("Case step:")]
    assert steps == [
        "Case step: application",
        "Case step: initiation (after application), from 2024-05-19",
        "Case step: preliminary (after initiation), from 2025-01-24",
        "Case step: final (after preliminary), from 2025-05-19",
    ]
    db = open_db(replay.db_path)
    assert db.execute("SELECT count(*) FROM alerts WHERE status != 'sent'").fetchone()[0] == 0


def test_retaliation_link_ranks_the_bis_rule_first(replay: Replay) -> None:
    db = open_db(replay.db_path)
    event_id = db.execute(
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.url = ?", [URL["no46"]]
    ).fetchone()[0]
    links = responses_of(db, event_id, limit=5)
    assert links and links[0]["url"] == URL["bis"]
    bis = links[0]
    assert 0.5 < bis["days"] < 1.5 and bis["components"]["type"] == 1.0
    # The USTR tariff notice 76 days earlier is another type: ranked below the BIS rule when it scores
    # above the threshold at all (whether it does depends on the commodities the tagger finds in No. 46).
    for ustr in (link for link in links if link["url"] == URL["ustr"]):
        assert ustr["score"] < bis["score"] and 75 < ustr["days"] < 77 and ustr["components"]["type"] == 0.0
    # The No. 46 alert in Slack says so, with the BIS rule linked.
    channel = replay.slack.channel_id("#trade-alerts")
    (alert,) = [m for m in replay.slack.messages(channel) if "两用物项" in (m.text or "")]
    lines = [b["text"]["text"] for b in alert.blocks or [] if b["type"] == "section" and "text" in b]
    (line,) = [t for t in lines if t.startswith("*Possible response to:*")]
    assert f"<{URL['bis']}|Foreign-Produced Direct Product Rule Additions" in line
    assert "US export control, less than a day earlier, score" in line
    assert "dated by when each was first public: 2024-12-02 (published by" in line


def test_escalation_index_rises_on_the_right_days(replay: Replay) -> None:
    db = open_db(replay.db_path)
    expected = {
        ("CN", "US"): {"2024-04-22", "2024-05-19", "2024-12-03", "2025-01-16", "2025-05-18"},
        ("US", "CN"): {"2024-09-18", "2024-12-02"},
    }
    for (imposing, target), days in expected.items():
        rows = stored_series(db, imposing, target)
        assert rows[-1]["day"] == "2025-05-31"
        rises = {
            today["day"]
            for before, today in zip(rows, rows[1:], strict=False)
            if today["value"] > before["value"]
        }
        rises |= {rows[0]["day"]}
        assert rises == days, (imposing, target)
    cn_us = {r["day"]: r for r in stored_series(db, "CN", "US")}
    assert cn_us["2024-12-03"]["value"] > cn_us["2024-12-02"]["value"]
    # Each step of the case weighs more than the one before; an export control more than an initiation.
    added = [cn_us[d]["added"] for d in ("2024-04-22", "2024-05-19", "2025-01-16", "2025-05-18")]
    assert added == sorted(added) and len(set(added)) == 4
    assert cn_us["2024-12-03"]["added"] > cn_us["2024-05-19"]["added"]
    # Half-life 30 days: with nothing added, the value halves in 30 days.
    start = date(2025, 2, 1)
    later = (start + timedelta(days=30)).isoformat()
    assert abs(cn_us[later]["value"] - cn_us[start.isoformat()]["value"] / 2) < 1e-3


def test_escalation_subscription_notified_once_per_crossing(replay: Replay) -> None:
    db = open_db(replay.db_path)
    series = stored_series(db, "CN", "US")
    crossings = [t["day"] for b, t in zip(series, series[1:], strict=False) if b["value"] < 2.5 <= t["value"]]
    assert crossings and crossings[0] == "2024-12-03"  # No. 46 pushes CN → US over 2.5
    rows = list(db.query("SELECT watchlist, rule, day, status FROM escalation_notices ORDER BY day"))
    assert rows == [
        {"watchlist": "cn-on-us", "rule": "crosses:2.5", "day": d, "status": "sent"} for d in crossings
    ]
    posted = [
        m for m in replay.slack.messages() if (m.text or "").startswith("Escalation: CN → US crossed 2.5")
    ]
    assert len(posted) == len(crossings)
    # The daily job again, same period: nothing new queued or posted.
    again = daily(
        db,
        replay.watchlists,
        until=UNTIL,
        since=date(2024, 1, 1),
        token=TOKEN,
        api_url=replay.slack.url,
        echo=lambda _line: None,
    )
    assert (again.notices_queued, again.notices_delivered) == (0, 0)
    assert len([m for m in replay.slack.messages() if (m.text or "").startswith("Escalation:")]) == len(
        crossings
    )
