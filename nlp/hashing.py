"""Hashed feature indices: feature strings, n-grams and per-token context rows mapped into one fixed
space of HASH_DIM columns by CRC32, so the trained heads need no vocabulary file. Every cache hashes each
distinct string once per process and starts over past a size bound.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Sequence
from operator import itemgetter

import numpy as np

HASH_BITS = 17
HASH_DIM = 1 << HASH_BITS


class HashCache(dict[str, int]):
    """Feature string -> hashed index of `prefix + feature`. Strings repeat across documents (n-grams, role
    features), so each is hashed once per process, and a hit is a plain dict subscript:
    `map(cache.__getitem__, names)` runs without a Python call per feature. The prefix ("role:", "value:")
    enters as the CRC's starting value (crc32(b, crc32(a)) == crc32(a + b)), so prefixed strings are never
    built. Starts over past _HASH_CACHE_MAX entries (~100 MB of strings)."""

    def __init__(self, prefix: str = "") -> None:
        super().__init__()
        self.seed = zlib.crc32(prefix.encode("utf-8"))

    def __missing__(self, feature: str) -> int:
        if len(self) >= _HASH_CACHE_MAX:
            self.clear()
        value = self[feature] = zlib.crc32(feature.encode("utf-8"), self.seed) & (HASH_DIM - 1)
        return value


_HASH_CACHE_MAX = 1 << 20
HASHES = HashCache()


def hashed(names: Collection[str], cache: HashCache = HASHES) -> np.ndarray:
    """Sorted distinct hashed indices of the feature names (each behind the cache's prefix)."""
    return sorted_unique(np.fromiter(map(cache.__getitem__, names), dtype=np.int64, count=len(names)))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) for a 1-d integer array: one sort and a mask (numpy 2's hash-based unique took
    ~4x longer on a notice's few thousand feature indices)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def prefixed_hashes(prefix: str) -> HashCache:
    """The shared cache for features hashed as `prefix + name` (one per prefix per process)."""
    cache = _PREFIXED.get(prefix)
    if cache is None:
        cache = _PREFIXED[prefix] = HashCache(prefix)
    return cache


_PREFIXED: dict[str, HashCache] = {"": HASHES}


class TokenHashes:
    """Token -> row of hashed indices of `template + token` for a fixed list of templates ("role:L1:",
    "role:Rbag:", ...): the context features of every mention become numpy gathers over the document's
    token rows instead of one formatted string per feature. Rows are computed once per distinct token."""

    _MAX = 1 << 18  # distinct tokens kept before starting over

    def __init__(self, templates: Sequence[str]) -> None:
        self.templates = list(templates)
        self._seeds = [zlib.crc32(t.encode("utf-8")) for t in self.templates]
        self._ids: dict[str, int] = {}
        self._rows = np.zeros((1024, len(self.templates)), dtype=np.int64)

    def _new(self, token: str) -> int:
        i = len(self._ids)
        if i == len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        raw = token.encode("utf-8")
        self._rows[i] = [zlib.crc32(raw, seed) & (HASH_DIM - 1) for seed in self._seeds]
        self._ids[token] = i
        return i

    def ids(self, tokens: Sequence[str]) -> np.ndarray:
        """Row numbers of the tokens in `table` (valid until the next call)."""
        if len(self._ids) + len(tokens) > self._MAX:
            self._ids.clear()  # only between calls: the ids handed out below stay valid for this one
        known = self._ids
        found = list(map(known.get, tokens))  # C speed for known tokens; new ones are added below
        if None in found:
            found = [
                i if i is not None else known[t] if t in known else self._new(t)
                for t, i in zip(tokens, found, strict=True)
            ]
        return np.fromiter(found, dtype=np.int64, count=len(found))

    @property
    def table(self) -> np.ndarray:
        """(distinct tokens, templates): row i, column j is the hashed index of templates[j] + token i."""
        return self._rows


def at(tokens: Sequence[str], positions: np.ndarray) -> list[str]:
    """tokens[p] for each position, without a Python loop."""
    if len(positions) == 0:
        return []
    if len(positions) == 1:
        return [tokens[int(positions[0])]]
    return list(itemgetter(*positions.tolist())(tokens))


def rows_by_owner(owners: np.ndarray, hashes: np.ndarray, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per owner 0..n-1, its sorted distinct hashed indices with the L2-normalised binary value (as
    role_vector gives them), from one sort of all (owner, index) pairs."""
    keys = sorted_unique(owners.astype(np.int64) * HASH_DIM + hashes)
    bounds = np.searchsorted(keys, np.arange(n + 1, dtype=np.int64) * HASH_DIM).tolist()
    counts = np.diff(bounds)
    # 1 / sqrt(count) in float64, then float32: what np.full(count, 1.0 / np.sqrt(count)) stores.
    vals = np.repeat((1.0 / np.sqrt(np.maximum(counts, 1).astype(np.float64))).astype(np.float32), counts)
    idx = keys & (HASH_DIM - 1)  # owner * HASH_DIM + index, index < HASH_DIM
    rows = [(idx[bounds[i] : bounds[i + 1]], vals[bounds[i] : bounds[i + 1]]) for i in range(n)]
    return rows


class JoinedHashes(dict[tuple[str, ...], int]):
    """(x, y, ...) -> hashed index of `prefix + joiner.join((x, y, ...))`: n-grams hashed without building
    their strings on a hit (a tuple of strings hashes from their cached hashes)."""

    def __init__(self, prefix: str, joiner: str) -> None:
        super().__init__()
        self.seed = zlib.crc32(prefix.encode("utf-8"))
        self.joiner = joiner

    def __missing__(self, gram: tuple[str, ...]) -> int:
        if len(self) >= _HASH_CACHE_MAX:
            self.clear()
        value = self[gram] = zlib.crc32(self.joiner.join(gram).encode("utf-8"), self.seed) & (HASH_DIM - 1)
        return value
