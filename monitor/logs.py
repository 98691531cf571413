"""Logging: one logfmt line per event (logfmter), level configurable. Never log secrets or whole documents.

logfmter does the quoting and escaping (quotes, backslashes, newlines inside values), so any value keeps
`key=value` parsing intact, and it writes the whole traceback as `exc_info="…\\n…"` on the same line.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from logfmter import Logfmter

_SECRET = re.compile(r"xox[a-z]-[A-Za-z0-9-]+")
_MAX_VALUE = 300  # a value longer than this is cut: document bodies do not belong in logs
_MAX_TRACEBACK = 20_000  # a whole traceback, but not an exception message holding a whole page


class KeyValueFormatter(Logfmter):
    """`ts=… level=info logger=… msg=… key=value … exc_info="Traceback…"`."""

    def __init__(self) -> None:
        super().__init__(
            keys=["ts", "level", "logger"],
            mapping={"ts": "asctime", "level": "level_name", "logger": "name"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )

    def format(self, record: logging.LogRecord) -> str:
        record.level_name = record.levelname.lower()
        return super().format(record)

    @classmethod
    def get_extra(cls, record: logging.LogRecord) -> dict[str, Any]:
        extras = super().get_extra(record)
        extras.pop("level_name", None)
        fields = extras.pop("kv", None)  # kv() fields (flattened as kv.x by logfmter) become plain keys
        for key in [k for k in extras if k.startswith("kv.")]:
            extras[key.removeprefix("kv.")] = extras.pop(key)
        if isinstance(fields, dict):
            extras.update(fields)
        return extras

    @classmethod
    def format_value(cls, value: Any) -> str:
        if isinstance(value, str) and len(value) > _MAX_VALUE:
            value = value[: _MAX_VALUE - 1] + "…"
        return super().format_value(value)

    @classmethod
    def format_string(cls, value: str) -> str:
        return super().format_string(_redact(value))

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        text = _redact(super().formatException(ei))
        if len(text) > _MAX_TRACEBACK:  # keep the start (outermost frames) and the end (the error)
            half = _MAX_TRACEBACK // 2
            text = f"{text[:half]}\n… {len(text) - _MAX_TRACEBACK} characters cut …\n{text[-half:]}"
        return text


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
