"""`cwatch report`: PNG charts with known sizes and real content, an HTML page, and the Slack upload."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageStat

from monitor.cli import main
from monitor.flow import post_weekly_chart
from tests.support.fake_slack import FakeSlack, fake_slack  # noqa: F401 - the fixture

EXPECTED = {
    "measures_per_month.png": (1200, 600),
    "imposing_target_heatmap.png": (900, 700),
    "top_commodities_technologies.png": (1200, 600),
}


@pytest.fixture(scope="module")
def report_dir(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["report", "--db", str(store_path), "--out", str(out), "--no-slack"])
    assert result.exit_code == 0, result.output
    assert "10 measures; wrote 6 charts" in result.output
    return out


def busy_pixels(path: Path) -> float:
    """Share of pixels that are not the white background."""
    image = Image.open(path).convert("L")
    histogram = image.histogram()
    return 1 - histogram[255] / sum(histogram)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_png_size_and_content(report_dir: Path, name: str) -> None:
    path = report_dir / name
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == EXPECTED[name]
        stddev = ImageStat.Stat(image.convert("L")).stddev[0]
    assert stddev > 20  # not a blank or uniform image
    assert busy_pixels(path) > 0.03  # bars/cells cover a real part of the canvas, not only axes


def test_heatmap_is_coloured(report_dir: Path) -> None:
    with Image.open(report_dir / "imposing_target_heatmap.png") as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    reds = 0
    for n, colour in colours:
        assert isinstance(colour, tuple)  # an RGB image's colours are (r, g, b)
        r, g, b = colour
        if r > 150 and g < 120 and b < 120:
            reds += n
    assert reds > 1000  # the "Reds" colormap cells are there


def test_html_embeds_every_chart_with_alt_text(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)">', page)
    # the three charts, then one escalation chart per top pair (the fixture store has three pairs)
    expected = {**EXPECTED, **{f"escalation_{n}.png": (1200, 600) for n in (1, 2, 3)}}
    assert {src for src, *_ in images} == set(expected)
    for src, alt, width, height in images:
        assert (report_dir / src).is_file()
        assert (int(width), int(height)) == expected[src]
        assert len(alt) > 20
    assert "10 measures, all time" in page
    assert "heatmap" in page.lower() and "CN" in page


def test_empty_period_still_draws_charts(store_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["report", "--db", str(store_path), "--out", str(tmp_path), "--since", "2030-01-01", "--no-slack"],
    )
    assert result.exit_code == 0, result.output
    assert "0 measures" in result.output
    with Image.open(tmp_path / "measures_per_month.png") as image:
        assert image.size == EXPECTED["measures_per_month.png"]


def test_report_posts_main_chart_to_slack(
    store_path: Path,
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    result = CliRunner().invoke(
        main, ["report", "--db", str(store_path), "--out", str(tmp_path), "--slack-channel", "C0REPORTS"]
    )
    assert result.exit_code == 0, result.output
    files = fake_slack.files()
    assert len(files) == 1
    (stored,) = files.values()
    assert stored["completed"] and stored["channel"] == "C0REPORTS"
    assert stored["filename"] == "measures_per_month.png"
    assert stored["content"] == (tmp_path / "measures_per_month.png").read_bytes()
    assert "10 measures" in stored["initial_comment"]
    assert f"file {next(iter(files))}" in result.output


def test_report_slack_failure_is_a_clean_error(
    store_path: Path,
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    fake_slack.fail_next("files.getUploadURLExternal", "channel_not_found")
    result = CliRunner().invoke(
        main, ["report", "--db", str(store_path), "--out", str(tmp_path), "--slack-channel", "C0MISSING"]
    )
    assert result.exit_code == 1
    assert "Slack upload failed" in result.output and "Traceback" not in result.output
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    result = CliRunner().invoke(
        main, ["report", "--db", str(store_path), "--out", str(tmp_path), "--slack-channel", "C0REPORTS"]
    )
    assert result.exit_code == 1 and "SLACK_BOT_TOKEN" in result.output


def test_weekly_job_uploads_recent_months(store_path: Path, fake_slack: FakeSlack) -> None:  # noqa: F811
    # The scheduler passes the store's path: the job opens its own read-only connection in its thread.
    file_id = post_weekly_chart(
        store_path,
        channel="C0WEEKLY",
        token="xoxb-test",
        api_url=fake_slack.url,
        weeks=26,
        now=datetime(2025, 6, 30, tzinfo=UTC),
    )
    stored = fake_slack.files()[file_id]
    assert stored["completed"] and stored["channel"] == "C0WEEKLY"
    assert "since 2024-12-30" in stored["title"]
    assert stored["content"].startswith(b"\x89PNG")
    upload = fake_slack.requests("files.getUploadURLExternal")[0]
    assert int(upload.body["length"]) == len(stored["content"])


def test_html_tables_hold_the_numbers_and_link_into_the_console(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>([^<]+)</caption>", page)
    assert captions[:3] == [
        "Measures per month",
        "Measures per imposing → targeted country",
        "Top commodities and technologies",
    ]
    assert len(captions) == 6  # one table per chart
    # a pair row links to its stored query in the console; the all-countries row is there too
    assert (
        "<td>US</td><td>CN</td><td>2</td><td><a href="
        '"http://127.0.0.1:8001/store/events_by_pair_month?imposing=US&amp;target=CN">in the console</a>'
    ) in page
    assert "<td>all countries</td>" in page
    assert 'href="http://127.0.0.1:8001/store/measures_on_item?item=gallium"' in page
