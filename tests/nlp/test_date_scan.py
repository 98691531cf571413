"""find_dates tries its date patterns only where a cheap scan says a match can start (nlp/dates.py
`matches_at`): every pattern must then find exactly what a full scan of the text finds, on our own texts
in English, Chinese, Japanese and Korean and on generated strings dense in near-dates."""

from __future__ import annotations

import random
import re

import pytest

from nlp import dates
from nlp.data import load_dir

PIECES = ["Jan", "January", "May", "Sept", "Sep", "Oct.", "Dec", " ", " ", "1", "12", "31", "2024", "2025",
          "-", "-0", "01", "-12-", "2023-11-05", "-05-", "from ", "in ", "by ", "as of ", "effective ", ",", "st", "th", ".",
          "日", "일", "月", "월", "年", "起", "x", "\n", "3", "A", "é", "_"]  # fmt: skip


def _spans(matches: object) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]  # type: ignore[attr-defined]


def _scanned(text: str) -> dict[str, list[tuple[int, int, tuple[str | None, ...]]]]:
    months = [m.start() for m in dates._MONTH_START.finditer(text)]
    out = {
        order: _spans(dates._matches(regex, order, text, months))
        for regex, order in ((dates._DATE_MD, "md"), (dates._DATE_DM, "dm"), (dates._DATE_ISO, "iso"))
    }
    leads = (p - k for p in months for k in dates._MONTH_ONLY_LEADS)
    out["month_only"] = _spans(dates.matches_at(dates._MONTH_ONLY, text, leads))
    return out


def _full(text: str) -> dict[str, list[tuple[int, int, tuple[str | None, ...]]]]:
    regexes = {"md": dates._DATE_MD, "dm": dates._DATE_DM, "iso": dates._DATE_ISO, "month_only": dates._MONTH_ONLY}
    return {name: _spans(regex.finditer(text)) for name, regex in regexes.items()}


@pytest.fixture(scope="module")
def own_texts() -> list[str]:
    wanted = {"en", "zh", "ja", "ko"}
    return [f"{e.title}\n{e.text}" for e in load_dir()[0] if (e.language or "en") in wanted]


def test_scan_finds_what_the_full_patterns_find(own_texts: list[str]) -> None:
    found = 0
    for text in own_texts:
        full = _full(text)
        assert _scanned(text) == full, text[:80]
        found += sum(map(len, full.values()))
    assert found > 200  # the texts do name dates


def test_scan_on_generated_near_dates() -> None:
    rng = random.Random(3)
    kinds = set()
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25)))
        full = _full(text)
        assert _scanned(text) == full, repr(text)
        kinds |= {name for name, found in full.items() if found}
    assert kinds == {"md", "dm", "iso", "month_only"}


def test_day_only_cjk_skip_is_safe() -> None:
    assert re.search(r"[日일]", "no such mark") is None
    found = dates.find_dates("反ダンピング関税を23日から課す", "2024-12-20")
    assert found and found[0]["when"] == "future"
