"""Text cues (English and Chinese) for a proceeding's lifecycle stage, its remedy kind and its references.

Titles name the step a notice takes ("…反倾销调查初步裁定的公告", "Final Results of Sunset Review");
bodies also recount earlier steps ("2024年5月19日，商务部发布…立案调查"), so a title cue wins and a body
is read only for the furthest step it mentions.
"""

from __future__ import annotations

import re
from datetime import date

# Lifecycle order; expiry and lifted both end a proceeding.
STAGES = ("application", "initiation", "preliminary", "final", "review", "expiry", "lifted")
RANK = {stage: i + 1 for i, stage in enumerate(STAGES)}

_STAGE_CUES: dict[str, re.Pattern[str]] = {
    "lifted": re.compile(
        r"终止(?:反倾销|反补贴|保障措施)?(?:调查|征收|实施)|取消(?:征收|实施)|停止征收"
        r"|\b(?:revok\w*|revocation|terminat\w* (?:of )?(?:the )?(?:investigation|order|duties)|lift\w*"
        r"|rescind\w*)\b",
        re.I,
    ),
    "expiry": re.compile(r"到期|期满|\b(?:expir\w*|lapse[sd]?)\b", re.I),
    "review": re.compile(
        r"复审|反规避|\b(?:sunset review|expiry review|administrative review|interim review|changed"
        r" circumstances review|new shipper review|circumvention)\b",
        re.I,
    ),
    "final": re.compile(
        r"终裁|最终裁定|\b(?:final (?:affirmative |negative )?determination|final results?|final ruling"
        r"|(?:anti-?dumping|countervailing) duty order|definitive (?:anti-?dumping |countervailing )?duties)\b",
        re.I,
    ),
    "preliminary": re.compile(
        r"初裁|初步裁定|临时(?:反倾销|反补贴|保障)措施|保证金|\b(?:preliminary (?:affirmative |negative )?"
        r"determination|preliminary results?|provisional (?:anti-?dumping |countervailing )?(?:duties|measures))\b",
        re.I,
    ),
    "initiation": re.compile(
        r"立案|发起\S{0,20}调查|启动\S{0,20}调查|\b(?:initiat\w*|opens? an? (?:anti-?dumping |anti-subsidy"
        r" |countervailing |safeguard )?investigation)\b",
        re.I,
    ),
    "application": re.compile(
        r"申请|\b(?:petitions?|complaint lodged|request for (?:an? )?investigation)\b", re.I
    ),
}
_TITLE_ORDER = ("lifted", "expiry", "review", "final", "preliminary", "initiation", "application")
BODY_CHARS = 1500

REMEDIES: dict[str, re.Pattern[str]] = {
    "anti_dumping": re.compile(r"反倾销|\banti-?dumping\b|less than fair value|\bdumping\b", re.I),
    "countervailing": re.compile(r"反补贴|\b(?:countervailing|anti-subsidy|subsidi[sz]ed)\b", re.I),
    "safeguard": re.compile(r"保障措施|\bsafeguard", re.I),
    "section_232": re.compile(r"\bsection 232\b|232调查", re.I),
    "section_301": re.compile(r"\bsection 301\b|301调查", re.I),
}

# US Commerce case numbers (A-570-xxx anti-dumping, C-570-xxx countervailing), EU/UK case codes.
_CASE_NUMBER = re.compile(r"\b([AC]-\d{3}-\d{3})\b|\b((?:AD|AS|AC|SG|TD|TS|TC)\d{3,4})\b")
# MOFCOM notices cited in running text: 商务部公告2024年第19号, 商务部发布2024年第19号公告, 2024年第19号公告.
_MOFCOM_REF = re.compile(
    r"(?:商务部公告\s*(\d{4})\s*年\s*第\s*(\d+)\s*号)|(?:(\d{4})\s*年\s*第\s*(\d+)\s*号公告)"
)
_EFFECTIVE_ZH = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_EFFECTIVE_EN = re.compile(
    rf"\b(?:effective|beginning|starting|from)\s+(?:on\s+)?({_MONTHS})\s+(\d{{1,2}}),\s+(\d{{4}})"
)


def case_stage(title: str, text: str) -> str | None:
    """The lifecycle step this document takes, or None when it names none."""
    for stage in _TITLE_ORDER:
        if _STAGE_CUES[stage].search(title or ""):
            return stage
    head = (text or "")[:BODY_CHARS]
    found = [stage for stage in STAGES if _STAGE_CUES[stage].search(head)]
    return max(found, key=RANK.__getitem__) if found else None


def remedy(title: str, text: str) -> str | None:
    """The kind of proceeding: the first named in the title, else in the opening of the body."""
    for haystack in (title or "", (text or "")[:BODY_CHARS]):
        hits = [(m.start(), kind) for kind, pattern in REMEDIES.items() if (m := pattern.search(haystack))]
        if hits:
            return min(hits)[1]
    return None


def references(title: str, text: str, notice_number: str | None = None) -> set[str]:
    """Case numbers and MOFCOM notice numbers this document names (its own number included)."""
    joined = f"{title or ''}\n{text or ''}"
    refs = {a or b for a, b in _CASE_NUMBER.findall(joined)}
    for y1, n1, y2, n2 in _MOFCOM_REF.findall(joined):
        refs.add(f"商务部公告{int(y1 or y2)}年第{int(n1 or n2)}号")
    if notice_number:
        refs.add(notice_number)
    return refs


def case_remedy_from_number(refs: set[str]) -> str | None:
    for ref in sorted(refs):
        if ref.startswith("A-"):
            return "anti_dumping"
        if ref.startswith("C-"):
            return "countervailing"
    return None


def effective_date(text: str) -> str | None:
    """The first "from <date>" in the text (自2025年1月24日起, effective January 24, 2025), ISO."""
    if found := _EFFECTIVE_ZH.search(text or ""):
        y, m, d = (int(g) for g in found.groups())
    elif found := _EFFECTIVE_EN.search(text or ""):
        y, m, d = int(found.group(3)), _MONTHS.split("|").index(found.group(1)) + 1, int(found.group(2))
    else:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None
