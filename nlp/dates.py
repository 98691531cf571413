"""Dates named in a document, and where they fall relative to its publication date.

"from Oct. 1", "1 September 2023", "2024年12月1日", "7月23日起": a date without a year takes the year of
publication. A date is `effective` when an effect cue ("from", "effective", "takes effect", 起, から, 施行)
stands just before or after it. Compared with the publication date, an effective date still ahead means the
measure is announced rather than in force; this is the stage evidence the word features cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = rf"(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# Month Day[, Year] / Day Month [Year] / ISO / 年月日 / 月日 (year optional where news omits it).
_DATE_MD = re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?")
_DATE_DM = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_RE})\.?(?: (\d{{4}}))?\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Korean writes the same with 년/월/일 and spaces ("2025년 9월 15일").
_DATE_CJK = re.compile(r"(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# A month alone ("from June", "by July 2026") or a day alone in CJK news ("23日から", "1日起"): only with an
# effect cue, and placed relative to publication by month (or by day within the publication month).
_MONTH_ONLY = re.compile(
    rf"\b(from|starting|beginning|in|by|until|through|as of|effective) ({_MONTH_RE})\.?(?: (\d{{4}}))?\b(?!\.? ?\d)"
)
_DAY_ONLY_CJK = re.compile(
    r"(?<![月월\d])(?<![月월]\s)(\d{1,2})\s*[日일]\s*(?:から|起|以降|に施行|施行|부터|시행|발효|적용)"
)
_EFFECT_BEFORE = re.compile(
    r"(effective|take[s]? effect|from|starting|beginning|as of|enter[s]? into force|apply|applies|自|于)\W*$",
    re.I,
)
# An end date ("until 31 March", "through the end of", "by May 2025", 至…, …前) says when a measure stops or a
# case ends, not when it starts: it is no evidence that the measure is still ahead.
_END_BEFORE = re.compile(
    r"(until|till|through|to|by|expires?(?: on)?|ending|end of|before|due to (?:end|conclude)|至)\W*$", re.I
)
_END_AFTER = re.compile(r"^\S{0,2}(前|まで|为止|截止|까지)")
_EFFECT_AFTER = re.compile(r"^\s?\S{0,3}(起|から|施行|生效|实施|以降|부터|시행|발효|적용)")
_SAME_DAY = re.compile(
    r"\b(effective immediately|from today|as of today|with immediate effect)\b|即日|即日起|本日から|今日から|きょうから|오늘부터|즉시 시행|즉시 발효",
    re.I,
)
_FUTURE = re.compile(
    r"\b(from next (?:month|year|week|quarter|spring|summer|autumn|fall|winter)|next (?:month|year)|in the coming"
    r"|(?:\d+|thirty|sixty|ninety|two|three|six) (?:days|weeks|months) after (?:publication|its publication|the date)"
    r"|(?:enter|take|come)s? (?:into force|effect|into effect) in (?:\d+|two|three|six) (?:days|weeks|months)"
    r"|will (?:take effect|come into (?:force|effect)|enter into force|go into effect|become effective|apply from)"
    r"|(?:is|are) (?:set|due|scheduled) to (?:take effect|come into force|enter into force|start|begin))\b"
    r"|下月|明年|来年|来月|日後に|か月後|カ月後|个月后|天后|将于|将自|施行予定|発効する予定"
    # Korean: next month, next year, "is to be applied"
    r"|내달|다음 달|다음달|내년|시행 예정|시행할 예정|적용할 예정|부과할 예정|시행될|적용될",
    re.I,
)
# Every match of _SAME_DAY / _FUTURE holds one of these strings (in lowercase): the full pattern runs only
# when the folded text holds one (most notices hold none, and the patterns cost ~0.6 ms per notice).
_SAME_DAY_HINTS = ("immediate", "today", "即日", "本日から", "今日から", "きょうから", "오늘부터", "즉시")
_FUTURE_HINTS = (
    "next ", "in the coming", "after publication", "after its publication", "after the date", "force in ",
    "effect in ", "will take", "will come", "will enter", "will go", "will become", "will apply",
    "to take effect", "to come into", "to enter into", "to start", "to begin",
    "下月", "明年", "来年", "来月", "日後に", "か月後", "カ月後", "个月后", "天后", "将于", "将自", "施行予定",
    "発効する予定", "내달", "다음 달", "다음달", "내년", "시행 예정", "시행할 예정", "적용할 예정", "부과할 예정",
    "시행될", "적용될",
)  # fmt: skip
# Besides the ASCII capitals, re.IGNORECASE matches these to an ASCII letter (K, the Kelvin sign, lowers to k).
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def folded(text: str) -> str:
    """text lowercased, with an ASCII letter wherever re.IGNORECASE would match one: a lowercase ASCII
    string that a case-insensitive pattern matches in `text` is then a substring of folded(text)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_ASCII_FOLD)
    return text.lower()


def _holds(text: str, hints: tuple[str, ...]) -> bool:
    return any(hint in text for hint in hints)


# In a match, a hint starts at most this many characters in ("are scheduled to take effect"), not counting
# the digits of "30 days after publication" (any number of them).
_HINT_LEAD = 16


def found_after_hint(regex: re.Pattern[str], text: str, low: str, hints: tuple[str, ...]) -> bool:
    """bool(regex.search(text)) for _SAME_DAY / _FUTURE, searched only from just before the first hint in
    `low` (folded(text), the same length): no match can start earlier."""
    first = min((i for i in (low.find(hint) for hint in hints) if i >= 0), default=-1)
    if first < 0:
        return False
    start = max(0, first - _HINT_LEAD)
    while start > 0 and text[start - 1].isdecimal():  # a leading number: its first digit may start the match
        start -= 1
    return regex.search(text, start) is not None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FROM_WEEKDAY = re.compile(
    r"\b(?:from|starting|beginning|effective|as of) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


def _month(text: str) -> int | None:
    key = text.lower().rstrip(".")
    for i, name in enumerate(_MONTHS.split("|"), start=1):
        if key == name.lower():
            return i
    return _ABBR.get(key)


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _when_day(delta: int) -> str:
    """A date `delta` days after publication. The next day is already ahead ("from tomorrow", a notice
    effective the day after it is published): announced, not in force. The day before still counts as the
    same day (a wire story filed the morning after a measure took effect)."""
    return "future" if delta >= 1 else "same" if delta >= -1 else "past"


# A month or a year without a day, in CJK notices ("2027年10月起", "9月から", "10월부터", "2022年起", "2026년까지"):
# placed by month or year, like the English "from June", and only with an effect or end word right after it
# (a bare year is only `mentioned`). Full 年月日 dates are _DATE_CJK's: a day after the month excludes it.
_MONTH_CJK = re.compile(
    r"(?<!\d)(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*(?:月|월)(?!\s*\d{1,2}\s*[日일])(?:份|中|末|초|말)?"
)
_YEAR_CJK = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年|년)(?!\s*\d{1,2}\s*[月월])(?:度|도)?")
# An English year after a cue word ("from 2027", "by 2030", "in 2026"): "in" alone only mentions it.
_YEAR_EN = re.compile(
    r"\b(from|starting|beginning|as of|effective|in|by|until|through) ((?:19|20)\d\d)\b(?![-/.]\d)"
)
_PART_EFFECT_AFTER = re.compile(r"^\s?\S{0,3}?(起|から|以降|施行|生效|实施|开始|부터|시행|발효|적용)")
_PART_END_AFTER = re.compile(r"^\s?\S{0,2}?(前|まで|为止|截止|까지)")


def _part_role(after: str) -> str | None:
    if _PART_END_AFTER.search(after):
        return "end"
    return "effective" if _PART_EFFECT_AFTER.search(after) else None


def _month_mention(year: str | None, month: int, role: str, pub: date) -> dict[str, str]:
    """A month named without its day ("2027年10月起", "from July"), placed against the publication month. With
    no year, a month more than three months back means next year's ("1月起" or "from July" in December)."""
    y = int(year) if year else pub.year
    delta = (y - pub.year) * 12 + month - pub.month
    if not year and delta < -3:
        y, delta = y + 1, delta + 12
    when = "past" if delta < 0 else "future" if delta > 0 else "same"
    return {"date": f"{y:04d}-{month:02d}", "role": role, "when": when}


def _partial_dates(text: str, pub: date) -> list[tuple[int, dict[str, str]]]:
    """Month-only and year-only dates (CJK month/year forms, English years after a cue word)."""
    found: list[tuple[int, dict[str, str]]] = []
    if "月" in text or "월" in text:
        for match in _MONTH_CJK.finditer(text):
            role = _part_role(text[match.end() : match.end() + 6])
            mo = int(match.group(2))
            if role is None or not 1 <= mo <= 12:
                continue
            found.append((match.start(), _month_mention(match.group(1), mo, role, pub)))
    if "年" in text or "년" in text:
        for match in _YEAR_CJK.finditer(text):
            y = int(match.group(1))
            role = _part_role(text[match.end() : match.end() + 6]) or "mentioned"
            when = "past" if y < pub.year else "future" if y > pub.year else "same"
            found.append((match.start(), {"date": f"{y:04d}", "role": role, "when": when}))
    for match in _YEAR_EN.finditer(text):
        cue, y = match.group(1).lower(), int(match.group(2))
        role = "end" if cue in ("by", "until", "through") else "mentioned" if cue == "in" else "effective"
        when = "past" if y < pub.year else "future" if y > pub.year else "same"
        found.append((match.start(), {"date": f"{y:04d}", "role": role, "when": when}))
    return found


# Where a match can start, found by cheap scans so the date patterns are tried only there. Every month
# name starts with its three-letter abbreviation (and no two abbreviations overlap); an ISO date has "-DD-"
# four characters in; "from June" starts the cue word and a space before the month.
_MONTH_START = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ISO_DASH = re.compile(r"-(?=\d\d-)")
# "from Friday" ends with the weekday's "day": it starts a cue word, a space and the weekday before that end.
_DAY = re.compile("day", re.I)
_WEEKDAY_LEADS = sorted(
    {
        len(cue) + 1 + len(day)
        for cue in ("from", "starting", "beginning", "effective", "as of")
        for day in _WEEKDAYS
    }
)
_MONTH_ONLY_LEADS = sorted(
    {
        len(w) + 1
        for w in ("from", "starting", "beginning", "in", "by", "until", "through", "as of", "effective")
    }
)


def matches_at(regex: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """regex.finditer(text) when every match of it starts at one of `starts`: leftmost first, none
    overlapping, each tried with regex.match (which sees the text before `start`, as a word boundary needs)."""
    out: list[re.Match[str]] = []
    end = 0
    for start in sorted(set(starts)):
        if start < end or start < 0:
            continue
        match = regex.match(text, start)
        if match is not None:
            out.append(match)
            end = match.end()
    return out


def _matches(regex: re.Pattern[str], order: str, text: str, months: list[int]) -> Iterable[re.Match[str]]:
    if order == "md":  # the month begins the match
        return matches_at(regex, text, months)
    if order == "dm":  # one or two digits and a space before it
        return matches_at(regex, text, (p - k for p in months for k in (2, 3)))
    if order == "iso":
        return matches_at(regex, text, (m.start() - 4 for m in _ISO_DASH.finditer(text) if m.start() >= 4))
    return regex.finditer(text)


def find_dates(text: str, published: str | None = None) -> list[dict[str, str]]:
    """Each date: ISO `date`, `role` effective|mentioned, and `when` past|same|future|unknown vs publication."""
    pub = _published(published)
    found: list[tuple[int, dict[str, str]]] = []
    text = text[:20000]
    months = [m.start() for m in _MONTH_START.finditer(text)]
    for regex, order in ((_DATE_MD, "md"), (_DATE_DM, "dm"), (_DATE_ISO, "iso"), (_DATE_CJK, "cjk")):
        if order == "cjk" and "月" not in text and "월" not in text:
            continue  # its pattern needs one: a substring test instead of a 0.6 ms scan of an English notice
        for match in _matches(regex, order, text, months):
            g = match.groups()
            try:
                if order == "md":
                    mo, d, y = _month(g[0]), int(g[1]), int(g[2]) if g[2] else None
                elif order == "dm":
                    mo, d, y = _month(g[1]), int(g[0]), int(g[2]) if g[2] else None
                elif order == "iso":
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                else:
                    y, mo, d = (int(g[0]) if g[0] else None), int(g[1]), int(g[2])
                if mo is None:
                    continue
                if y is None:
                    if pub is None:
                        continue
                    # No year: the publication year, unless that puts it months back ("from Jan. 1" in December).
                    y = pub.year + (1 if (pub - date(pub.year, mo, d)).days > 120 else 0)
                when_date = date(y, mo, d)
            except ValueError:
                continue
            before = text[max(0, match.start() - 25) : match.start()]
            after = text[match.end() : match.end() + 6]
            effective = bool(_EFFECT_BEFORE.search(before) or _EFFECT_AFTER.search(after))
            end = bool(_END_BEFORE.search(before) or _END_AFTER.search(after))
            when = "unknown"
            if pub is not None:
                delta = (when_date - pub).days
                when = _when_day(delta)
            found.append(
                (
                    match.start(),
                    {
                        "date": when_date.isoformat(),
                        "role": "end" if end else "effective" if effective else "mentioned",
                        "when": when,
                    },
                )
            )
    if pub is not None:
        for match in matches_at(_MONTH_ONLY, text, (p - k for p in months for k in _MONTH_ONLY_LEADS)):
            mo = _month(match.group(2))
            if mo is None:
                continue
            role = "end" if match.group(1).lower() in ("by", "until", "through") else "effective"
            found.append((match.start(), _month_mention(match.group(3), mo, role, pub)))
        for match in _DAY_ONLY_CJK.finditer(text) if "日" in text or "일" in text else ():
            d = int(match.group(1))
            when = _when_day(d - pub.day)
            found.append(
                (
                    match.start(),
                    {"date": f"{pub.year:04d}-{pub.month:02d}-{d:02d}", "role": "effective", "when": when},
                )
            )
        found += _partial_dates(text, pub)
        head = text[:6000]
        days = (m.end() - k for m in _DAY.finditer(head) for k in _WEEKDAY_LEADS)
        for match in matches_at(_FROM_WEEKDAY, head, days):
            # "from Friday" in news means the coming Friday unless it is the publication day itself (a day
            # after is "yesterday" reporting): a weekday still ahead is a future effective date.
            ahead = (_WEEKDAYS.index(match.group(1).lower()) - pub.weekday()) % 7
            when = "same" if ahead == 0 else "past" if ahead == 6 else "future"
            on = pub + timedelta(days=-1 if ahead == 6 else ahead)
            day = {"date": on.isoformat(), "role": "effective", "when": when}
            found.append((match.start(), day))
    found.sort(key=lambda item: item[0])
    return [item for _, item in found][:20]


def date_features(text: str, published: str | None, found: list[dict[str, str]] | None = None) -> list[str]:
    """Stage evidence: where the named (effective) dates fall relative to publication. `found` is
    find_dates' result when the caller already has it (it is computed once per document)."""
    found = find_dates(text, published) if found is None else found
    feats = [f"date:{d['role']}:{d['when']}" for d in found]
    head = text[:6000]
    low = folded(head)
    if found_after_hint(_SAME_DAY, head, low, _SAME_DAY_HINTS):
        feats.append("date:effective:same")
    if found_after_hint(_FUTURE, head, low, _FUTURE_HINTS):
        feats.append("date:relative:future")
    return feats
