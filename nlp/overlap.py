"""Near-duplicate detection between our training data and the dev sets (which must only measure).

Two strings are near-identical when most of the shorter one's character 4-grams (after folding case,
punctuation and whitespace) occur in the longer one: rewording a sentence lowers it far below the bar,
copying or trimming a title does not. Works for every script (Han, kana and Hangul included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NEAR_IDENTICAL = 0.8
_NON_WORD = re.compile(r"[\W_]+")


def grams(text: str, n: int = 4) -> frozenset[str]:
    folded = _NON_WORD.sub(" ", text.lower()).strip()
    return frozenset(folded[i : i + n] for i in range(max(0, len(folded) - n + 1)))


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the larger one (0 when either is too short to judge)."""
    if len(a) < 8 or len(b) < 8:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def near_identical(
    train: Iterable[tuple[str, str, str]], dev: Iterable[tuple[str, str, str]], bar: float = NEAR_IDENTICAL
) -> list[tuple[str, str, str, float]]:
    """(train id, dev id, field, score) for every training title or text near-identical to a dev one."""
    dev_grams = [(i, grams(t), grams(x)) for i, t, x in dev]
    hits = []
    for tid, title, text in train:
        tg, xg = grams(title), grams(text)
        for did, dt, dx in dev_grams:
            for name, score in (("title", containment(tg, dt)), ("text", containment(xg, dx))):
                if score >= bar:
                    hits.append((tid, did, name, round(score, 3)))
    return hits
