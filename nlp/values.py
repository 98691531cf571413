"""The value head's candidates: which of the goods and technologies a document names the measure is
about. value_candidates gives each gazetteer commodity and technology its context features as strings
(training); value_rows computes the same rows on hashed indices in one pass over the mentions (tagging).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nlp.extract import in_firm_name
from nlp.features import Analysis
from nlp.hashing import TokenHashes, at, prefixed_hashes, rows_by_owner
from nlp.lexicon import commodity_key, singular_word


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
        if m.layer == "commodity" or (m.layer == "technology" and not in_firm_name(a, m)):
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
