"""Commodities, technologies and dates named in a document.

Commodities come from the gazetteer (canonical names + HS codes) and, for products outside it, from the
way trade-remedy notices name them ("investigation of twist ties produced in China", "duties on Chinese cast
iron soil pipe"). A product phrase that contains a gazetteer commodity replaces it ("flat-rolled iron and
steel" rather than "steel"), because the notice names the narrower product.

Chinese, Japanese and Korean notices name the product in slots of their own phrasing, read and linked
to the lexicon by nlp/cjk_products.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from db.taxonomy import most_specific_technologies
from nlp.cjk_products import (
    LIST_JOINERS,
    outside_slots,
    refined_name,
    slot_scan,
    text_offsets,
)
from nlp.features import Analysis
from nlp.lexicon import (
    hs_code,
    load_lexicon,
    normalise_commodity,
)

_PRODUCT_NOUN = (
    r"(?:investigations?|probes?|duty|duties|tariffs?|reviews?|petitions?|orders?|case|inquiry|measures)"
)
_ORIGIN = r"(?:from|imported from|produced in|originating in|originating from|made in|exported from)"
_PHRASE = r"(?P<p>[A-Za-z][A-Za-z0-9\-]*(?: [A-Za-z0-9][A-Za-z0-9\-]*){0,5})"
_LINK = r"(?:on|of|into|concerning|covering|against)"
_PRODUCT_RES = [
    re.compile(rf"\b{_PRODUCT_NOUN} {_LINK} (?:imports of |certain )?{_PHRASE} {_ORIGIN}\b"),
    re.compile(rf"\b(?:imports|shipments) of (?:certain )?{_PHRASE} {_ORIGIN}\b"),
]
_STOP_START = {
    "certain",
    "the",
    "a",
    "an",
    "its",
    "their",
    "all",
    "goods",
    "products",
    "imports",
    "some",
    "these",
    "those",
    "this",
}


def _adjectives() -> str:
    adjs = sorted(
        {a.text for a in load_lexicon().countries if a.kind == "adj" and " " not in a.text}, key=len
    )
    return "|".join(re.escape(a) for a in reversed(adjs))


_TITLE_RE: re.Pattern[str] | None = None


def _title_re() -> re.Pattern[str]:
    global _TITLE_RE
    if _TITLE_RE is None:
        _TITLE_RE = re.compile(
            rf"\b(?:on|of|into|against|Of|On|Into) (?:Imports of |Certain )?(?:{_adjectives()}) "
            rf"(?P<p>[A-Z][A-Za-z\-]*(?: [A-Za-z][A-Za-z\-]*){{0,5}}?)"
            r"(?:$|[,:;.(]| From| from| and | To | to )"
        )
    return _TITLE_RE


_PREPOSITIONS = {"into", "on", "of", "for", "in", "by", "with", "to", "at", "over", "against", "about"}
_TRAILING = {
    "imported",
    "exported",
    "shipped",
    "produced",
    "originating",
    "made",
    "sold",
    "entering",
    "coming",
}
_REJECT = {
    "will",
    "be",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "same",
    "said",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "such",
    "which",
    "that",
    "goods",
    "products",
    "it",
    "they",
}


@functools.lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    words = {
        a.text.lower() for a in load_lexicon().countries if a.kind in ("adj", "name") and " " not in a.text
    }
    return frozenset(words | {f"{w}-made" for w in words} | {f"{w}-origin" for w in words})


def _clean_phrase(phrase: str) -> str | None:
    """Keep the product noun phrase: the part after the last preposition, without leading determiners or
    country adjectives and without trailing participles ("rapeseed shipped" → "rapeseed")."""
    words = phrase.lower().split()
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _PREPOSITIONS:
            words = words[i + 1 :]
            break
    while words and (words[0] in _STOP_START or words[0] in _country_words()):
        words = words[1:]
    while words and words[-1] in _TRAILING:
        words = words[:-1]
    if not words or len(words) > 6 or any(w in _REJECT or w in _country_words() for w in words):
        return None
    return " ".join(words)


_CONJ = re.compile(r",? and |, | or |/| & ")


def split_coordination(phrase: str) -> list[str]:
    """One product per conjunct: "steel and aluminium" → steel, aluminium. A bare modifier before the last
    conjunct shares its head noun ("hardwood and decorative plywood" → hardwood plywood, decorative plywood),
    unless it is itself a product we know ("steel and aluminium products" keeps steel)."""
    parts = [p.strip() for p in _CONJ.split(phrase) if p.strip()]
    if len(parts) < 2:
        return [phrase]
    head = parts[-1].split()[-1]
    known = _known_commodities()
    out = []
    for part in parts[:-1]:
        if " " not in part and len(parts[-1].split()) > 1 and normalise_commodity(part) not in known:
            part = f"{part} {head}"
        out.append(part)
    return [*out, parts[-1]]


@functools.lru_cache(maxsize=1)
def _known_commodities() -> frozenset[str]:
    return frozenset(load_lexicon().hs_codes)


def product_phrases(a: Analysis) -> list[str]:
    if a.lang != "en":
        return []
    found: list[str] = []
    matches = [m.group("p") for regex in _PRODUCT_RES for m in regex.finditer(a.joined[:5000])]
    matches += [m.group("p") for m in _title_re().finditer(a.title)]
    for raw in matches:
        if (p := _clean_phrase(raw)) is not None:
            found.extend(q for q in split_coordination(p) if q not in _STOP_START)
    return found


Keep = Callable[[str, str], bool]  # (layer, canonical key) -> keep it?


def commodities(a: Analysis, keep: Keep | None = None) -> list[tuple[str, str | None]]:
    slots, spans, background = slot_scan(a)
    where = text_offsets(a)
    outside = outside_slots(a, slots, spans, background, where)
    gazetteer = [m.key for m in outside]
    # A CJK mention named more narrowly by the words around it (냉동 고등어, 공작기계부품) takes that name.
    refined: dict[str, list[str]] = {}
    for m in outside:
        name = refined_name(a, m, where) if a.lang in ("zh", "ja", "ko") else m.key
        if name != m.key and name not in refined.setdefault(m.key, []):
            refined[m.key].append(name)
    phrases = [normalise_commodity(p) for p in product_phrases(a)]
    names: list[str] = []
    known = set(load_lexicon().hs_codes)
    for phrase in [*phrases, *(name for name, _, _ in slots)]:
        if phrase not in names:
            names.append(phrase)
    kept = _with_listed_siblings(a, {n for n in gazetteer if keep is None or keep("commodity", n)})
    for name in gazetteer:
        # Drop a gazetteer hit that only sits inside a longer product phrase of the notice.
        if name in names or any(name in p for p in phrases if p not in known):
            continue
        if name in kept:
            names.extend(n for n in refined.get(name) or [name] if n not in names)
    return [(n, hs_code(n)) for n in names]


def _with_listed_siblings(a: Analysis, kept: set[str]) -> set[str]:
    """A list of goods is one object: when the head keeps one item of an enumeration ("镓、锗、锑、超硬材料",
    "gallium, germanium and antimony"), the items listed with it are kept too."""
    mentions = sorted((m for m in a.mentions if m.layer == "commodity"), key=lambda m: m.start)
    groups: list[set[str]] = []
    previous = None
    for m in mentions:
        between = a.tokens[previous.end : m.start] if previous is not None else None
        joined = (
            between is not None and 0 < len(between) <= 2 and all(t.strip() in LIST_JOINERS for t in between)
        )
        if joined and groups:
            groups[-1].add(m.key)
        else:
            groups.append({m.key})
        previous = m
    out = set(kept)
    for group in groups:
        if group & kept:
            out |= group
    return out


# Words that end a firm's name: "Lattice Semiconductor Corporation" names a company, not a technology.
_CORPORATE = frozenset(
    {
        "corporation",
        "corp",
        "inc",
        "co",
        "ltd",
        "limited",
        "company",
        "holdings",
        "plc",
        "llc",
        "technologies",
    }
)


def in_firm_name(a: Analysis, m: Any) -> bool:
    """A capitalised technology word followed by a corporate suffix is part of a company name
    (convention 3: a technology is never inferred from a company name)."""
    nxt = a.tokens[m.end].rstrip(".") if m.end < len(a.tokens) else ""
    return m.text[:1].isupper() and nxt in _CORPORATE


def _technology_mentions(a: Analysis) -> list[Any]:
    return [m for m in a.mentions if m.layer == "technology" and not in_firm_name(a, m)]


def technologies(a: Analysis, keep: Keep | None = None) -> list[str]:
    out: list[str] = []
    for m in _technology_mentions(a):
        if m.key not in out and (keep is None or keep("technology", m.key)):
            out.append(m.key)
    return most_specific_technologies(out)


def dates(a: Analysis) -> list[dict[str, str]]:
    """Dates named in the text, each marked 'effective' when an effect cue stands next to it, and placed
    past/same/future relative to the publication date when that is known."""
    return a.found_dates()
