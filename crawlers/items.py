"""The one item type spiders yield. Pipelines fill what a spider leaves empty (text, date) and store it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocItem:
    source: str  # source slug (a spider may yield documents of several sources, e.g. news feeds)
    url: str  # canonical URL: stable id when there is no notice number
    title: str
    text: str = ""  # main text; NormalisePipeline extracts it from `html` when empty
    html: str | None = None  # raw detail page, used for extraction only, never stored
    language: str | None = None  # default: the spider's language
    published: str | None = None  # ISO 8601 with offset; the publisher's structured date first
    notice_number: str | None = None  # the publisher's own number (公告2024年第33号, FR Doc 2024-28270)
    attachments: list[str] = field(default_factory=list)
    attachment_text: str = ""  # text of the first PDF attachment, appended to the main text
    # Incremental-crawl state remembered with the document (crawl_pages table).
    listing_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
