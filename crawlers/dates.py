"""Publication dates as publishers write them → ISO 8601 with a UTC offset.

Publishers give dates in local forms: MOFCOM ``2024年5月19日`` or ``2024-05-19 10:30`` (Beijing time, no zone
written), signature blocks in Chinese numerals (``二〇二四年五月十九日``), METI Japanese-era dates
(``令和6年5月19日``), full-width digits, and English forms (``December 23, 2024``,
``Ottawa, August 10, 2018``, ``11 November 2025``, ``13.2.2016``). The publisher's zone is not in the text,
so callers pass the source's zone; a date without a time becomes local midnight, which keeps the calendar
day right for readers there.

``find_datetime`` searches free text (a byline, a title attribute); ``parse_date`` returns the ISO string.
Unparseable or impossible dates give ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

# Japanese eras in use for modern official documents: first Gregorian year of each (year 1 = 元年).
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926, "R": 2019, "H": 1989}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = "〇○零一二三四五六七八九十"
_TIME = r"(?:[T\s]*(?P<H>\d{1,2})[:：时時](?P<M>\d{2})(?:[:：分](?P<S>\d{2}))?)?"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

# Ranked most specific first: when two forms match at the same place, the earlier one here wins.
PATTERNS = [
    # 令和6年5月19日, 令和元年5月1日, R6.5.19
    re.compile(
        r"(?P<era>令和|平成|昭和)\s*(?P<ey>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
        + _TIME
    ),
    re.compile(r"(?<![A-Za-z])(?P<era>[RH])(?P<ey>\d{1,2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?!\d)"),
    # 2024年5月19日 10:30 ; 2024年5月19 (MOFCOM title attributes omit the 日)
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?" + _TIME),
    # 二〇二四年五月十九日 (signature blocks)
    re.compile(rf"(?P<cy>[{_CN_NUM}]{{4}})年(?P<cm>[{_CN_NUM}]{{1,2}})月(?P<cd>[{_CN_NUM}]{{1,3}})日"),
    # 2024-05-19 10:30:00, 2024/05/19, 2024.05.19, 2024-05-19T10:30
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)" + _TIME),
    # December 23, 2024 ; Sep 01, 2025 ; Tuesday, November 11, 2025 ; Ottawa, August 10, 2018
    re.compile(
        rf"(?<![A-Za-z])(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
        re.I,
    ),
    # 11 November 2025 ; 13 Feb. 2016
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_NAMES})\.?,?\s+(?P<y>\d{{4}})(?!\d)",
        re.I,
    ),
    # 13.2.2016 ; 19/05/2024 (day first: EU, UK, Korea's English site)
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)"),
]


@lru_cache(maxsize=32)
def zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def _fullwidth_to_ascii(text: str) -> str:
    """Full-width digits and colons (２０２４年５月１９日) are common in Japanese and Chinese pages."""
    return text.translate(
        {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF1A: ord(":"), 0x3000: ord(" ")}
    )


def cn_numeral(text: str) -> int | None:
    """Chinese numerals as written in dates: digit-by-digit years (二〇二四), 十-based days (十九, 三十一)."""
    if "十" not in text:
        digits = [_CN_DIGITS.get(ch) for ch in text]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    tens, _, units = text.partition("十")
    high = _CN_DIGITS.get(tens, -1) if tens else 1
    low = _CN_DIGITS.get(units, -1) if units else 0
    return None if high < 0 or low < 0 else high * 10 + low


def _fields(match: re.Match[str]) -> tuple[int, int, int] | None:
    groups = match.groupdict()
    if groups.get("cy"):
        y, m, d = cn_numeral(groups["cy"]), cn_numeral(groups["cm"]), cn_numeral(groups["cd"])
        return None if y is None or m is None or d is None else (y, m, d)
    if groups.get("era"):
        era_year = 1 if groups["ey"] == "元" else int(groups["ey"])
        year = ERAS[groups["era"]] + era_year - 1
    else:
        year = int(groups["y"])
    month = MONTHS[groups["mon"].lower().rstrip(".")] if groups.get("mon") else int(groups["m"])
    return year, month, int(groups["d"])


def find_datetime(text: str | None, tz: str | tzinfo = "UTC") -> datetime | None:
    """The first date (with its time, if written next to it) in `text`, as an aware datetime in `tz`."""
    if not text:
        return None
    text = _fullwidth_to_ascii(text[:2000])
    tzi = zone(tz) if isinstance(tz, str) else tz
    found: list[tuple[int, int, datetime]] = []  # (position in text, pattern rank, value)
    for rank, pattern in enumerate(PATTERNS):
        for match in pattern.finditer(text):
            fields = _fields(match)
            if fields is None:
                continue
            groups = match.groupdict()
            hour, minute, second = (int(groups.get(k) or 0) for k in ("H", "M", "S"))
            try:
                found.append((match.start(), rank, datetime(*fields, hour, minute, second, tzinfo=tzi)))
                break
            except ValueError:  # 2024-02-30, 25:00 …: keep looking rather than guess
                continue
    # The earliest date in the text is the one a byline or title attribute means.
    return min(found, key=lambda hit: hit[:2])[2] if found else None


def parse_date(text: str | None, tz: str | tzinfo = "UTC") -> str | None:
    """ISO 8601 with offset (``2024-05-19T10:30:00+08:00``) for the first date in `text`, else None."""
    found = find_datetime(text, tz)
    return found.isoformat() if found else None


def normalise_iso(value: str | None, tz: str | tzinfo = "UTC") -> str | None:
    """An ISO date/datetime from an API (``2024-05-19``, ``2024-05-19T10:30:00Z``) with an offset added when
    it has none, so every stored date compares correctly."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return parse_date(value, tz)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz) if isinstance(tz, str) else tz)
    return parsed.isoformat()
