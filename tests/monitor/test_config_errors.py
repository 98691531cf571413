"""Config errors: file:line:column, secrets masked, schedules validated; `run --once` fails when all
sources failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.localserver import FixtureServer
from monitor.cli import main
from monitor.config import ConfigError, load_config

SECRET = "xoxb-1111-2222-abcdefSECRET"


def _show(config: Path, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "config", "show"], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_errors_have_file_line_and_never_the_secret(tmp_path: Path) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text(
        f"db: {tmp_path / 's.db'}\nslack:\n  token: {SECRET}\n  timeout_s: {SECRET}\nlog_level: {SECRET}\n",
        encoding="utf-8",
    )
    code, out = _show(config, SLACK_BOT_TOKEN=SECRET)
    assert code == 1
    assert (
        f"{config}:3:3: slack.token: Extra inputs are not permitted; the Slack token comes from the environment"
        in out
    )
    assert f"{config}:4:14: slack.timeout_s: Input should be a valid number" in out
    assert f"{config}:5:12: log_level: log_level must be DEBUG, INFO, WARNING or ERROR" in out
    assert "SECRET" not in out and "input_value" not in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("yaml_text", "position", "words"),
    [
        ("jobs: {tag: banana}\n", "1:13", "jobs.tag: schedule 'banana': use an interval"),
        ("jobs:\n  alert: '61 * * * *'\n", "2:10", "jobs.alert: Error validating expression '61'"),
        ("jobs:\n  signals: 0m\n", "2:12", "interval must be positive"),
        ("crawl:\n  schedules:\n    cn_mofcom: often\n", "3:5", "cn_mofcom: schedule 'often'"),
    ],
)
def test_bad_schedules_are_rejected_by_config_show(
    tmp_path: Path, yaml_text: str, position: str, words: str
) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text(yaml_text, encoding="utf-8")
    code, out = _show(config)
    assert code == 1 and f"{config}:{position}: " in out and words in out, out


def test_yaml_problems_in_the_config_have_positions(tmp_path: Path) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text("db: x.db\ndb: y.db\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":2:1: duplicate key 'db'"):
        load_config(config)
    config.write_text("jobs: &j {tag: 1m, nested: *j}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":1:7: recursive alias"):
        load_config(config)


def test_a_good_config_still_loads(tmp_path: Path) -> None:
    config = tmp_path / "cwatch.yaml"
    config.write_text("jobs: {tag: 30s, weekly_report: '0 8 * * 1'}\ncrawl: {schedules: {cn_mofcom: 2h}}\n")
    loaded = load_config(config)
    assert loaded.jobs.tag == "30s" and loaded.crawl.schedules == {"cn_mofcom": "2h"}


def test_run_once_exits_non_zero_when_every_source_failed(tmp_path: Path) -> None:
    empty = tmp_path / "mirror"
    empty.mkdir()  # the publisher's pages are missing: every request is a 404
    folder = tmp_path / "watchlists"
    folder.mkdir()
    with FixtureServer(empty) as site:
        config = tmp_path / "cwatch.yaml"
        config.write_text(
            f"db: {tmp_path / 's.db'}\nwatchlists: {folder}\n"
            f"crawl:\n  sources: [cn_mofcom]\n  replay_root: {site.url}\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            main, ["--config", str(config), "run", "--once"], env={"SLACK_BOT_TOKEN": ""}
        )
    assert "crawl cn_mofcom" in result.output and "failed" in result.output
    assert result.exit_code == 1 and "every source failed (1 of 1)" in result.output, result.output
