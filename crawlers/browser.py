"""The browser-rendered fetch path for sites behind a JavaScript challenge (GACC; EUR-Lex's firewall when
configured): Selenium driving Debian's chromium (`apt-get install chromium chromium-driver`), never a
downloaded browser build.

Only requests whose meta carries ``cwatch_browser`` come here (spiders set ``browser = True``); the replay
handler calls `fetch_rendered` below every middleware, so robots.txt, retries, politeness and the replay to
127.0.0.1 apply as to any request. One headless browser per crawl, started on first use, one page at a
time (a challenge cookie set on the listing also serves the detail pages). A browser does not expose the
HTTP status: what the page shows after the script ran is the answer.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

CHROMIUM = Path(os.environ.get("CWATCH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CWATCH_CHROMEDRIVER", "/usr/bin/chromedriver"))
INSTALL_HINT = "apt-get install chromium chromium-driver"


class BrowserUnavailable(RuntimeError):
    pass


def browser_available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


class Browser:
    """A lazily started headless chromium; `fetch` is blocking (run it in a thread)."""

    def __init__(self, user_agent: str, timeout_s: float) -> None:
        self.user_agent, self.timeout_s = user_agent, timeout_s
        self._driver: Any = None
        self._lock = threading.Lock()

    def _start(self) -> Any:
        if not browser_available():
            raise BrowserUnavailable(
                f"this source needs a browser: Debian's chromium at {CHROMIUM} and {CHROMEDRIVER} ({INSTALL_HINT})"
            )
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.add_argument(f"--user-agent={self.user_agent}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.set_page_load_timeout(self.timeout_s)
        return driver

    def fetch(self, url: str, wait_css: str | None) -> tuple[str, str]:
        """(final URL, rendered HTML) once the page loaded and, if given, `wait_css` appeared."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        with self._lock:
            if self._driver is None:
                self._driver = self._start()
            driver = self._driver
            driver.get(url)
            if wait_css:
                # On timeout the page as it is: the spider's strict rules judge it (zero items = failure).
                with contextlib.suppress(TimeoutException):
                    WebDriverWait(driver, self.timeout_s).until(
                        lambda d: d.find_elements(By.CSS_SELECTOR, wait_css)
                    )
            return str(driver.current_url), str(driver.page_source)

    def close(self) -> None:
        with self._lock:
            if self._driver is not None:
                self._driver.quit()
                self._driver = None


async def fetch_rendered(browser: Browser, request: Request, url: str) -> HtmlResponse:
    """`url` (the replayed or the real address) rendered by the browser, answered as `request.url`."""
    wait_css = request.meta.get("cwatch_browser_wait")
    _final, html = await deferred_to_future(threads.deferToThread(browser.fetch, url, wait_css))
    return HtmlResponse(request.url, status=200, body=html.encode("utf-8"), encoding="utf-8", request=request)
