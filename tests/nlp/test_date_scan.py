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
          "日", "일", "月", "월", "年", "起", "x", "\n", "3", "A", "é", "_", "Friday", "MONDAY", "day",
          "Wednes", "starting ", "effective immediately", "Today", "即日", "즉시 시행", "ı"]  # fmt: skip


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
    days = (m.end() - k for m in dates._DAY.finditer(text) for k in dates._WEEKDAY_LEADS)
    out["weekday"] = _spans(dates.matches_at(dates._FROM_WEEKDAY, text, days))
    # The same-day pattern runs only behind its hint: the hint must be there whenever the pattern matches.
    hinted = dates._holds(dates.folded(text), dates._SAME_DAY_HINTS)
    out["same_day"] = _spans(dates._SAME_DAY.finditer(text)) if hinted else []
    return out


def _full(text: str) -> dict[str, list[tuple[int, int, tuple[str | None, ...]]]]:
    regexes = {
        "md": dates._DATE_MD,
        "dm": dates._DATE_DM,
        "iso": dates._DATE_ISO,
        "month_only": dates._MONTH_ONLY,
        "weekday": dates._FROM_WEEKDAY,
        "same_day": dates._SAME_DAY,
    }
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
    assert kinds == {"md", "dm", "iso", "month_only", "weekday", "same_day"}


def test_day_only_cjk_skip_is_safe() -> None:
    assert re.search(r"[日일]", "no such mark") is None
    found = dates.find_dates("反ダンピング関税を23日から課す", "2024-12-20")
    assert found and found[0]["when"] == "future"


def test_folding_covers_every_case_insensitive_ascii_match() -> None:
    """folded() relies on re.IGNORECASE matching an ASCII letter only to itself, its capital and these."""
    letter = re.compile("[a-z]", re.I)
    others = [c for c in map(chr, range(128, 0x110000)) if letter.fullmatch(c)]
    assert others == ["\u0130", "\u0131", "\u017f", "\u212a"]
    assert all(dates.folded(c).isascii() and len(dates.folded(c)) == 1 for c in others)


HINTED = ["will take effect", "WİLL TAKE EFFECT", "is ſet to ſtart", "Are due to begin", "from next month",
          "three months after publication", "enters into force in two weeks", "in the coming", "即日起",
          "本日から", "다음 달", "시행될", "Effective Immediately", "with immediate effect", "AS OF TODAY",
          "즉시 시행", "将于", "x", " ", "next", "after"]  # fmt: skip


def test_hints_hold_whenever_the_patterns_match(own_texts: list[str]) -> None:
    rng = random.Random(11)
    texts = [*own_texts, *HINTED]
    texts += ["".join(rng.choice(HINTED) for _ in range(rng.randint(1, 4))) for _ in range(2000)]
    matched = 0
    for text in texts:
        low = dates.folded(text)
        if dates._SAME_DAY.search(text):
            assert dates._holds(low, dates._SAME_DAY_HINTS), text[:80]
            matched += 1
        if dates._FUTURE.search(text):
            assert dates._holds(low, dates._FUTURE_HINTS), text[:80]
            matched += 1
    assert matched > 500


def test_search_from_first_hint_agrees_with_full_search(own_texts: list[str]) -> None:
    rng = random.Random(12)
    filler = ["x", " ", "1", "22", "333", "4444444", "days", "months ", "the ", "\n", "Next ", "after "]
    texts = [*own_texts, *HINTED]
    for _ in range(3000):
        parts = [rng.choice(filler if rng.random() < 0.7 else HINTED) for _ in range(rng.randint(1, 8))]
        texts.append("".join(parts))
    texts += [f"{'9' * n} days after publication" for n in (1, 2, 20, 40)]
    found = 0
    for text in texts:
        low = dates.folded(text)
        assert len(low) == len(text)
        for regex, hints in ((dates._SAME_DAY, dates._SAME_DAY_HINTS), (dates._FUTURE, dates._FUTURE_HINTS)):
            want = regex.search(text) is not None
            assert dates.found_after_hint(regex, text, low, hints) == want, repr(text[:120])
            found += want
    assert found > 1000


def test_folding_keeps_every_length() -> None:
    """Hint positions in folded(text) are positions in text: no character folds to more or fewer."""
    assert all(len(dates.folded(c)) == 1 for c in map(chr, range(0x110000)) if not 0xD800 <= ord(c) < 0xE000)
