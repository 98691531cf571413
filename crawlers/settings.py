"""Scrapy settings: polite by default (robots.txt, AutoThrottle, one request at a time per site), strict
(small size cap, timeouts, bounded retries), and no HTTP cache — listing pages must never be served stale.

`crawlers.crawl` adds the run-specific values (store path, User-Agent contact, replay root) on top.
"""

BOT_NAME = "coercion-watch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# --- politeness -------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONTACT = "https://github.com/coercion-watch/coercion-watch"
USER_AGENT = f"coercion-watch/0.1 (+{CONTACT}; early-warning monitor of trade measures)"
CONCURRENT_REQUESTS = 16  # across sites; several spiders share one process
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- strictness and bounds --------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # official notices are small; a bigger answer is an error page or a trap
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
HTTPCACHE_ENABLED = False
CWATCH_RETRY_BACKOFF_S = 2.0  # 5xx: wait base * 2**attempt before retrying
CWATCH_RETRY_AFTER_MAX_S = 120.0  # 429/503 Retry-After is honoured up to this
CWATCH_PAGE_CAP = 20  # listing pages followed per run when backfilling with --since
CWATCH_TEXT_MAX = 200_000  # characters of main text kept per document
CWATCH_DETAIL_LIMIT = 0  # >0: fetch at most this many detail pages per run (selector checks)
CWATCH_DB = None  # set by crawlers.crawl
CWATCH_REPLAY_ROOT = None  # "http://127.0.0.1:PORT": every request goes to the fixture server instead

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
    # Before robots.txt (100): a refused destination is never contacted at all.
    "crawlers.middlewares.SafeDestinationMiddleware": 50,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.NormalisePipeline": 100,
    "crawlers.pipelines.ValidatePipeline": 200,
    "crawlers.pipelines.StorePipeline": 300,
}
EXTENSIONS = {"crawlers.extensions.RunRecorder": 100}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Below all middlewares: the replay handler is the plain HTTP handler unless CWATCH_REPLAY_ROOT is set.
DOWNLOAD_HANDLERS = {
    "http": "crawlers.middlewares.ReplayDownloadHandler",
    "https": "crawlers.middlewares.ReplayDownloadHandler",
}
