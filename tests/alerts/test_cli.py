"""The alert and watchlist commands through click's CliRunner, on a real store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from monitor.cli import main
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack

EXAMPLES = Path(__file__).resolve().parents[2] / "watchlists" / "examples"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "watchlists"
    shutil.copytree(EXAMPLES, target)
    return target


def _run(args: list[str], db: Path, folder: Path, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), "--watchlists", str(folder), *args], env=env)
    return result.exit_code, result.output


def test_alert_prints_without_token_then_lists_shows_and_retries(
    store: Database, tmp_path: Path, folder: Path
) -> None:
    add_event(store, 1)
    db = tmp_path / "cwatch.db"
    code, out = _run(["alert"], db, folder, SLACK_BOT_TOKEN="")
    assert code == 0, out
    assert "SLACK_BOT_TOKEN is not set" in out and "Export control: CN → US" in out and "printed 1" in out
    code, out = _run(["alerts", "list"], db, folder)
    assert code == 0 and "sent" in out and "cn-critical-minerals" in out
    code, out = _run(["alerts", "show", "1"], db, folder)
    assert code == 0 and json.loads(out)["blocks"][0]["type"] == "header"
    code, out = _run(["alerts", "retry", "1"], db, folder)
    assert code == 0 and "re-queued 1" in out
    code, out = _run(["alerts", "show", "99"], db, folder)
    assert code != 0 and "no alert 99" in out


def test_alert_posts_to_slack_when_a_token_is_set(
    store: Database, tmp_path: Path, folder: Path, fake_slack: FakeSlack
) -> None:
    add_event(store, 1)
    code, out = _run(
        ["alert"], tmp_path / "cwatch.db", folder, SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=fake_slack.url
    )
    assert code == 0 and "sent 1" in out, out
    assert len(fake_slack.messages("#coercion-minerals")) == 1


def test_watchlist_list_validate_test_and_new(store: Database, tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "cwatch.db"
    add_event(store, 1, published="2099-01-01T00:00:00+00:00")
    code, out = _run(["watchlist", "list"], db, folder)
    assert code == 0 and "cn-critical-minerals" in out and "us-semiconductor-controls" in out
    code, out = _run(["watchlist", "validate"], db, folder)
    assert code == 0 and "2 valid, 0 error(s)" in out
    code, out = _run(["watchlist", "test", "cn-critical-minerals", "--since", "30d"], db, folder)
    assert code == 0 and "1 event(s) would have matched" in out
    assert store.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0  # a dry run queues nothing
    code, out = _run(["watchlist", "new", "eu-steel"], db, folder)
    assert code == 0 and (folder / "eu-steel.yaml").exists()
    code, out = _run(["watchlist", "validate", str(folder / "eu-steel.yaml")], db, folder)
    assert code == 0, out  # the template itself is valid
    (folder / "broken.yaml").write_text('name: broken\nchannel: "#a"\ntargets: [NO]\n', encoding="utf-8")
    code, out = _run(["watchlist", "validate"], db, folder)
    assert code == 1 and f"{folder / 'broken.yaml'}:3:11:" in out
