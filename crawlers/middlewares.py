"""Downloader pieces: retries that back off and honour Retry-After, and the replay handler that sends
every request to the local fixture server (demo sample, tests, bench) while spiders keep real URLs."""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

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

    async def download_request(self, request: Request) -> Response:
        root = self._crawler.settings.get("CWATCH_REPLAY_ROOT")
        if not root:
            return await super().download_request(request)
        spider = self._crawler.spider.name if self._crawler.spider else "_"
        parts = urlsplit(request.url)
        prefix = f"/{spider}/"
        local = f"{root.rstrip('/')}{prefix}{parts.hostname}{parts.path or '/'}"
        if parts.query:
            local += f"?{parts.query}"
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
