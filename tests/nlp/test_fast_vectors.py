"""The tagger's vectorised role and value rows equal the per-candidate reference path (the one training
uses) on every labelled example: same candidates in the same order, same hashed indices, same values."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.data import load_dir
from nlp.features import Analysis, analyse
from nlp.roles import Candidate, candidates, role_rows, role_vector
from nlp.values import value_candidates, value_rows


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    examples = load_dir()[0]
    docs: list[tuple[str | None, ...]] = [
        (e.title, e.text, e.language, e.source_kind, None, e.published) for e in examples
    ]
    # The same texts as an official publisher's: the publisher candidate and prior features are exercised.
    docs += [(e.title, e.text, e.language, "official", "US", e.published) for e in examples[::7]]
    docs += [("", "", None, None, "CN", None), ("China", "", "en", "official", "XX", None)]
    return analyse(docs)


def _same(rows: list[tuple[np.ndarray, np.ndarray]], ref: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    return len(rows) == len(ref) and all(
        np.array_equal(i, j) and i.dtype == j.dtype and np.array_equal(v, w) and v.dtype == w.dtype
        for (i, v), (j, w) in zip(rows, ref, strict=True)
    )


def test_role_rows_equal_per_candidate_vectors(analyses: list[Analysis]) -> None:
    with_candidates = 0
    for a in analyses:
        ref = candidates(a)
        codes, rows = role_rows(a)
        assert codes == [c.code for c in ref]
        assert _same(rows, [role_vector(c) for c in ref]), a.title
        with_candidates += bool(ref)
    assert with_candidates > 100  # the comparison is not vacuous


def test_value_rows_equal_per_candidate_vectors(analyses: list[Analysis]) -> None:
    with_values = 0
    for a in analyses:
        ref = value_candidates(a)
        keys, rows = value_rows(a)
        assert keys == [(layer, key) for layer, key, _ in ref]
        assert _same(rows, [role_vector(Candidate("", f), prefix="value") for _, _, f in ref]), a.title
        with_values += bool(ref)
    assert with_values > 100
