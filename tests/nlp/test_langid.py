"""Language identification and Chinese folding on our own short titles (tests/nlp/data/lid_titles.tsv)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from nlp import langid

TITLES = Path(__file__).with_name("data") / "lid_titles.tsv"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in TITLES.read_text(encoding="utf-8").splitlines():
        lang, title = line.split("\t", 1)
        rows.append((lang, title))
    return rows


def test_every_supported_language_is_told_apart_on_short_titles() -> None:
    rows = _rows()
    wrong: Counter[str] = Counter()
    for lang, title in rows:
        want = "zh" if lang == "zh-hant" else lang
        if langid.detect(title) != want:
            wrong[lang] += 1
    assert {lang for lang, _ in rows} >= {*langid.SUPPORTED, "zh-hant"}
    assert sum(wrong.values()) <= 2, wrong  # 96 titles, 8 per language
    assert all(n <= 1 for n in wrong.values()), wrong


def test_hangul_is_korean_whatever_the_source_declares() -> None:
    assert langid.detect("무역위원회, 중국산 철강 반덤핑 조사 개시", declared="en") == "ko"


def test_no_letters_falls_back_to_the_declared_language() -> None:
    assert langid.detect("2025-01-01 12:00 — 42 %", declared="fr") == "fr"
    assert langid.detect("", declared=None) == "en"


def test_traditional_chinese_is_recognised_and_folded() -> None:
    traditional = [t for lang, t in _rows() if lang == "zh-hant"]
    simplified = [t for lang, t in _rows() if lang == "zh"]
    assert all(langid.is_traditional(t) for t in traditional)
    assert not any(langid.is_traditional(t) for t in simplified)
    folded = langid.to_simplified("美國商務部將多家中國企業列入實體清單")
    assert folded == "美国商务部将多家中国企业列入实体清单"
