"""Operations pieces: schedules, logging hygiene, config masking, source health, status."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from click.testing import CliRunner

from db import open_db
from db.health import failures_in_a_row, percentile, source_health
from db.records import DocumentRecord, SourceMeta
from db.store import (
    finish_crawl_run,
    start_crawl_run,
    store_document,
    upsert_source,
)
from monitor.cli import main
from monitor.logs import KeyValueFormatter, kv
from monitor.schedules import parse_schedule


def test_parse_schedule_intervals_and_crontab() -> None:
    trigger = parse_schedule("15m")
    assert isinstance(trigger, IntervalTrigger) and trigger.interval.total_seconds() == 900
    assert parse_schedule("30s").interval.total_seconds() == 30  # type: ignore[attr-defined]
    assert isinstance(parse_schedule("0 * * * *"), CronTrigger)
    with pytest.raises(ValueError, match="use an interval"):
        parse_schedule("every tuesday")


def test_log_lines_are_key_value_and_never_carry_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-456-secretvalue")
    record = logging.LogRecord(
        "cwatch", logging.INFO, __file__, 1, "posting with xoxb-123-456-secretvalue", None, None
    )
    record.kv = kv(source="cn_mofcom", new=3)["kv"]
    line = KeyValueFormatter().format(record)
    assert "secretvalue" not in line and "[masked]" in line
    assert "source=cn_mofcom new=3" in line and "\n" not in line


def test_config_show_masks_the_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text("slack:\n  ops_channel: '#ops'\njobs:\n  tag: 30s\n", encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-456-secretvalue")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "show"])
    assert result.exit_code == 0, result.output
    assert "secretvalue" not in result.output and "xoxb-…(masked)" in result.output
    assert "ops_channel: '#ops'" in result.output and "tag: 30s" in result.output
    assert "api_url: http://127.0.0.1:9/api/" in result.output


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text("slak:\n  token: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "show"])
    assert (
        result.exit_code != 0
        and "slak" in result.output
        and "Extra inputs are not permitted" in result.output
    )


def test_percentile_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0 and percentile(values, 95) == 95.0


def test_source_health_and_status(tmp_path: Path) -> None:
    db = open_db(tmp_path / "s.db")
    upsert_source(db, SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    for ok in (True, False, False):
        finish_crawl_run(
            db, start_crawl_run(db, "cn_mofcom"), ok=ok, reason=None if ok else "HTTP 500", items=4
        )
    doc = DocumentRecord(
        "cn_mofcom",
        "https://www.mofcom.gov.cn/a.html",
        "公告",
        "正文",
        "zh",
        "2026-11-27T10:00:00+08:00",
        "2026-11-27T02:01:00+00:00",
    )
    store_document(db, doc)
    db.execute(  # an alert for the document, delivered at 02:03Z
        "INSERT INTO alerts (watchlist, document_id, channel, created_at, status, slack_ts, sent_at)"
        " VALUES ('w', ?, '#c', ?, 'sent', '1.2', ?)",
        [doc.id, "2026-11-27T02:02:00+00:00", "2026-11-27T02:03:00+00:00"],
    )
    db.conn.commit()
    assert failures_in_a_row(db, "cn_mofcom") == 2
    (health,) = source_health(db, days=36500)
    assert (
        health.failures_in_a_row == 2 and health.last_status == "failed" and health.last_reason == "HTTP 500"
    )
    assert health.latency_p50_s == 180.0  # 10:00+08:00 → 02:03Z
    result = CliRunner().invoke(main, ["status", "--db", str(tmp_path / "s.db"), "--days", "36500"])
    assert result.exit_code == 0, result.output
    assert "cn_mofcom" in result.output and "reason: HTTP 500" in result.output
    header, row = result.output.splitlines()[:2]
    assert row.endswith("3 m  3 m")  # p50 and p95: 180 s
    assert header.index("p95") + len("p95") == len(row)  # right-aligned under its header
    as_json = CliRunner().invoke(
        main, ["status", "--db", str(tmp_path / "s.db"), "--days", "36500", "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    (source,) = json.loads(as_json.output)["sources"]
    assert source["slug"] == "cn_mofcom" and source["latency_p50_s"] == 180.0  # seconds for machines
