"""Downloader pieces: retries that back off and honour Retry-After, and the replay handler that sends
every request to the local fixture server (demo sample, tests, bench) while spiders keep real URLs."""

from __future__ import annotations

import email.utils
import ipaddress
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

from crawlers.browser import Browser, fetch_rendered

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus a wait before each retry: the server's Retry-After on 429/503 (up to a cap;
    a longer demand is respected by giving up for this run), else exponential backoff on 5xx."""

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        settings = self.crawler.settings
        attempt = int(request.meta.get("retry_times", 0))
        if attempt >= int(request.meta.get("max_retry_times", self.max_retry_times)):
            return self._retry(request, f"HTTP {response.status}") or response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        cap = settings.getfloat("CWATCH_RETRY_AFTER_MAX_S")
        if asked is not None and asked > cap:
            log.warning("%s asks to retry after %.0fs (cap %.0fs): not retrying", request.url, asked, cap)
            return response
        delay = asked if asked is not None else settings.getfloat("CWATCH_RETRY_BACKOFF_S") * 2**attempt
        await sleep(delay)
        return self._retry(request, f"HTTP {response.status}") or response


class ReplayDownloadHandler(HTTP11DownloadHandler):
    """With CWATCH_REPLAY_ROOT set, fetch https://host/path?q from ROOT/<spider>/<host>/path?q instead.

    It sits below every middleware, so robots.txt, retries, redirects, politeness slots and the spiders all
    see the publisher's real URLs (and store them), and no request leaves 127.0.0.1."""

    _browser: Browser | None = None

    def browser(self) -> Browser:
        if self._browser is None:
            settings = self._crawler.settings
            self._browser = Browser(settings.get("USER_AGENT"), settings.getfloat("DOWNLOAD_TIMEOUT"))
        return self._browser

    async def close(self) -> None:  # type: ignore[override]
        if self._browser is not None:
            await deferred_to_future(threads.deferToThread(self._browser.close))
        await super().close()

    async def download_request(self, request: Request) -> Response:
        root = self._crawler.settings.get("CWATCH_REPLAY_ROOT")
        rendered = request.meta.get("cwatch_browser")  # sites behind a JavaScript challenge (browser.py)
        if not root:
            if rendered:
                return await fetch_rendered(self.browser(), request, request.url)
            return await super().download_request(request)
        spider = self._crawler.spider.name if self._crawler.spider else "_"
        parts = urlsplit(request.url)
        prefix = f"/{spider}/"
        local = f"{root.rstrip('/')}{prefix}{parts.hostname}{parts.path or '/'}"
        if parts.query:
            local += f"?{parts.query}"
        if rendered:
            return await fetch_rendered(self.browser(), request, local)
        response = await super().download_request(request.replace(url=local))
        location = response.headers.get(b"Location")
        if location:
            target = urlsplit(location.decode("latin-1"))
            if target.path.startswith(prefix) and (
                not target.netloc or local.startswith(f"{target.scheme}://{target.netloc}")
            ):
                real = f"{parts.scheme}://{target.path[len(prefix) :]}" + (
                    f"?{target.query}" if target.query else ""
                )
                response.headers[b"Location"] = real.encode()
        return response.replace(url=request.url)


def _host_in(host: str, domains: set[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def is_private_host(host: str) -> bool:
    """localhost, or an IP literal that is loopback, private, link-local (cloud metadata), multicast,
    reserved or unspecified. Names are not resolved here (see SECURITY.md)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def spider_domains(spider: Spider) -> set[str]:
    """The sites a source lives on: `allowed_domains` if set, else the hosts of its entry, listing and
    feed URLs ("www." dropped so subdomains match), plus `redirect_domains` it declares."""
    explicit = set(getattr(spider, "allowed_domains", None) or ())
    if not explicit:
        urls = [getattr(spider, "entry_url", None) or ""]
        for name in ("listing_urls", "feed_urls", "start_urls"):
            urls += list(getattr(spider, name, ()) or ())
        for url in filter(None, urls):
            host = (urlsplit(url).hostname or "").lower()
            explicit.add(host.removeprefix("www."))
    return {d.lower() for d in explicit | set(getattr(spider, "redirect_domains", ()) or ()) if d}


class SafeDestinationMiddleware:
    """Refuses requests a page could trick us into making. Runs before robots.txt and the replay handler,
    so it judges the URL the spider sees (the publisher's real URL, also in tests and the demo):

    - schemes other than http/https (file:, ftp:, data:, javascript: …);
    - loopback, private, link-local or reserved addresses, and localhost — unless the spider sets
      `allow_private_hosts = True`;
    - a redirect to a host outside the source's sites (`spider_domains`) and the host it redirected from —
      unless listed in the spider's `redirect_domains`.
    Links to other domains that a spider chooses to follow (a news feed's articles) are not redirects and
    stay allowed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeDestinationMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if parts.scheme.lower() not in ("http", "https") or not host:
            raise IgnoreRequest(f"refused non-web URL: {request.url[:200]}")
        if is_private_host(host) and not getattr(spider, "allow_private_hosts", False):
            raise IgnoreRequest(f"refused private or loopback address: {request.url[:200]}")
        previous = request.meta.get("redirect_urls") or []
        if previous and spider is not None:
            came_from = (urlsplit(previous[-1]).hostname or "").lower().removeprefix("www.")
            allowed = spider_domains(spider) | {came_from}
            if not _host_in(host, allowed):
                raise IgnoreRequest(f"refused redirect to another domain: {request.url[:200]}")
