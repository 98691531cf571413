"""Render result rows as an aligned text table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

MAX_CELL = 60  # table cells are cut so one long document text does not wreck the layout
# Scraped text reaches the terminal: drop control characters (ANSI escapes could rewrite the screen).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = CONTROL.sub(" ", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def display_width(text: str) -> int:
    """Terminal columns: Chinese and Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def as_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    heads = [_cell(c) for c in columns]
    widths = [max([display_width(c), *(display_width(r[i]) for r in cells)]) for i, c in enumerate(heads)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(heads, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=HYPERLINK(…), +cmd, @SUM) gets a leading quote.

    Scraped titles reach analysts' spreadsheets through CSV exports (OWASP "CSV injection").
    Numbers stay numbers; only text cells are changed. A carriage return becomes a line break.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    # csv quotes a cell holding "\n" (our line end) but not a lone "\r", which readers take as a line end.
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def as_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in columns])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return buffer.getvalue()


def as_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2, default=_bytes_safe)


def _bytes_safe(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot encode {type(value).__name__}")


def render(fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return {"table": as_table, "csv": as_csv, "json": as_json}[fmt](columns, rows)
