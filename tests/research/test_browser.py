"""In a real browser (Debian's headless Chromium via Selenium): the report page's charts load, and the
Datasette console renders a stored query's rows. Screenshots go to test-artifacts/."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium "
    "(apt-get install chromium chromium-driver); no browser is ever downloaded",
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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMEDRIVER.exists(), "chromedriver missing: apt-get install chromium-driver"
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

    browser.get(report_url)  # type: ignore[attr-defined]  # returns after the load event: images are in
    images = browser.find_elements(By.TAG_NAME, "img")  # type: ignore[attr-defined]
    assert len(images) == 3
    for image in images:
        assert image.get_attribute("complete") == "true"
        assert int(image.get_attribute("naturalWidth") or 0) > 0, image.get_attribute("src")
        assert image.get_attribute("alt")
    assert browser.save_screenshot(str(ARTIFACTS / "research-report.png"))  # type: ignore[attr-defined]


def test_console_renders_stored_query_rows(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    query = urllib.parse.urlencode({"imposing": "US", "target": "CN"})
    browser.get(f"{console_url}/store/events_by_pair_month?{query}")  # type: ignore[attr-defined]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert [r.find_elements(By.TAG_NAME, "td")[3].text for r in rows] == ["entity_listing", "export_control"]
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-query.png"))  # type: ignore[attr-defined]

    browser.get(f"{console_url}/store/search_documents?" + urllib.parse.urlencode({"q": "出口管制"}))  # type: ignore[attr-defined]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert len(rows) == 3
    assert "出口管制" in rows[0].text
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-search.png"))  # type: ignore[attr-defined]


def test_console_facets_render(browser: object, console_url: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{console_url}/store/event_facets")  # type: ignore[attr-defined]
    facets = browser.find_elements(By.CSS_SELECTOR, ".facet-info")  # type: ignore[attr-defined]
    names = {f.get_attribute("data-column") for f in facets}
    assert {"event_type", "imposing", "technologies"} <= names
    assert browser.save_screenshot(str(ARTIFACTS / "research-console-facets.png"))  # type: ignore[attr-defined]
