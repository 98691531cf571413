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

import numpy as np

from db.taxonomy import most_specific_technologies
from nlp.cjk_products import (
    LIST_JOINERS,
    outside_slots,
    refined_name,
    slot_scan,
    text_offsets,
)
from nlp.features import Analysis, TokenHashes, at, prefixed_hashes, rows_by_owner
from nlp.lexicon import (
    commodity_key,
    hs_code,
    load_lexicon,
    normalise_commodity,
    singular_word,
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


def _in_firm_name(a: Analysis, m: Any) -> bool:
    """A capitalised technology word followed by a corporate suffix is part of a company name
    (convention 3: a technology is never inferred from a company name)."""
    nxt = a.tokens[m.end].rstrip(".") if m.end < len(a.tokens) else ""
    return m.text[:1].isupper() and nxt in _CORPORATE


def _technology_mentions(a: Analysis) -> list[Any]:
    return [m for m in a.mentions if m.layer == "technology" and not _in_firm_name(a, m)]


def technologies(a: Analysis, keep: Keep | None = None) -> list[str]:
    out: list[str] = []
    for m in _technology_mentions(a):
        if m.key not in out and (keep is None or keep("technology", m.key)):
            out.append(m.key)
    return most_specific_technologies(out)


def _value_cues(a: Analysis) -> set[str]:
    """The document's measure cue categories as value features. Stage cues are left out: whether a good
    or technology is the measure's object does not depend on when the measure applies, and with them the
    few CJK examples per value taught the head stage words instead."""
    return {f"cue:{c.key}" for c in a.cues if not c.key.startswith("stage_")}


def _key_words(name: str) -> tuple[str, ...]:
    return tuple(singular_word(w) for w in commodity_key(name).split())


def names_gold_commodity(key: str, gold: set[str], lang: str | None = None) -> bool:
    """Training label of a gazetteer commodity for the value head: the labels name it, compared as
    evaluation compares (commodity_key: "citrus fruits" is "citrus fruit"). In Chinese, Japanese and Korean
    also when the labels name it more narrowly ("steel" inside "galvanized steel sheet", "machine tools"
    inside "machine tool parts"): there a kept mention takes the narrower name of the words around it
    (refined_name, the product slots), so it is the measure's object, not background. English has no such
    renaming of a gazetteer hit, so there a narrower label keeps the hit a negative."""
    words = _key_words(key)
    n = len(words)
    narrower = lang in ("zh", "ja", "ko")
    for name in gold:
        other = _key_words(name)
        if other == words or (narrower and any(other[i : i + n] == words for i in range(len(other) - n + 1))):
            return True
    return False


def value_candidates(a: Analysis) -> list[tuple[str, str, set[str]]]:
    """Gazetteer commodities and technologies with context features, for the head that decides which
    of the named goods and technologies the measure is about (a background mention is not)."""
    cues = _value_cues(a)
    grouped: dict[tuple[str, str], list[Any]] = {}
    for m in a.mentions:
        if m.layer == "commodity" or (m.layer == "technology" and not _in_firm_name(a, m)):
            grouped.setdefault((m.layer, m.key), []).append(m)
    out = []
    for (layer, key), mentions in grouped.items():
        feats = {
            f"layer:{layer}",
            f"key:{key}",
            f"count:{min(len(mentions), 3)}",
            f"lang:{a.lang}",
            f"n_vals:{min(len(grouped), 4)}",
            *cues,
        }
        feats |= {f"co:{k}" for (lay, k) in grouped if lay == layer and k != key}
        for m in mentions:
            feats.add(f"alias:{m.text.lower()}")
            if a.in_title(m):
                feats.add("in_title")
            left, right = a.tokens[max(0, m.start - 3) : m.start], a.tokens[m.end : m.end + 3]
            feats |= {f"Lbag:{t}" for t in left} | {f"Rbag:{t}" for t in right}
            if left:
                feats.add(f"L1:{left[-1]}")
            if right:
                feats.add(f"R1:{right[0]}")
        out.append((layer, key, feats))
    return out


_VALUE = prefixed_hashes("value:")
_VALUE_CONTEXT = TokenHashes(["value:L1:", "value:Lbag:", "value:R1:", "value:Rbag:"])
_VALUE_STEPS = np.arange(1, 4)


def value_rows(a: Analysis) -> tuple[list[tuple[str, str]], list[tuple[np.ndarray, np.ndarray]]]:
    """(layer, key) in value_candidates(a)'s order and the role_vector(..., prefix="value") row of each,
    computed on hashed indices: the document's cue features are hashed once for all candidates and the
    token context of every mention is gathered from per-token rows."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for m in a.mentions:
        if m.layer in ("commodity", "technology"):
            grouped.setdefault((m.layer, m.key), []).append(m)
    if not grouped:
        return [], []
    cands = list(grouped)
    n = len(cands)
    cue_hashes = np.fromiter(map(_VALUE.__getitem__, _value_cues(a)), dtype=np.int64, count=-1)
    co = {(layer, key): _VALUE[f"co:{key}"] for layer, key in cands}
    names: list[int] = []  # hashed indices of the candidate's own features
    owner_of_name: list[int] = []
    starts, ends, owners = [], [], []
    for o, ((layer, key), mentions) in enumerate(grouped.items()):
        own = [
            _VALUE[f"layer:{layer}"],
            _VALUE[f"key:{key}"],
            _VALUE[f"count:{min(len(mentions), 3)}"],
            _VALUE[f"lang:{a.lang}"],
            _VALUE[f"n_vals:{min(n, 4)}"],
        ]
        own += [h for (lay, k), h in co.items() if lay == layer and k != key]
        for m in mentions:
            own.append(_VALUE[f"alias:{m.text.lower()}"])
            if m.start_char < a.title_chars:
                own.append(_VALUE["in_title"])
            starts.append(m.start)
            ends.append(m.end)
            owners.append(o)
        names += own
        owner_of_name += [o] * len(own)
    ctx_owner, ctx_hash = _value_context(a.tokens, np.array(starts), np.array(ends), np.array(owners))
    all_owner = np.concatenate(
        [np.array(owner_of_name, dtype=np.int64), np.repeat(np.arange(n), len(cue_hashes)), ctx_owner]
    )
    all_hash = np.concatenate([np.array(names, dtype=np.int64), np.tile(cue_hashes, n), ctx_hash])
    return cands, rows_by_owner(all_owner, all_hash, n)


def _value_context(
    tokens: list[str], starts: np.ndarray, ends: np.ndarray, owners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hashed index) of Lbag/Rbag over 3 tokens each side and L1/R1 for each mention."""
    shape = (len(starts), len(_VALUE_STEPS))
    left = starts[:, None] - _VALUE_STEPS
    right = ends[:, None] + _VALUE_STEPS - 1
    lmask, rmask = left >= 0, right < len(tokens)
    own = np.broadcast_to(owners[:, None], shape)
    ids = _VALUE_CONTEXT.ids(at(tokens, np.concatenate([left[lmask], right[rmask]])))
    table = _VALUE_CONTEXT.table
    nl = int(lmask.sum())
    lid, rid = ids[:nl], ids[nl:]
    first_l = (left == starts[:, None] - 1)[lmask]  # the L1 token of each mention
    first_r = (right == ends[:, None])[rmask]
    hashes = np.concatenate([table[lid, 1], table[rid, 3], table[lid[first_l], 0], table[rid[first_r], 2]])
    owner = np.concatenate([own[lmask], own[rmask], own[lmask][first_l], own[rmask][first_r]])
    return owner, hashes


def dates(a: Analysis) -> list[dict[str, str]]:
    """Dates named in the text, each marked 'effective' when an effect cue stands next to it, and placed
    past/same/future relative to the publication date when that is known."""
    return a.found_dates()
