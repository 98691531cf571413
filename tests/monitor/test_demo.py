"""`cwatch demo` from a fresh directory, offline: the alerts, then the early-warning signals an analyst
sees (a case through two stages, a retaliation link pointing the right way, escalation risers)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from db import open_db
from db.signal_views import responses_of

NO46 = "商务部公告2024年第46号"
BIS_RULES = ("2024-28267", "2024-28270")  # BIS's rules of 2 December 2024, printed on 5 December
DEMO_LIMIT_S = 600  # a bound on a hung run, not a speed check


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    work = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k not in ("SLACK_BOT_TOKEN", "CWATCH_DB", "CWATCH_CONFIG")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cwatch")), "demo", "--out", str(work / "demo-out")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_LIMIT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout, work / "demo-out" / "cwatch-demo.db"


def _section(output: str, title: str) -> list[str]:
    lines = output.split("── early warning", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        block.append(line)
    return block


def test_demo_shows_a_case_with_two_stages(demo: tuple[str, Path]) -> None:
    output, _ = demo
    cases = _section(output, "cases")
    assert any(
        line.count(" → ") >= 1 and re.search(r"initiation \d{4}-\d\d-\d\d → final", line) for line in cases
    )


def test_demo_links_mofcom_no46_as_a_response_to_the_bis_rule(demo: tuple[str, Path]) -> None:
    output, db_path = demo
    db = open_db(db_path, read_only=True)
    try:
        no46 = db.execute(
            "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id"
            " WHERE d.title LIKE ? AND e.imposing = 'CN'",
            [f"%{NO46}%"],
        ).fetchone()[0]
        (first, *_) = responses_of(db, no46)
        assert any(rule in first["url"] for rule in BIS_RULES)
        assert first["components"]["prior_public"] == "2024-12-02"  # public inspection, not the 5 Dec print
        for rule in BIS_RULES:  # ... and never the reverse
            rule_events = [
                r[0]
                for r in db.execute(
                    "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.url LIKE ?",
                    [f"%{rule}%"],
                )
            ]
            assert rule_events
            for event_id in rule_events:
                assert all(NO46 not in (link["title"] or "") for link in responses_of(db, event_id))
    finally:
        db.conn.close()
    links = _section(output, "possible responses")
    i = next(i for i, line in enumerate(links) if NO46 in line)
    assert links[i + 1].startswith("    possible response to US: ")
    assert "first public 2024-12-02 (Federal Register public inspection)" in links[i + 2]
    # the printed alerts of No. 46's story (China's 3 December ban) say so too, with the dates compared
    alerts = output.split("possible responses", 1)[0]
    story = alerts.split("China bans exports of gallium, germanium and antimony to US", 1)[1].split("\n●", 1)[
        0
    ]
    assert "possible response to:" in story and "Federal Register public inspection" in story


def test_demo_shows_escalation_risers(demo: tuple[str, Path]) -> None:
    output, _ = demo
    risers = _section(output, "escalation risers")
    assert risers and all(
        re.match(r"  [A-Z]{2} → [A-Z]{2}: index \d+\.\d on \d{4}-\d\d-\d\d, \+\d+%", r) for r in risers
    )
    assert any(r.startswith("  US → CN") or r.startswith("  CN → US") for r in risers)


def test_every_bundled_source_crawls_ok_in_the_demo(demo: tuple[str, Path]) -> None:
    """Each sample is served as its site serves it (a Shift_JIS page as bare text/html), and every spider
    collects from it: a spider that only passes its own test with patched headers fails here."""
    _, store = demo
    db = open_db(store)
    runs = db.execute("SELECT source, status, reason, new FROM crawl_runs ORDER BY source").fetchall()
    assert len(runs) >= 30
    assert [r for r in runs if r[1] != "ok" or r[3] == 0] == []
