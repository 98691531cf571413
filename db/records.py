"""Plain records exchanged between stages and the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceMeta:
    slug: str
    publisher: str
    jurisdiction: str  # ISO alpha-2 or "EU"; "XX" for multi-jurisdiction news feeds
    language: str
    kind: str  # official | news | other
    url: str | None = None
    schedule: str | None = None  # e.g. "*/15 * * * *" or "15m"
    min_items: int = 1
    timezone: str | None = None


@dataclass
class DocumentRecord:
    source: str
    url: str
    title: str
    text: str
    language: str
    published: str | None  # ISO 8601 with offset where the publisher gives one
    fetched: str
    notice_number: str | None = None
    attachments: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return document_id(self.source, self.url, self.notice_number)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.text}".encode()).hexdigest()


@dataclass
class EventRecord:
    event_type: str
    confidence: float
    direction: str | None = None
    imposing: str | None = None
    stage: str | None = None
    targets: list[str] = field(default_factory=list)
    commodities: list[tuple[str, str | None]] = field(default_factory=list)  # (name, HS code)
    technologies: list[str] = field(default_factory=list)


def document_id(source: str, url: str, notice_number: str | None = None) -> str:
    """Stable id from raw fields (DESIGN.md §2): the publisher's notice number when it has one,
    so a notice found under several URL aliases is one document; else the canonical URL."""
    key = f"notice:{source}:{notice_number}" if notice_number else f"url:{url}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Message:
    """A rendered Slack message: what alerts, digests and notices hand to delivery."""

    text: str  # plain-text fallback (notifications, screen readers, clients without blocks)
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class OutboxItem:
    """One due row of an outbox table, rendered, as its stage hands it to delivery/engine.py."""

    table: str  # alerts | digests | escalation_notices
    id: int
    channel: str
    key: str  # metadata key after the store's installation id: "42", "digest:7", "escalation:3"
    message: Message
    terminal: str  # what to print when no Slack token is set
    attempts: int = 0
    claimed_at: str | None = None
    thread_ts: str | None = None  # reply under this message
    waiting: bool = False  # not deliverable yet (a reply whose first alert is still pending)
