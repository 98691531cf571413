"""clean_text's shortcut for already-clean text must give exactly what the full cleaning gives."""

from __future__ import annotations

import random
import re

from crawlers.extract import clean_text

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def full_cleaning(text: str) -> str:
    """The specification: collapse space runs, strip every line, at most one blank line, strip the ends."""
    lines = (line.strip() for line in _SPACES.sub(" ", text.replace("\r", "\n")).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Letters, CJK, and every kind of whitespace the cleaning treats differently.
ALPHABET = [
    "a",
    "b",
    "商",
    "務",
    "x",
    " ",
    " ",
    "\t",
    "\n",
    "\n",
    "\r",
    "\u00a0",
    "\u3000",
    "\u2003",
    "\x0b",
    "\x0c",
]


def test_same_result_as_full_cleaning_on_random_text() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
        assert clean_text(text) == full_cleaning(text), repr(text)


def test_idempotent_and_clean_text_returned_as_is() -> None:
    rng = random.Random(11)
    for _ in range(5_000):
        once = clean_text("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))))
        assert clean_text(once) is once


def test_notice_text_is_cleaned() -> None:
    raw = "  Announcement No. 46\r\n\r\n\r\n  Exports\u3000of  gallium\t items\n \n are banned.  "
    assert clean_text(raw) == "Announcement No. 46\n\nExports of gallium items\n\nare banned."
