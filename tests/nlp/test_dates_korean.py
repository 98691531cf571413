"""Korean dates (년/월/일, a day alone before 부터/시행) and future wording place a measure relative to
publication like the Chinese and Japanese forms do."""

from __future__ import annotations

import pytest

from nlp.dates import date_features, find_dates


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("산업부는 9월 15일부터 새 고시를 시행한다", "2025-09-01", ("2025-09-15", "effective", "future")),
        ("수출 제한 품목을 늘리고 24일 시행에 들어간다", "2025-02-20", ("2025-02-24", "effective", "future")),
        ("관세청은 2024년 3월 2일 조치를 발표했다", "2024-03-05", ("2024-03-02", "mentioned", "past")),
        ("유예 조치는 11월 10일까지 유지된다", "2025-08-01", ("2025-11-10", "end", "future")),
    ],
)
def test_korean_dates(text: str, published: str, expected: tuple[str, str, str]) -> None:
    (found,) = find_dates(text, published)
    assert (found["date"], found["role"], found["when"]) == expected


def test_future_wording_in_korean_and_japanese() -> None:
    assert "date:relative:future" in date_features("정부는 다음 달 관세를 부과할 예정이다", "2025-05-01")
    assert "date:relative:future" not in date_features("政府は輸出を禁止した", "2025-05-01")
