"""Date forms of Chinese, Japanese, Korean, EU and North American publishers → ISO 8601 with offset."""

from __future__ import annotations

import pytest

from crawlers.dates import cn_numeral, find_datetime, normalise_iso, parse_date

SHANGHAI = "Asia/Shanghai"
TOKYO = "Asia/Tokyo"


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("2024年5月19日", SHANGHAI, "2024-05-19T00:00:00+08:00"),
        ("发布时间：2024年5月19日 10:30", SHANGHAI, "2024-05-19T10:30:00+08:00"),
        ("2024-05-19 10:30", SHANGHAI, "2024-05-19T10:30:00+08:00"),
        ("2023-07-03 15:30:12", SHANGHAI, "2023-07-03T15:30:12+08:00"),
        ("时间2024-05-19", SHANGHAI, "2024-05-19T00:00:00+08:00"),
        ("2025年1月9", SHANGHAI, "2025-01-09T00:00:00+08:00"),  # legacy MOFCOM title attribute, no 日
        ("二〇二四年十二月三日", SHANGHAI, "2024-12-03T00:00:00+08:00"),
        ("二〇二三年七月三十一日", SHANGHAI, "2023-07-31T00:00:00+08:00"),
        ("２０２４年５月１９日", TOKYO, "2024-05-19T00:00:00+09:00"),
        ("令和6年5月19日", TOKYO, "2024-05-19T00:00:00+09:00"),
        ("令和元年5月1日", TOKYO, "2019-05-01T00:00:00+09:00"),
        ("平成31年4月30日", TOKYO, "2019-04-30T00:00:00+09:00"),
        ("令和７年１１月１１日（火）", TOKYO, "2025-11-11T00:00:00+09:00"),
        ("R7.3.25", TOKYO, "2025-03-25T00:00:00+09:00"),
        ("December 23, 2024", "America/New_York", "2024-12-23T00:00:00-05:00"),
        ("Ottawa, August 10, 2018", "America/Toronto", "2018-08-10T00:00:00-04:00"),
        ("Sep 01, 2025", "Asia/Seoul", "2025-09-01T00:00:00+09:00"),
        ("Tuesday, November 11th, 2025", TOKYO, "2025-11-11T00:00:00+09:00"),
        ("11 November 2025", "Europe/Brussels", "2025-11-11T00:00:00+01:00"),
        ("OJ C 58, 13.2.2016", "Europe/Brussels", "2016-02-13T00:00:00+01:00"),
        ("2024/05/19", "UTC", "2024-05-19T00:00:00+00:00"),
    ],
)
def test_parse_date_forms(text: str, tz: str, expected: str) -> None:
    assert parse_date(text, tz) == expected


def test_earliest_date_in_text_wins() -> None:
    text = "Published May 23, 2023. The measures take effect on July 23, 2023 (令和5年7月23日)."
    assert parse_date(text, TOKYO) == "2023-05-23T00:00:00+09:00"


@pytest.mark.parametrize(
    "text", [None, "", "no date here", "2024-02-30", "令和6年13月1日", "2024-05-19 25:61"]
)
def test_impossible_or_missing_dates_give_none(text: str | None) -> None:
    # An impossible day or time is rejected as a whole: nothing is invented.
    assert parse_date(text, SHANGHAI) is None


def test_find_datetime_is_aware() -> None:
    found = find_datetime("2024-09-15", SHANGHAI)
    assert found is not None and found.utcoffset() is not None
    assert found.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "value"), [("二〇二五", 2025), ("十", 10), ("十九", 19), ("二十", 20), ("三十一", 31)]
)
def test_cn_numeral(text: str, value: int) -> None:
    assert cn_numeral(text) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-19", "2024-05-19T00:00:00+08:00"),
        ("2024-05-19T10:30:00Z", "2024-05-19T10:30:00+00:00"),
        ("2024-05-19T10:30:00+02:00", "2024-05-19T10:30:00+02:00"),
        ("2024年5月19日", "2024-05-19T00:00:00+08:00"),
        ("", None),
    ],
)
def test_normalise_iso(value: str, expected: str | None) -> None:
    assert normalise_iso(value, SHANGHAI) == expected
