"""Roles: which government imposes a measure and which countries it targets.

Every country mentioned (names, adjectives, capitals, institutions, companies → home country) and, for
official sources, the publisher's jurisdiction is a candidate. Each candidate gets context features from all
its mentions ("originating in", "imports from", "China's", "商务部", "原产于", the head of an enumeration
"the US, the EU, Japan and Taiwan" passes its context to the rest), and two trained logistic scorers say
how much it looks like the imposer and like a target.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from nlp.components import Mention
from nlp.features import Analysis
from nlp.hashing import JoinedHashes, TokenHashes, at, hashed, prefixed_hashes, rows_by_owner

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


# Words before a bare "Commission" that still leave it the European Commission.
_EU_COMMISSION_LEFT = frozenset({"the", "european", "eu", "a", "this"})
_WORD_BEFORE = re.compile(r"([A-Za-z][\w\-]*) +$")


def _names_other_body(a: Analysis, m: Mention) -> bool:
    """A bare "Commission" right after a capitalised word is the end of another body's name (China's
    Cyberspace Affairs Commission, the International Trade Commission, Korea Trade Commission), not the
    European Commission the alias stands for."""
    if m.kind != "inst" or m.text.lower() != "commission":
        return False
    left = _WORD_BEFORE.search(a.joined, max(0, m.start_char - 40), m.start_char)  # tokens are lowercased
    return left is not None and left[1][:1].isupper() and left[1].lower() not in _EU_COMMISSION_LEFT


def country_mentions(a: Analysis) -> list[Mention]:
    """The country mentions that are role candidates (both candidates() and role_rows() read these)."""
    return [m for m in a.mentions if m.layer == "country" and not _names_other_body(a, m)]


def decode_roles(
    codes: list[str], probs: np.ndarray, bonus: np.ndarray, threshold: float = 0.5
) -> tuple[str, list[str]]:
    """Imposer and targets from the head's (P(imposing), P(target)) per candidate; `bonus` is added to the
    imposing logit (the publisher prior). The imposer is the candidate most likely to impose *and not be
    a target*: P(imposing) x (1 - P(target)). A country the target head is sure of ("cast iron soil pipe
    imported from China") loses a near-tie for imposer to one it is not; the imposer is never a target.
    (bench/role_decoding.py, 5-fold CV on our training data: imposing 0.911 with P(imposing) alone -> 0.917.)"""
    p_imp = np.clip(probs[:, 0], 1e-6, 1 - 1e-6)
    imp_logit = np.log(p_imp) - np.log(1 - p_imp) + bonus
    score = -np.logaddexp(0.0, -imp_logit) + np.log(np.clip(1 - probs[:, 1], 1e-6, 1))
    imposing = codes[int(np.argmax(score))]
    targets = [c for c, p in zip(codes, probs[:, 1], strict=True) if p >= threshold and c != imposing]
    return imposing, targets


def candidates(a: Analysis) -> list[Candidate]:
    countries = country_mentions(a)
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


# The fast path: role_rows(a) == [role_vector(c) for c in candidates(a)], computed on hashed indices. The
# unigram context features of all mentions are gathered from per-token rows in a few numpy operations, and
# no feature string is built twice; candidates()/role_vector() stay the reference (and training) path.
_ROLE = prefixed_hashes("role:")
_SIDES = ("L1", "L2", "L3", "L4", "Lbag", "R1", "R2", "R3", "R4", "Rbag")
_CONTEXT = TokenHashes([f"role:{p}{side}:" for p in ("", "H") for side in _SIDES])
_STEPS = np.arange(1, _WINDOW + 1)


def _unigram_context(
    tokens: list[str], starts: np.ndarray, ends: np.ndarray, owners: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hashed index) of the L1..L4/Lbag/R1..R4/Rbag features _context builds for each mention;
    `cols` is the first template column of the mention's prefix ("" → 0, "H" → 10)."""
    shape = (len(starts), _WINDOW)
    left = starts[:, None] - _STEPS  # start-1 .. start-4
    right = ends[:, None] + _STEPS - 1  # end .. end+3
    lmask, rmask = left >= 0, right < len(tokens)
    steps = np.broadcast_to(_STEPS, shape)
    own, col = np.broadcast_to(owners[:, None], shape), np.broadcast_to(cols[:, None], shape)
    ids = _CONTEXT.ids(at(tokens, np.concatenate([left[lmask], right[rmask]])))
    table = _CONTEXT.table  # read after ids(): new tokens may have grown it
    nl = int(lmask.sum())
    lid, rid = ids[:nl], ids[nl:]
    lcol, rcol = col[lmask], col[rmask]
    hashes = np.concatenate(
        [
            table[lid, lcol + steps[lmask] - 1],  # L{i}
            table[lid, lcol + 4],  # Lbag
            table[rid, rcol + 4 + steps[rmask]],  # R{i}
            table[rid, rcol + 9],  # Rbag
        ]
    )
    return np.concatenate([own[lmask], own[lmask], own[rmask], own[rmask]]), hashes


_NGRAMS = {
    prefix: tuple(JoinedHashes(f"role:{prefix}{side}:", "_") for side in ("L21", "L321", "R12"))
    for prefix in ("", "H")
}


def _ngram_context(tokens: list[str], start: int, end: int, prefix: str) -> list[int]:
    """Hashed indices of the L21 / L321 / R12 features _context builds, no feature string built."""
    l21, l321, r12 = _NGRAMS[prefix]
    found = []
    if start >= 2:
        found.append(l21[(tokens[start - 2], tokens[start - 1])])
    if start >= 3:
        found.append(l321[(tokens[start - 3], tokens[start - 2], tokens[start - 1])])
    if end + 2 <= len(tokens):
        found.append(r12[(tokens[end], tokens[end + 1])])
    return found


@functools.lru_cache(maxsize=64)
def _mention_names(kind: str, in_title: bool) -> list[str]:
    where = "title" if in_title else "text"
    return [f"kind:{kind}", f"kind_where:{kind}:{where}", f"where:{where}"]


def role_rows(a: Analysis) -> tuple[list[str], list[tuple[np.ndarray, np.ndarray]]]:
    """Candidate codes in candidates(a)'s order and their role_vector rows."""
    countries = country_mentions(a)
    tokens = a.tokens
    owner_of: dict[str, int] = {}
    counts: list[int] = []
    names: list[str] = []  # the features with few distinct values, hashed through the cache
    name_owner: list[int] = []
    gram_hash: list[int] = []  # n-gram context features, hashed as they are found
    gram_owner: list[int] = []
    heads = _list_heads(tokens, countries)
    tails = _list_tails(countries, heads)
    members: dict[int, list[Mention]] = defaultdict(list)
    for i, tail in tails.items():
        members[id(tail)].append(countries[i])
    starts, ends, owners, cols = [], [], [], []
    seen: dict[tuple[int, str], list[str]] = {}

    def member_feats(mention: Mention, kind: str) -> list[str]:
        """The "T" (right context of the list's last item) or "M" (word bags of another item) features
        of a mention: in a list of k items each is asked for k times."""
        key = (id(mention), kind)
        found = seen.get(key)
        if found is None:
            context = seen.get((id(mention), ""))
            if context is None:
                context = seen[(id(mention), "")] = _context(tokens, mention, "")
            if kind == "T":
                found = seen[key] = [f"T{f}" for f in context if f.startswith("R")]
            else:
                found = seen[key] = [f"M{f}" for f in context if "bag:" in f]
        return found

    for i, m in enumerate(countries):
        o = owner_of.get(m.key)
        if o is None:
            o = owner_of[m.key] = len(counts)
            counts.append(0)
        counts[o] += 1
        feats = list(_mention_names(m.kind, m.start_char < a.title_chars))
        grams = _ngram_context(tokens, m.start, m.end, "")
        starts.append(m.start)
        ends.append(m.end)
        owners.append(o)
        cols.append(0)
        head = heads.get(i)
        if head is not None:
            feats.append("in_list")
            starts.append(head.start)
            ends.append(head.end)
            owners.append(o)
            cols.append(10)
            grams += _ngram_context(tokens, head.start, head.end, "H")
        last = tails.get(i)
        if last is not None:  # enumeration members: built as strings like candidates(), each context once
            feats.append("list_member")
            feats += member_feats(last, "T")
            for other in members[id(last)]:
                if other is not m:
                    feats += member_feats(other, "M")
        if m.kind == "adj":
            feats.append(f"adj_next:{tokens[m.end] if m.end < len(tokens) else ''}")
        names += feats
        name_owner += [o] * len(feats)
        gram_hash += grams
        gram_owner += [o] * len(grams)
    for o, count in enumerate(counts):
        names += [f"rank:{min(o, 3)}", f"count:{min(count, 4)}"]
        name_owner += [o, o]
    if countries:
        names.append(f"first_kind:{countries[0].kind}")
        name_owner.append(0)
    codes = list(owner_of)
    juris = a.jurisdiction if a.jurisdiction and a.jurisdiction not in ("XX", "") else None
    if juris:
        o = owner_of.get(juris)
        if o is None:
            o = len(codes)
            codes.append(juris)
            names.append("not_mentioned")
            name_owner.append(o)
        names.append(f"publisher:{a.source_kind or 'unknown'}")
        name_owner.append(o)
    if not codes:
        return [], []
    for shared in (f"lang:{a.lang}", f"source:{a.source_kind or 'unknown'}", f"n_cands:{min(len(codes), 4)}"):
        names += [shared] * len(codes)
        name_owner += range(len(codes))
    ctx_owner, ctx_hash = _unigram_context(
        tokens,
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(owners, dtype=np.int64),
        np.array(cols, dtype=np.int64),
    )
    name_hash = np.fromiter(map(_ROLE.__getitem__, names), dtype=np.int64, count=len(names))
    all_owner = np.concatenate([np.array(name_owner + gram_owner, dtype=np.int64), ctx_owner])
    all_hash = np.concatenate([name_hash, np.array(gram_hash, dtype=np.int64), ctx_hash])
    return codes, rows_by_owner(all_owner, all_hash, len(codes))
