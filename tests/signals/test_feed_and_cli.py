"""The partner feed and the signals commands, on a copy of the replayed timeline's store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from db import open_db
from delivery.feedback import collect_feedback
from monitor.cli import main
from signals.feed import FeedOptions, write_feeds
from signals.feedcheck import check_atom, check_json_feed
from tests.signals.conftest import TOKEN, Replay
from tests.signals.timeline import URL


@pytest.fixture
def store(replay: Replay, tmp_path: Path) -> Path:
    """A private copy, so these tests may write (labels, votes) without touching the shared replay."""
    target = tmp_path / "copy.db"
    source, copy = sqlite3.connect(replay.db_path), sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    return target


def _cli(args: list[str], store: Path, replay: Replay) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["--db", str(store), "--watchlists", str(replay.watchlists_dir), *args],
        env={"SLACK_BOT_TOKEN": ""},
    )
    return result.exit_code, result.output


def _alert_ts(db_path: Path, url: str) -> tuple[str, str]:
    row = (
        open_db(db_path)
        .execute(
            "SELECT a.channel_id, a.slack_ts FROM alerts a JOIN documents d ON d.id = a.document_id WHERE d.url = ?",
            [url],
        )
        .fetchone()
    )
    return str(row[0]), str(row[1])


def test_feeds_are_valid_with_labels_and_review_states(replay: Replay, store: Path, tmp_path: Path) -> None:
    replay.slack.add_reaction(*_alert_ts(store, URL["no46"]), "+1")
    replay.slack.add_reaction(*_alert_ts(store, URL["application"]), "-1")
    db = open_db(store)
    assert collect_feedback(db, token=TOKEN, api_url=replay.slack.url) == 2
    tlp: dict[str, str] = {w.name: w.sharing for w in replay.watchlists if w.sharing}
    json_path, atom_path, count = write_feeds(
        db, tmp_path / "feed", FeedOptions(base_url="https://partner.example/f/"), tlp
    )
    assert check_json_feed(json_path) == [] and check_atom(atom_path) == []
    items = {i["url"]: i for i in json.loads(json_path.read_text(encoding="utf-8"))["items"]}
    # Seven measures are high-confidence; the training-course notice and the retail standard are not in.
    assert count == 7 and set(items) == {
        URL[k] for k in ("application", "initiation", "preliminary", "final", "no46", "bis", "ustr")
    }
    ext = {
        k: (v["_coercion_watch"]["sharing"], v["_coercion_watch"]["review_state"]) for k, v in items.items()
    }
    assert ext[URL["no46"]] == ("TLP:GREEN", "confirmed")
    assert ext[URL["application"]] == ("TLP:GREEN", "rejected")
    assert ext[URL["bis"]] == ("TLP:AMBER", "machine")
    assert ext[URL["ustr"]] == ("TLP:CLEAR", "machine")
    assert items[URL["no46"]]["date_published"] == "2024-12-03T12:00:00+08:00"
    # Stable ids: the same item has the same id in the Atom entry and in a second writing.
    again, _atom, _ = write_feeds(
        db, tmp_path / "again", FeedOptions(base_url="https://partner.example/f/"), tlp
    )
    assert [i["id"] for i in json.loads(again.read_text(encoding="utf-8"))["items"]] == [
        i["id"] for i in json.loads(json_path.read_text(encoding="utf-8"))["items"]
    ]
    atom = atom_path.read_text(encoding="utf-8")
    assert items[URL["no46"]]["id"] in atom and 'term="TLP:AMBER"' in atom


def test_validators_catch_broken_feeds(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "items": [
                    {"id": "a", "date_published": "2024-12-03 12:00"},
                    {"id": "a", "content_text": "x", "url": "/rel"},
                ],
            }
        )
    )
    problems = check_json_feed(bad_json)
    assert "title missing or not a string" in problems
    assert any("needs content_html or content_text" in p for p in problems)
    assert any("duplicate id a" in p for p in problems) and any("not RFC 3339" in p for p in problems)
    assert any("url is not an absolute URL" in p for p in problems)
    bad_atom = tmp_path / "bad.atom"
    bad_atom.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2024-12-03</updated>'
        "<entry><id>x</id><title>e</title></entry></feed>"
    )
    problems = check_atom(bad_atom)
    assert "feed: needs exactly one atom:id, found 0" in problems
    assert "entry 0: needs exactly one atom:updated, found 0" in problems
    assert any("not an RFC 3339" in p for p in problems) and any("not an absolute IRI" in p for p in problems)


def test_scraped_control_characters_do_not_break_the_atom_feed(
    replay: Replay, store: Path, tmp_path: Path
) -> None:
    db = open_db(store)
    with db.conn:
        db.execute("UPDATE documents SET title = title || ? WHERE url = ?", ["\x00\x1b]<b>&", URL["bis"]])
    _json, atom_path, _ = write_feeds(db, tmp_path / "feed")
    assert check_atom(atom_path) == []
    assert "&lt;b&gt;&amp;" in atom_path.read_text(encoding="utf-8")


def test_cli_escalation_cases_feed_share(replay: Replay, store: Path, tmp_path: Path) -> None:
    code, out = _cli(["escalation", "--pair", "CN-US", "--only-changes"], store, replay)
    assert code == 0, out
    days = [line.split()[0] for line in out.splitlines()[1:]]
    assert days == ["2024-04-22", "2024-05-19", "2024-12-03", "2025-01-16", "2025-05-18"]
    code, out = _cli(["escalation"], store, replay)
    assert code == 0 and "CN → US  now" in out and "US → CN  now" in out
    code, out = _cli(["escalation", "--pair", "CNUS"], store, replay)
    assert code != 0 and "pair must look like CN-US" in out
    code, out = _cli(["cases"], store, replay)
    assert code == 0 and "CN → EU, JP, TW, US  anti_dumping  polyformaldehyde copolymer  stage final" in out
    code, out = _cli(["cases", "1"], store, replay)
    assert code == 0 and "preliminary" in out and "from 2025-01-24" in out and URL["final"] in out
    doc = open_db(store).execute("SELECT id FROM documents WHERE url = ?", [URL["ustr"]]).fetchone()[0]
    code, out = _cli(["share", doc, "TLP:AMBER"], store, replay)
    assert code == 0, out
    code, out = _cli(["feed", "--out", str(tmp_path / "pub"), "--max-tlp", "TLP:GREEN"], store, replay)
    assert code == 0 and "5 items" in out, out
    urls = {i["url"] for i in json.loads((tmp_path / "pub/feed.json").read_text(encoding="utf-8"))["items"]}
    assert URL["ustr"] not in urls and URL["bis"] not in urls  # both AMBER now
    code, out = _cli(["signals", "update", "--until", "2025-05-31"], store, replay)
    assert code == 0 and "index rows" in out, out


def test_report_charts_the_escalation_index(replay: Replay, store: Path, tmp_path: Path) -> None:
    code, out = _cli(["report", "--out", str(tmp_path / "report"), "--no-slack"], store, replay)
    assert code == 0 and "wrote 6 charts" in out, out  # three, and one per top escalating pair
    page = (tmp_path / "report/index.html").read_text(encoding="utf-8")
    assert 'src="escalation_1.png"' in page and "CN → US" in page
    assert (tmp_path / "report/escalation_1.png").stat().st_size > 10_000
