"""A listing entry, whatever the platform (feed item, API record, listing row), and RFC 822 feed dates."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass

from crawlers.dates import parse_date
from crawlers.state import fingerprint


@dataclass
class Entry:
    """One listing entry: enough to decide whether to fetch its page."""

    url: str
    title: str
    date: str | None = None  # ISO 8601 with offset, when the listing gives one
    summary: str = ""
    key: str | None = None  # the publisher's id (feed <id>/<guid>), part of the fingerprint

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key or self.url, self.title, self.date, self.summary)


def parse_rfc822(value: str | None, tz: str) -> str | None:
    """An RSS 2.0 `pubDate` as ISO 8601; other spellings through the general date parser."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value.strip()).isoformat()
    except (TypeError, ValueError):
        return parse_date(value, tz)
