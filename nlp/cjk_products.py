"""Chinese, Japanese and Korean product names: the slots of trade-remedy phrasing, and which gazetteer
mentions give way to them (the linking of a slot's text is nlp/cjk_linking.py).

CJK notices name the product in a slot of their own phrasing (对原产于美国的进口X…, 中国産Xに対する不当廉売関税,
중국산 X에 대한 덤핑방지관세, 对X相关物项实施出口管制). A slot is linked to a lexicon entry (canonical English
name + HS), or named from one (冷冻 + 牛肉 → "frozen beef", 不锈钢 + 板 → "stainless steel plate";
nlp/lexicon/product_parts.yaml); a slot that links to nothing is not reported. Gazetteer mentions inside a
slot, in a firm's name or in a background clause give way (nlp/extract.py's commodities() combines them).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from typing import Any

from nlp.cjk_linking import link_cjk_spans, sorted_parts, with_form
from nlp.features import Analysis
from nlp.lexicon import cjk_country_names, normalise_commodity


def refined_name(a: Analysis, m: Any, where: Callable[[int], int]) -> str:
    """The mention's commodity with a modifier written just before it and a form noun just after it (both
    from nlp/lexicon/product_parts.yaml, two characters or more: a single character such as 干 or 带 is too
    often part of another word)."""
    text = a.joined
    start, end = where(m.start_char), where(m.end_char - 1) + 1
    modifiers, forms = sorted_parts()
    left, right = text[max(0, start - 8) : start], text[end : end + 8]
    modifier = next(
        (
            english
            for surface, english in modifiers
            if len(surface) >= 2
            and (left.endswith(surface) or (a.lang == "ko" and left.endswith(surface + " ")))
        ),
        None,
    )
    form = None
    for surface, english in forms:
        if len(surface) < 2 or not right.startswith(surface):
            continue
        after = right[len(surface) :]
        # A Korean form must end the word, or be followed by a particle only (공작기계부품을, not 부품업체).
        hangul_follows = a.lang == "ko" and bool(after) and "\uac00" <= after[0] <= "\ud7a3"
        if hangul_follows and not any(after.startswith(p) for p in _KO_PARTICLES):
            continue
        form = english
        break
    if modifier is None and form is None:
        return str(m.key)
    return normalise_commodity(" ".join([*([modifier] if modifier else []), with_form(m.key, form)]))


def outside_slots(
    a: Analysis,
    slots: list[tuple[str, int, int]],
    spans: list[tuple[int, int]],
    background: list[tuple[int, int]],
    where: Callable[[int], int],
) -> list[Any]:
    """Gazetteer commodity mentions not inside a product slot (黒鉛 inside 中国産黒鉛電極 is the slot's) and
    not background: inside a clause about another government's measure cited as the reason (针对加拿大…对中国
    电动汽车加征关税), or, when the title names a product in a slot, in a later sentence that speaks of no
    duty (a second case heard the same day)."""
    mentions = [m for m in a.mentions if m.layer == "commodity"]
    if a.lang not in ("zh", "ja", "ko"):
        return mentions
    text = a.joined[:5000]
    mentions = [m for m in mentions if not _in_company_name(a.joined, where(m.end_char - 1) + 1)]
    if not spans and not background:
        return mentions
    title_slot = any(s < a.title_chars for _, s, _ in slots)
    duty = _duty_sentences(text, a.title_chars)
    # Which slot item (1-based) and which background clause covers each character: O(1) per mention.
    owner = [0] * (len(a.joined) + 1)
    for i, (s, e) in enumerate(spans, start=1):
        owner[s:e] = [i] * (e - s)
    quiet = bytearray(len(a.joined) + 1)
    for s, e in background:
        quiet[s:e] = b"\x01" * (e - s)
    out = []
    for m in mentions:
        start, end = where(m.start_char), where(m.end_char - 1) + 1
        if owner[start] and owner[start] == owner[end - 1] or quiet[start]:
            continue
        if title_slot and start >= a.title_chars and not duty(start):
            continue
        out.append(m)
    return out


# A material word inside a firm's name (宝钢股份, 美国钢铁公司, 中国稀土集团, 中国铝业集团) names the firm.
_COMPANY_AFTER = re.compile(
    r"[\u4e00-\u9fff\u30a0-\u30ff]{0,2}?(?:股份|集团|公司|有限|控股|株式会社|ホールディングス|グループ)"
    r"|[\uac00-\ud7a3]{0,2}?(?:그룹|홀딩스|\(주\)|㈜)"
)


def _in_company_name(text: str, end: int) -> bool:
    return _COMPANY_AFTER.match(text, end) is not None


def _duty_sentences(text: str, body_start: int) -> Callable[[int], bool]:
    """at -> does the body sentence holding `at` speak of a duty (or is it the first one)?"""
    bounds = _sentence_bounds(text, body_start)
    starts = [lo for lo, _ in bounds]
    flags = [i == 0 or bool(_DUTY_CUE.search(text[lo:hi])) for i, (lo, hi) in enumerate(bounds)]

    def speaks(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return True if i < 0 or at >= bounds[i][1] else flags[i]

    return speaks


_DROPPED_SPACE = re.compile(r"^\s|[^\S ]|\s\s")  # what nlp.components.CJKCharTokenizer's Doc leaves out


def text_offsets(a: Analysis) -> Callable[[int], int]:
    """Mention offsets of the CJK pipeline count only the characters its Doc keeps (tokens and one space after
    a token; a newline is dropped): map them back to offsets into a.joined."""
    text = a.joined
    if a.lang not in ("zh", "ja", "ko") or not _DROPPED_SPACE.search(text):
        return lambda i: i
    # Every non-space character is in a token; a space is kept only right after one.
    mapping = [
        i for i, c in enumerate(text) if not c.isspace() or (c == " " and i and not text[i - 1].isspace())
    ]
    return lambda i: mapping[i] if 0 <= i < len(mapping) else i


# --- Chinese, Japanese and Korean product slots ---------------------------------------------------

_HAN = "\u4e00-\u9fff"
_ZH_P = rf"[{_HAN}A-Za-z0-9\-、/·]{{1,40}}?"
# What ends a Chinese product slot: the measure verb or noun, a particle, punctuation.
_ZH_END = (
    r"(?=(?:相关物项|物项|相关产品|产品)?(?:进行|发起|开展|实施|征收|加征|继续征收|反倾销|反补贴|保障措施|"
    r"反规避|期终复审|复审|调查|立案|作出|所适用|适用|的|等|出口管制|关税)|[，,。；;：:\s“”《》()（）]|$)"
)
_JA_P = "(?:[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9・\\-]|めっき)+"
_JA_CUE = (
    r"(?=に対する(?:不当廉売|相殺|反ダンピング|ダンピング|アンチダンピング|セーフガード|緊急関税|暫定|関税|追加関税)"
    r"|に係る(?:不当廉売|相殺|反ダンピング|ダンピング|関税)|の輸入(?:急増|増加|量|制限|禁止|停止|を|が|に)"
    r"|(?:について|に関する)(?:の)?(?:不当廉売|反ダンピング|ダンピング|セーフガード))"
)
_KO_WORD = "[\uac00-\ud7a3A-Za-z0-9\\-]+"
_KO_CUE = r"(?:반덤핑|덤핑방지관세|덤핑\s?조사|덤핑\s?수입|덤핑\s?판정|상계관세|세이프가드|긴급관세)"
_KO_PARTICLES = (
    "에서",
    "에는",
    "에도",
    "으로",
    "에",
    "의",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "과",
    "와",
    "도",
    "로",
)
_KO_STOP_WORDS = {
    "반덤핑",
    "덤핑",
    "덤핑방지관세",
    "상계관세",
    "조사",
    "예비판정",
    "최종판정",
    "종료재심사",
    "재심사",
    "수입",
    "등",
    "관련",
    "제품",
    "최대",
}
_DUTY_CUE = re.compile(r"关税|征收|税率|課税|関税|税率|관세|부과|연장|延长|延長|加征")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=다\.)\s|(?<=\.)\s")


def _alternation(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in names if len(n) <= 12 and not re.search(r"[\s()（）,，、]", n))


@functools.lru_cache(maxsize=4)
def _slot_res(lang: str) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(forward slots: the product follows the match start; backward slots: the product ends at a cue)."""
    countries = _alternation(cjk_country_names(lang))
    if lang == "zh":
        forward = [
            re.compile(rf"原产于[^的，。；\n]{{1,60}}?的(?:进口)?(?:相关)?(?P<p>{_ZH_P}){_ZH_END}"),
            re.compile(rf"对(?:自[^的，。；\n]{{1,20}}?进口的|进口)(?:相关)?(?P<p>{_ZH_P}){_ZH_END}"),
            re.compile(
                rf"对(?!{countries})(?P<p>{_ZH_P})(?:相关物项|物项|等物项|等)?"
                r"(?=实施(?:出口管制|出口许可|临时出口管制)|加征|征收)"
            ),
        ]
        return forward, []
    # Japanese and Korean origin slots start at 産 / 산; slot_scan checks that a country name ends right
    # before it (str.endswith over the names: a regex alternation of ~1,000 names at every position is slow).
    if lang == "ja":
        origin = "産(?:の)?[「『]?"
        return [re.compile(rf"{origin}(?P<p>{_JA_P})")], [re.compile(rf"(?P<p>{_JA_P}){_JA_CUE}")]
    if lang == "ko":
        origin = r"산\s?[\'‘\"“「]?"
        return (
            [re.compile(rf"{origin}(?P<p>{_KO_WORD}(?:\s{_KO_WORD}){{0,3}})")],
            [re.compile(rf"(?P<p>{_KO_WORD}(?:\s{_KO_WORD})?)(?:에\s?대한\s|에\s?대해\s)?{_KO_CUE}")],
        )
    return [], []


def _ko_prefixes(raw: str) -> list[str]:
    """Candidate product names after "…산": the leading words up to a cue word, longest first, each with and
    without a particle on its last word ("석유수지에" → 석유수지)."""
    words: list[str] = []
    for word in raw.split():
        if word in _KO_STOP_WORDS:
            break
        words.append(word)
    out: list[str] = []
    for n in range(len(words), 0, -1):
        head, last = words[: n - 1], words[n - 1]
        out.append(" ".join([*head, last]))
        for particle in _KO_PARTICLES:
            if last.endswith(particle) and len(last) > len(particle):
                out.append(" ".join([*head, last[: -len(particle)]]))
    return out


def _ko_suffixes(raw: str) -> list[str]:
    words = raw.split()
    return [" ".join(words[i:]) for i in range(len(words))]


def cjk_products(a: Analysis) -> list[tuple[str, int, int]]:
    """(canonical English name, start, end) of the products named in trade-remedy and export-control slots of
    a Chinese, Japanese or Korean document; offsets into a.joined. When the title names a product, a product
    named only later in the text counts when its sentence speaks of the duty or is the first one (a second
    case reported in passing, "其他案件公听会", is background)."""
    return slot_scan(a)[0]


def slot_scan(
    a: Analysis,
) -> tuple[list[tuple[str, int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    if a.lang not in ("zh", "ja", "ko"):
        return [], [], []
    forward, backward = _slot_res(a.lang)
    text = a.joined[:5000]
    origin_names = cjk_country_names(a.lang) if a.lang in ("ja", "ko") else ()
    background = _foreign_measure_clauses(text, a.lang)
    found: list[tuple[str, int, int]] = []
    for regex, is_forward in [*((r, True) for r in forward), *((r, False) for r in backward)]:
        for m in regex.finditer(text):
            raw, start = m.group("p"), m.start("p")
            if any(lo <= start < hi for lo, hi in background):
                continue
            if is_forward and origin_names and not text.endswith(origin_names, 0, m.start()):
                continue
            if a.lang == "ko":
                candidates = _ko_prefixes(raw) if is_forward else _ko_suffixes(raw)
            elif a.lang == "ja" and not is_forward and "産" in raw:
                candidates = [raw, raw.rsplit("産", 1)[1]]
            else:
                candidates = [raw]
            for cand in candidates:
                offset = start if is_forward else start + len(raw) - len(cand)
                items = link_cjk_spans(cand)
                if items:
                    found.extend((n, offset + s, offset + e) for n, s, e in items)
                    break
    spans = [(s, e) for _, s, e in found]
    title_end = a.title_chars
    if not any(s < title_end for _, s, _ in found):
        return _dedupe(found), spans, background
    duty = _duty_sentences(text, title_end)
    title_names = {n for n, s, _ in found if s < title_end}
    kept = [f for f in found if f[1] < title_end or f[0] in title_names or duty(f[1])]
    return _dedupe(kept), spans, background


_FOREIGN_MEASURE: dict[str, re.Pattern[str]] = {}


def _foreign_measure_clauses(text: str, lang: str) -> list[tuple[int, int]]:
    """Chinese clauses that cite another government's measure as the reason: "针对加拿大自…对中国电动汽车加征
    关税，" (针对 + a country + …对), up to the next comma. "针对原产于美国的进口丙酸…" (regarding) is not one."""
    if lang != "zh":
        return []
    if lang not in _FOREIGN_MEASURE:
        countries = _alternation(cjk_country_names(lang))
        _FOREIGN_MEASURE[lang] = re.compile(
            rf"(?:针对|鉴于|由于|为平衡|为应对|为回应|回应|反制)(?:{countries}|该国|对方|有关国家|[美欧加日韩澳英]方)[^，,。；;]{{0,40}}?对[^，,。；;]*"
        )
    return [(m.start(), m.end()) for m in _FOREIGN_MEASURE[lang].finditer(text)]


def _sentence_bounds(text: str, body_start: int) -> list[tuple[int, int]]:
    bounds = []
    start = body_start
    for m in _SENTENCE_END.finditer(text, body_start):
        if m.start() > start:
            bounds.append((start, m.start()))
            start = m.start()
    bounds.append((start, len(text)))
    return bounds


def _dedupe(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    return list(dict.fromkeys(found))


LIST_JOINERS = {"、", ",", "，", "and", "or", "和", "及", "与", "以及", "및", "와", "과", "や", "と", "及び"}
