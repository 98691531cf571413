"""A tiny gov.uk Trade Remedies Authority site on disk (Atom feed + notice pages), in the layout the
fixture server replays for the `uk_trade_remedies` spider. Used by the daemon test and bench/latency.py."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

FEED_PATH = "uk_trade_remedies/www.gov.uk/government/organisations/trade-remedies-authority.atom"
NEWS_URL = "https://www.gov.uk/government/news/"


@dataclass(frozen=True)
class Notice:
    slug: str
    title: str
    text: str
    published: str  # ISO 8601 with offset


def write_notice(root: Path, notice: Notice) -> None:
    page = root / "uk_trade_remedies/www.gov.uk/government/news" / notice.slug / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    title, text = html.escape(notice.title), html.escape(notice.text)
    page.write_text(
        f'<html><head><meta name="govuk:first-published-at" content="{notice.published}">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f'<div class="govuk-govspeak"><p>{text}</p></div></main></body></html>',
        encoding="utf-8",
    )


def write_feed(root: Path, notices: list[Notice]) -> None:
    """Write the Atom feed listing `notices` (newest last is fine); atomic, so a crawler never reads half."""
    entries = "".join(
        f"<entry><id>{NEWS_URL}{n.slug}</id><updated>{n.published}</updated>"
        f'<link rel="alternate" type="text/html" href="{NEWS_URL}{n.slug}"/>'
        f"<title>{html.escape(n.title)}</title><summary>{html.escape(n.text)}</summary></entry>"
        for n in notices
    )
    feed = root / FEED_PATH
    feed.parent.mkdir(parents=True, exist_ok=True)
    tmp = feed.with_suffix(".tmp")
    tmp.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>https://www.gov.uk/government/organisations/trade-remedies-authority</id>"
        f"<title>Trade Remedies Authority</title><updated>2026-11-27T10:00:00+00:00</updated>{entries}</feed>",
        encoding="utf-8",
    )
    tmp.replace(feed)


def publish(root: Path, published: list[Notice], notice: Notice) -> None:
    """Put a new notice online: its page first, then the feed entry that links to it."""
    write_notice(root, notice)
    published.append(notice)
    write_feed(root, published)


def write_daemon_config(
    folder: Path, site_url: str, *, crawl_every: str, other_jobs_every: str | None
) -> Path:
    """A daemon configuration crawling only this site (replayed from `site_url`) with a GB watchlist.

    `other_jobs_every=None` leaves every non-crawl job at its default schedule (bench/latency.py)."""
    watchlists = folder / "watchlists"
    watchlists.mkdir(exist_ok=True)
    (watchlists / "uk-remedies.yaml").write_text(
        "name: uk-trade-remedies\nchannel: '#uk-remedies'\nevent_types: [investigation]\nimposing: ['GB']\n"
        "min_confidence: 0.3\n",
        encoding="utf-8",
    )
    config = folder / "cwatch.yaml"
    config.write_text(
        f"db: {folder / 'store.db'}\nwatchlists: {watchlists}\n"
        f"crawl:\n  sources: [uk_trade_remedies]\n  replay_root: {site_url}\n  timeout_s: 60\n"
        f"  schedules: {{uk_trade_remedies: {crawl_every}}}\n  settings: {{DOWNLOAD_TIMEOUT: 20, RETRY_TIMES: 1}}\n"
        + (
            f"jobs:\n  tag: {other_jobs_every}\n  alert: {other_jobs_every}\n  feedback: 1h\n"
            "  misfire_grace_s: 30\n"
            if other_jobs_every
            else ""
        ),
        encoding="utf-8",
    )
    return config
