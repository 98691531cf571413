"""A domestic outlet's bare "government" is its own country's (政府 in Japanese, 정부 in Korean), a named
foreign government keeps the name's country, and Korean headline hanja (中, 美, 日) are countries in Korean
text only."""

from __future__ import annotations

import pytest

from nlp.components import pipeline


def countries(lang: str, text: str) -> list[tuple[str, str]]:
    return [(m.key, m.text) for m in pipeline(lang)(text)._.cw_mentions if m.layer == "country"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ja", "政府は対北朝鮮措置の延長を閣議決定した", [("JP", "政府"), ("KP", "北朝鮮")]),
        ("ja", "韓国政府は輸入規制を続ける", [("KR", "韓国"), ("KR", "政府")]),
        ("ko", "정부는 대러 수출통제를 유지했다", [("KR", "정부"), ("RU", "대러")]),
        ("ko", "러시아 정부는 반발했다", [("RU", "러시아"), ("RU", "정부")]),
        ("ko", "中, 한국산 제품 통관 보류", [("CN", "中"), ("KR", "한국산")]),
    ],
)
def test_home_and_named_governments(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert countries(lang, text) == expected


def test_language_only_aliases_stay_in_their_language() -> None:
    assert countries("zh", "特区政府宣布暂停进口") == []  # a bare 政府 in Chinese is nobody's in particular
    assert ("CN", "中") not in countries(
        "zh", "中方表示"
    )  # 中 is the Korean headline form, not a Chinese one
    assert ("KR", "정부") not in countries("en", "정부")  # Hangul in another language's pipeline
