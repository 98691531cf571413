"""Linking a CJK product slot to the lexicon: the canonical English name of a known commodity, or one named
from its parts (冷冻 + 牛肉 → "frozen beef", 不锈钢 + 板 → "stainless steel plate"; nlp/lexicon/product_parts.yaml).
A slot that links to nothing is not reported (nlp/cjk_products.py finds the slots)."""

from __future__ import annotations

import functools
import re

from nlp.lexicon import cjk_commodity_index, normalise_commodity, nospace, product_parts

_AFFIX_PREFIXES = ("进口", "相关", "部分", "涉案", "输入", "輸入", "수입", "관련")
_AFFIX_SUFFIXES = ("相关物项", "物项", "相关产品", "产品", "等", "など", "等", "등", "관련")
_LIST_SPLIT = re.compile(r"[、，,／/·ㆍ・]|以及|及び|並びに|\s*및\s*|(?<=\S)(?:와|과)\s+|[和及与]|や|と")


@functools.lru_cache(maxsize=1)
def sorted_parts() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """product_parts() modifiers and forms, longest surface first."""
    parts = product_parts()
    return (
        sorted(parts.modifiers.items(), key=lambda kv: -len(kv[0])),
        sorted(parts.forms.items(), key=lambda kv: -len(kv[0])),
    )


def link_cjk_product(raw: str, lang: str = "") -> list[str]:
    """Canonical names of the product(s) a CJK slot names: the whole slot when it links, else each listed
    item that links ("菜子油、油渣饼和豌豆" → three)."""
    out: list[str] = []
    for name, _, _ in link_cjk_spans(raw):
        if name not in out:
            out.append(name)
    return out


def link_cjk_spans(raw: str) -> list[tuple[str, int, int]]:
    """link_cjk_product with each item's offsets in `raw`, so only the words that linked own their mentions."""
    lead = len(raw) - len(raw.lstrip(" ・·、"))
    body = raw.strip(" ・·、")
    # "仲钨酸铵等25种稀有金属产品": what follows 等 / など counts or classes the items listed before it.
    body = _ETC.split(body, maxsplit=1)[0]
    if not body:
        return []
    one = _link_one(body)
    if one is not None:
        return [(one, lead, lead + len(body))]
    out = []
    start = 0
    for sep in [*_LIST_SPLIT.finditer(body), None]:
        stop = sep.start() if sep is not None else len(body)
        part = body[start:stop]
        if part.strip() and (name := _link_one(part)) is not None:
            out.append((name, lead + start, lead + stop))
        if sep is not None:
            start = sep.end()
    return out if len(out) >= 1 and _LIST_SPLIT.search(body) else []


_ETC = re.compile(r"等(?=[0-9一二三四五六七八九十两几多]|物项|产品|商品|类|种|项)|など")


def _stripped(text: str) -> list[str]:
    """The slot text without the words notices wrap around a product (进口, 相关物项, 등), longest first."""
    out = [text]
    changed = True
    while changed:
        changed = False
        for affix in _AFFIX_PREFIXES:
            if out[-1].startswith(affix) and len(out[-1]) > len(affix):
                out.append(out[-1][len(affix) :])
                changed = True
        for affix in _AFFIX_SUFFIXES:
            if out[-1].endswith(affix) and len(out[-1]) > len(affix):
                out.append(out[-1][: -len(affix)])
                changed = True
    return out


@functools.lru_cache(maxsize=4096)
def _link_one(text: str) -> str | None:
    index = cjk_commodity_index()
    candidates = _stripped(nospace(text))
    for cand in candidates:
        if cand in index:
            return index[cand]
    for cand in candidates:
        if (name := _compose(cand)) is not None:
            return normalise_commodity(name)
    return None


def _compose(text: str) -> str | None:
    """modifier* + known commodity + form? → an English name ("冷冻猪肉" → "frozen pork")."""
    index, parts = cjk_commodity_index(), product_parts()
    modifiers: list[str] = []
    stripped = True
    while stripped:
        stripped = False
        for surface, english in sorted_parts()[0]:
            if text.startswith(surface) and len(text) > len(surface):
                modifiers.append(english)
                text = text[len(surface) :]
                stripped = True
                break
    for cut in range(len(text), 0, -1):
        base, rest = text[:cut], text[cut:]
        if base not in index:
            continue
        if not rest:
            form = None
        elif rest in parts.forms:
            form = parts.forms[rest]
        elif rest in index:
            form = index[rest]
        else:
            continue
        if form is None and not modifiers:
            return None
        return " ".join([*modifiers, with_form(index[base], form)])
    return None


def with_form(base: str, form: str | None) -> str:
    """ "stainless steel" + "steel plate" → "stainless steel plate"; "machine tools" + "parts" → "machine tool
    parts"."""
    if form is None:
        return base
    words, tail = base.split(), form.split()
    if words[-1] in tail:
        tail = tail[tail.index(words[-1]) + 1 :]
    else:
        words[-1] = _singular_word(words[-1])
    return " ".join([*words, *tail])


def _singular_word(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
