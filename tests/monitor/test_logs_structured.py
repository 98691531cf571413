"""Log lines are valid logfmt: nested quotes survive, the whole traceback is kept, no secrets, no bodies."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from monitor.logs import KeyValueFormatter, kv

TOKEN = "xoxb-123-456-secretvalue"
# One logfmt pair: a bare value (no space, quote or =) or a quoted one with \" \\ \n escapes.
PAIR = re.compile(r'([A-Za-z0-9_.]+)=("(?:[^"\\]|\\.)*"|[^\s"=]*)(?:\s+|$)')
UNESCAPE = {"n": "\n", '"': '"', "\\": "\\", "t": "\t", "r": "\r"}


def parse_logfmt(line: str) -> dict[str, str]:
    """Strict: the whole line must be pairs, else ValueError."""
    fields, pos = {}, 0
    while pos < len(line):
        match = PAIR.match(line, pos)
        if not match:
            raise ValueError(f"not logfmt at {pos}: {line[pos : pos + 40]!r}")
        key, raw = match.groups()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", lambda m: UNESCAPE.get(m.group(1), m.group(1)), raw[1:-1])
        fields[key] = raw
        pos = match.end()
    return fields


@pytest.fixture
def lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter())
    logger = logging.getLogger("cwatch.test.logs")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.handlers = []


def _nested_failure() -> None:
    def inner() -> None:
        raise RuntimeError(f'Slack said "invalid_auth" for {TOKEN}')

    inner()


def test_nested_quotes_and_equals_keep_key_value_parsing(lines: io.StringIO) -> None:
    title = 'MOFCOM: "export \\"control\\"" list a=b c="d"\nsecond line'
    logging.getLogger("cwatch.test.logs").warning("ops", extra=kv(message=title, source="cn_mofcom", new=3))
    (line,) = lines.getvalue().splitlines()
    fields = parse_logfmt(line)
    assert fields["message"] == title and fields["source"] == "cn_mofcom" and fields["new"] == "3"
    assert fields["level"] == "warning" and fields["msg"] == "ops" and fields["logger"] == "cwatch.test.logs"


def test_the_whole_traceback_is_kept_on_one_line_without_the_token(lines: io.StringIO) -> None:
    try:
        _nested_failure()
    except RuntimeError:
        logging.getLogger("cwatch.test.logs").exception("job failed", extra=kv(job="alert"))
    (line,) = lines.getvalue().splitlines()
    fields = parse_logfmt(line)
    trace = fields["exc_info"]
    assert trace.startswith("Traceback (most recent call last):")
    assert "in _nested_failure" in trace and "in inner" in trace  # every frame, not the last line only
    assert trace.endswith('RuntimeError: Slack said "invalid_auth" for [masked]')
    assert TOKEN not in line and fields["job"] == "alert"


def test_no_secrets_and_no_document_bodies(lines: io.StringIO) -> None:
    body = "Full text of a scraped announcement. " * 500
    logging.getLogger("cwatch.test.logs").info(
        f"posting with {TOKEN}", extra=kv(text=body, other="xoxp-999-abc")
    )
    (line,) = lines.getvalue().splitlines()
    fields = parse_logfmt(line)
    assert "secretvalue" not in line and "xoxp-999" not in line and "[masked]" in fields["msg"]
    assert len(fields["text"]) <= 300 and len(line) < 1000
