"""sparse_vector hashes the n-grams through per-prefix caches instead of building every feature string:
its indices and values must equal hashing set(feature_names(a)) (the reference) on every labelled example,
on notice-length texts and on texts whose lowercase form changes length or depends on what follows."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from nlp.data import load_dir
from nlp.features import (
    DATE_FEATURE_WEIGHT,
    STAGE_CUE_WEIGHT,
    Analysis,
    _lower_head,
    analyse,
    feature_names,
    sparse_vector,
)
from nlp.hashing import HASH_DIM, sorted_unique


def _crc(names: set[str]) -> np.ndarray:
    return np.unique(
        np.array([zlib.crc32(n.encode("utf-8")) & (HASH_DIM - 1) for n in names], dtype=np.int64)
    )


def _reference(a: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """The hashing spelled out: CRC-32 of each distinct feature name, stage-cue then date features weighted up."""
    names = set(feature_names(a))
    idx = _crc(names)
    vals = np.ones(len(idx), dtype=np.float32)
    staged = {name for name in names if name.startswith("cue:stage_")}
    if staged:
        vals[np.searchsorted(idx, _crc(staged))] = STAGE_CUE_WEIGHT
    dated = {name for name in names if name.startswith("date:")}
    if dated:
        vals[np.searchsorted(idx, _crc(dated))] = DATE_FEATURE_WEIGHT
    norm = float(np.sqrt((vals**2).sum())) or 1.0
    return idx, vals / norm


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    examples = load_dir()[0]
    docs: list[tuple[str | None, ...]] = [
        (e.title, e.text, e.language, e.source_kind, None, e.published) for e in examples
    ]
    english = [e.text for e in examples if e.language == "en"][:80]
    docs.append(("Notice", "\n\n".join(english), "en", "official", "US", "2024-05-01"))
    # Lowercasing that changes length (İ) or looks ahead (Σ) right at the n-gram cut.
    for odd in ("İ", "Σ", "ΑΣ"):
        docs.append((odd, "x" * 5_990 + f" ab{odd}CD ef gh", "en", None, None, None))
        docs.append(("Başlık", f"İthalat {odd} vergisi " * 400, "tr", "news", "TR", "2024-05-01"))
    docs.append(("", "", None, None, None, None))
    return analyse(docs)


def test_sparse_vector_equals_reference(analyses: list[Analysis]) -> None:
    dated = staged = 0
    for a in analyses:
        idx, vals = sparse_vector(a)
        ref_idx, ref_vals = _reference(a)
        assert idx.dtype == ref_idx.dtype and vals.dtype == ref_vals.dtype
        assert np.array_equal(idx, ref_idx) and np.array_equal(vals, ref_vals), a.title
        dated += bool((vals > vals.min()).any())
        staged += any(c.key.startswith("stage_") for c in a.cues)
    assert dated > 20  # date features (weighted up) were part of the comparison
    assert staged > 20  # and stage cues (weighted up)


@pytest.mark.parametrize("text", ["abc", "İstanbul" * 3, "ΑΣ ΑΣΑ", "x" * 9 + "Σa", "", "Straße"])
def test_lower_head(text: str) -> None:
    for limit in range(len(text) + 2):
        assert _lower_head(text, limit) == text.lower()[:limit]


def test_sorted_unique_equals_numpy_unique() -> None:
    rng = np.random.default_rng(4)
    for size in (0, 1, 2, 3, 50, 4000):
        for high in (2, 1 << 17, 1 << 40):
            values = rng.integers(0, high, size, dtype=np.int64)
            got, want = sorted_unique(values), np.unique(values)
            assert got.dtype == want.dtype and np.array_equal(got, want)
