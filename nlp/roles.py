"""Roles: which government imposes a measure and which countries it targets.

Every country mentioned (names, adjectives, capitals, institutions, companies → home country) and, for
official sources, the publisher's jurisdiction is a candidate. Each candidate gets context features from all
its mentions ("originating in", "imports from", "China's", "商务部", "原产于", the head of an enumeration
"the US, the EU, Japan and Taiwan" passes its context to the rest), and two trained logistic scorers say
how much it looks like the imposer and like a target.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from nlp.components import Mention
from nlp.features import Analysis, hashed

# Tokens that join items of an enumeration: "the US, the EU, Japan and Taiwan", "美国、欧盟、日本和台湾地区".
# Korean writes enumerations with a middle dot ("러시아·벨라루스", "한국ㆍ미국").
_LIST_GLUE = {
    ",",
    "，",
    "、",
    "and",
    "or",
    "the",
    "和",
    "及",
    "与",
    "以及",
    "・",
    "/",
    "&",
    "as",
    "well",
    "·",
    "ㆍ",
    "･",
}
_WINDOW = 4


@dataclass
class Candidate:
    code: str
    features: set[str] = field(default_factory=set)


def _context(tokens: list[str], m: Mention, prefix: str) -> list[str]:
    left = tokens[max(0, m.start - _WINDOW) : m.start]
    right = tokens[m.end : m.end + _WINDOW]
    feats = []
    for i, tok in enumerate(reversed(left), start=1):
        feats.append(f"{prefix}L{i}:{tok}")
        feats.append(f"{prefix}Lbag:{tok}")
    for i, tok in enumerate(right, start=1):
        feats.append(f"{prefix}R{i}:{tok}")
        feats.append(f"{prefix}Rbag:{tok}")
    if len(left) >= 2:
        feats.append(f"{prefix}L21:{left[-2]}_{left[-1]}")
    if len(left) >= 3:
        feats.append(f"{prefix}L321:{left[-3]}_{left[-2]}_{left[-1]}")
    if len(right) >= 2:
        feats.append(f"{prefix}R12:{right[0]}_{right[1]}")
    return feats


def _list_heads(tokens: list[str], mentions: list[Mention]) -> dict[int, Mention]:
    """Map each country mention to the first mention of the enumeration it belongs to."""
    heads: dict[int, Mention] = {}
    head: Mention | None = None
    prev: Mention | None = None
    for i, m in enumerate(mentions):
        if prev is not None and head is not None:
            gap = tokens[prev.end : m.start]
            if len(gap) <= 3 and all(t in _LIST_GLUE for t in gap):
                heads[i] = head
                prev = m
                continue
        head = m
        prev = m
    return heads


def _list_tails(mentions: list[Mention], heads: dict[int, Mention]) -> dict[int, Mention]:
    """Map every member of an enumeration (its head too) to its last mention: what follows the list
    ("..., Turkey and the UAE also had entities listed") speaks of every item, the first one included."""
    tails: dict[int, Mention] = {}
    start = 0
    for i in range(len(mentions)):
        if i + 1 < len(mentions) and heads.get(i + 1) is not None:
            continue  # the enumeration goes on
        if i > start:
            for j in range(start, i + 1):
                tails[j] = mentions[i]
        start = i + 1
    return tails


def candidates(a: Analysis) -> list[Candidate]:
    countries = [m for m in a.mentions if m.layer == "country"]
    by_code: dict[str, Candidate] = {}
    counts: dict[str, int] = defaultdict(int)
    heads = _list_heads(a.tokens, countries)
    tails = _list_tails(countries, heads)
    members: dict[int, list[Mention]] = defaultdict(list)
    for i, tail in tails.items():
        members[id(tail)].append(countries[i])
    order: list[str] = []
    for i, m in enumerate(countries):
        cand = by_code.get(m.key)
        if cand is None:
            cand = by_code[m.key] = Candidate(m.key)
            order.append(m.key)
        counts[m.key] += 1
        where = "title" if a.in_title(m) else "text"
        cand.features.update({f"kind:{m.kind}", f"kind_where:{m.kind}:{where}", f"where:{where}"})
        cand.features.update(_context(a.tokens, m, ""))
        if i in heads:
            cand.features.add("in_list")
            cand.features.update(_context(a.tokens, heads[i], "H"))
        if i in tails:
            cand.features.add("list_member")
            tail = tails[i]
            cand.features.update(f"T{f}" for f in _context(a.tokens, tail, "") if f.startswith("R"))
            # Items of one enumeration share one role: each sees the word bags around all the others.
            for other in members.get(id(tail), []):
                if other is not m:
                    cand.features.update(f"M{f}" for f in _context(a.tokens, other, "") if "bag:" in f)
        if m.kind == "adj":
            nxt = a.tokens[m.end] if m.end < len(a.tokens) else ""
            cand.features.add(f"adj_next:{nxt}")
    for rank, code in enumerate(order):
        by_code[code].features.add(f"rank:{min(rank, 3)}")
        by_code[code].features.add(f"count:{min(counts[code], 4)}")
        if rank == 0:
            first = next(m for m in countries if m.key == code)
            by_code[code].features.add(f"first_kind:{first.kind}")
    juris = a.jurisdiction if a.jurisdiction and a.jurisdiction not in ("XX", "") else None
    if juris:
        cand = by_code.get(juris)
        if cand is None:
            cand = by_code[juris] = Candidate(juris, {"not_mentioned"})
        cand.features.add(f"publisher:{a.source_kind or 'unknown'}")
    shared = {f"lang:{a.lang}", f"source:{a.source_kind or 'unknown'}", f"n_cands:{min(len(by_code), 4)}"}
    for cand in by_code.values():
        cand.features |= shared
    return list(by_code.values())


def role_vector(cand: Candidate, prefix: str = "role") -> tuple[np.ndarray, np.ndarray]:
    """Hashed binary features of a candidate, L2-normalised (same space as the document features)."""
    idx = hashed([f"{prefix}:{f}" for f in cand.features])
    return idx, np.full(len(idx), 1.0 / np.sqrt(max(len(idx), 1)), dtype=np.float32)
