"""Logging: one line per event, key=value, level configurable. Never log secrets or whole documents."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

_SECRET = re.compile(r"xox[abposr]-[A-Za-z0-9-]+")
_MAX_VALUE = 300


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields.update(getattr(record, "kv", {}))
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info).splitlines()[-1]
        return " ".join(f"{key}={_quote(value)}" for key, value in fields.items())


def _quote(value: Any) -> str:
    text = _redact(str(value))[:_MAX_VALUE].replace("\n", "\\n")
    return f'"{text}"' if (" " in text or "=" in text or not text) else text


def _redact(text: str) -> str:
    token = os.environ.get("SLACK_BOT_TOKEN")
    if token:
        text = text.replace(token, "[masked]")
    return _SECRET.sub("[masked]", text)


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Third-party chatter stays at warning unless debugging.
    for noisy in ("apscheduler", "urllib3", "slack_sdk", "transformers"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def kv(**fields: Any) -> dict[str, Any]:
    """Structured fields for a log call: log.info("crawl done", extra=kv(source=slug, new=3))."""
    return {"kv": fields}
