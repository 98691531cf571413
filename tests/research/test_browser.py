"""In a real browser (Debian's headless Chromium via Selenium) against a real `cwatch browse`: what a
reader sees on the report page (charts loaded, the tables of numbers) and in the console (main tables
first, a stored query's form before its SQL, a document page, the week's view). Screenshots go to
test-artifacts/. Missing chromium skips these locally; under CI=true it fails them."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli import main

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")
ARTIFACTS = Path(
    os.environ.get("CWATCH_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1300,1000",
    "--disable-dev-shm-usage",
]
PAGE_LOAD_LIMIT_S = 30
ELEMENT_LIMIT_S = 15  # a bound on a missing element, not a speed check

MISSING = (
    "needs Debian's chromium at /usr/bin/chromium and chromedriver "
    "(apt-get install chromium chromium-driver); no browser is ever downloaded"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


@pytest.fixture(scope="module")
def report_url(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser-report")
    result = CliRunner().invoke(main, ["report", "--db", str(store_path), "--out", str(out), "--no-slack"])
    assert result.exit_code == 0, result.output
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def _open(browser: object, url: str, css: str) -> list[Any]:
    """Load `url` and wait until the previous document is gone and `css` matches in the new one:
    chromedriver may answer a find on the previous document while the new one commits (seen under load)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver: Any = browser
    previous = driver.find_elements(By.TAG_NAME, "html")
    driver.get(url)
    wait = WebDriverWait(driver, ELEMENT_LIMIT_S)
    if previous:
        wait.until(expected_conditions.staleness_of(previous[0]))
    found: list[Any] = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    return found


def _texts(browser: object, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING)  # CI must run the real browser, never pass by skipping it
        pytest.skip(MISSING)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(PAGE_LOAD_LIMIT_S)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def test_report_page_charts_load(browser: object, report_url: str) -> None:
    from selenium.webdriver.common.by import By

    images = _open(browser, report_url, "img")  # after the load event: the images are in
    assert len(images) == 6  # three charts and one escalation chart per top pair
    for image in images:
        assert image.get_attribute("complete") == "true"
        assert int(image.get_attribute("naturalWidth") or 0) > 0, image.get_attribute("src")
        assert image.get_attribute("alt")
    tables = browser.find_elements(By.CSS_SELECTOR, "table.numbers")  # type: ignore[attr-defined]
    assert len(tables) == 6 and all(t.is_displayed() for t in tables)
    # each table sits right under its chart, and its console links are real anchors
    assert images[0].location["y"] < tables[0].location["y"] < images[1].location["y"]
    links = tables[1].find_elements(By.LINK_TEXT, "in the console")
    assert links and "/store/events_by_pair_month?" in (links[0].get_attribute("href") or "")
    assert browser.save_screenshot(str(ARTIFACTS / "research-report.png"))  # type: ignore[attr-defined]


def test_console_renders_stored_query_rows(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    query = urllib.parse.urlencode({"imposing": "US", "target": "CN"})
    rows = _open(
        browser, f"{console_url}/store/events_by_pair_month?{query}", "table.rows-and-columns tbody tr"
    )
    assert [r.find_elements(By.TAG_NAME, "td")[3].text for r in rows] == ["entity_listing", "export_control"]
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-query.png"))  # type: ignore[attr-defined]

    rows = _open(
        browser,
        f"{console_url}/store/search_documents?" + urllib.parse.urlencode({"q": "出口管制"}),
        "table.rows-and-columns tbody tr",
    )
    assert len(rows) == 3
    assert "出口管制" in rows[0].text
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-search.png"))  # type: ignore[attr-defined]


def test_console_facets_render(browser: object, console_url: str) -> None:

    facets = _open(browser, f"{console_url}/store/event_facets", ".facet-info")
    names = {f.get_attribute("data-column") for f in facets}
    assert {"event_type", "imposing", "technologies"} <= names
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-facets.png"))  # type: ignore[attr-defined]


def test_console_front_page_lists_main_tables_first(browser: object, console_url: str) -> None:
    _open(browser, f"{console_url}/store", ".db-table h3")
    tables = _texts(browser, ".db-table h3")
    assert tables[:3] == ["documents", "events", "cases"]
    assert "event_facets" in tables  # the faceted view, after the tables
    assert "alert_match_queue" not in tables and "slack_channels" not in tables  # internal: hidden
    assert "internal tables" in browser.find_element("css selector", "body").text  # type: ignore[attr-defined]
    queries = _texts(browser, ".stored-queries dt")
    assert "This week: new measures, cases that moved, escalation risers" in queries
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-front.png"))  # type: ignore[attr-defined]


def test_stored_query_shows_its_form_not_its_sql(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, f"{console_url}/store/search_documents", "form.sql input[name=q]")
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "documents_fts" not in body  # the SQL is hidden ...
    assert browser.find_elements(By.LINK_TEXT, "show")  # type: ignore[attr-defined]  # ... one click away
    field = browser.find_element(By.CSS_SELECTOR, "form.sql input[name=q]")  # type: ignore[attr-defined]
    assert field.is_displayed() and field.location["y"] < 400  # the search box is near the top
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-stored-query.png"))  # type: ignore[attr-defined]


def test_document_page_reads_well(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    from tests.research.fixture_store import document_ids

    ids = document_ids()
    _open(browser, f"{console_url}/store/documents/{ids['mofcom_gallium']}", ".doc-text")
    text = browser.find_element(By.CSS_SELECTOR, ".doc-text")  # type: ignore[attr-defined]
    assert "镓" in text.text
    assert text.size["width"] > 700  # across the page, not a narrow table column
    assert browser.find_elements(By.CSS_SELECTOR, ".doc-events li")  # type: ignore[attr-defined]
    story = browser.find_element(By.CSS_SELECTOR, "a.story-link")  # type: ignore[attr-defined]
    assert "story_documents?story_id=1" in (story.get_attribute("href") or "")
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-document.png"))  # type: ignore[attr-defined]

    _open(browser, f"{console_url}/store/documents/{ids['mofcom_brandy']}", "a.case-link")
    case = browser.find_element(By.CSS_SELECTOR, "a.case-link")  # type: ignore[attr-defined]
    assert "/store/cases/" in (case.get_attribute("href") or "") and "白兰地" in case.text


def test_this_week_view(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    rows = _open(browser, f"{console_url}/store/this_week?day=2024-12-09", "table.rows-and-columns tbody tr")
    sections = [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows]
    assert "new measure" in sections and "escalation riser" in sections
    assert sections == sorted(sections, key=["new measure", "case moved", "escalation riser"].index)
    first = rows[0].find_elements(By.TAG_NAME, "td")[4].find_elements(By.TAG_NAME, "a")
    assert first and "/store/documents/" in (first[0].get_attribute("href") or "")  # into the document
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-this-week.png"))  # type: ignore[attr-defined]

    _open(browser, f"{console_url}/store/this_week?day=2024-07-07", "table.rows-and-columns tbody td")
    assert "case moved" in _texts(browser, "table.rows-and-columns tbody td")
