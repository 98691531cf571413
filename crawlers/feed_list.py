"""The trade-news feeds the news_feeds spider reads: crawlers/feeds.yaml (or CWATCH_FEEDS_FILE), validated."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_FEEDS = Path(__file__).resolve().parent / "feeds.yaml"


class Feed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,60}$")
    publisher: str
    url: str = Field(pattern=r"^https?://")
    language: str = Field(pattern=r"^[a-z]{2}$")
    kind: Literal["news", "official", "other"] = "news"
    jurisdiction: str = "XX"
    timezone: str = "UTC"
    follow: bool = False


def load_feeds(path: Path | str = DEFAULT_FEEDS) -> list[Feed]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return [Feed.model_validate(item) for item in data.get("feeds", [])]
