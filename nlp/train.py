"""`cwatch train`: rebuild the shipped heads from nlp/data/train (+ human labels from the store).

Deterministic: fixed file order, sorted ids, liblinear/lbfgs solvers with a fixed seed, no sampling.
The encoder stays frozen; only the linear heads are fitted (seconds on 2 cores, the encoder pass dominates).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse as sp

from nlp.data import EVENT_TYPES, STAGES, Example
from nlp.encoder import SentenceEncoder
from nlp.features import Analysis, analyse, encoder_text, sparse_vectors
from nlp.hashing import HASH_DIM
from nlp.lexicon import normalise_country, normalise_technology
from nlp.model import DIRECTION_HEAD, ROLE_HEAD, STAGE_HEAD, TYPE_HEAD, VALUE_HEAD, Heads, LinearHead
from nlp.roles import Candidate, candidates, role_vector
from nlp.values import names_gold_commodity, value_candidates

Progress = Callable[[str, int], None]  # (step description, units done)

# Chosen on our held-out split (C in 1..64, dense weight 0.25..2), never on the dev set.
DEFAULTS = {"dense_weight": 0.5, "sparse_weight": 1.0, "C": 64.0, "role_C": 2.0}


@dataclass
class Prepared:
    examples: list[Example]
    analyses: list[Analysis]
    emb: np.ndarray
    encoder: str = "minilm"  # the encoder kind behind `emb`, recorded in the heads' meta

    def subset(self, idx: Sequence[int]) -> Prepared:
        """The rows `idx` (in that order): lets one encoder pass serve several fits."""
        rows = list(idx)
        return Prepared(
            [self.examples[i] for i in rows], [self.analyses[i] for i in rows], self.emb[rows], self.encoder
        )


def analyse_examples(examples: Sequence[Example]) -> tuple[list[Example], list[Analysis]]:
    """Examples sorted by id (training is deterministic in file order) and their gazetteer analyses."""
    ordered = sorted(examples, key=lambda e: e.id)
    analyses = analyse(
        [(e.title, e.text, e.language, e.source_kind, e.source_jurisdiction, e.published) for e in ordered]
    )
    return ordered, analyses


def embed(
    analyses: Sequence[Analysis], encoder: SentenceEncoder, progress: Progress | None = None
) -> np.ndarray:
    texts = [encoder_text(a) for a in analyses]
    chunks = []
    for start in range(0, len(texts), 128):
        chunks.append(encoder.encode(texts[start : start + 128]))
        if progress:
            progress("encoding", min(128, len(texts) - start))
    return np.vstack(chunks) if chunks else np.zeros((0, encoder.dim), dtype=np.float32)


def prepare(
    examples: Sequence[Example], encoder: SentenceEncoder, progress: Progress | None = None
) -> Prepared:
    ordered, analyses = analyse_examples(examples)
    return Prepared(ordered, analyses, embed(analyses, encoder, progress), encoder.kind)


def _design(
    rows: list[tuple[np.ndarray, np.ndarray]], dense: np.ndarray | None, sw: float, dw: float
) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(i) for i, _ in rows)])
    indices = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    data = np.concatenate([v for _, v in rows]) * sw if rows else np.zeros(0, dtype=np.float32)
    sparse_part = sp.csr_matrix((data, indices, indptr), shape=(len(rows), HASH_DIM))
    if dense is None or dense.shape[1] == 0:  # sparse-only heads (encoder `none`)
        return sparse_part
    return sp.hstack([sp.csr_matrix(dense * dw), sparse_part], format="csr")


def _binary(x: sp.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():  # one class only: a constant scorer
        return np.zeros(x.shape[1], dtype=np.float32), (8.0 if y[0] else -8.0)
    clf = LogisticRegression(C=c, solver="liblinear", random_state=0, class_weight="balanced", max_iter=2000)
    clf.fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def _split_head(
    labels: list[str],
    coefs: list[np.ndarray],
    biases: list[float],
    dense_dim: int | None,
    softmax: bool = False,
) -> LinearHead:
    w = np.vstack(coefs)
    dense = w[:, :dense_dim] if dense_dim else None
    return LinearHead(labels, dense, w[:, dense_dim or 0 :], np.asarray(biases, dtype=np.float32), softmax)


def fit(prep: Prepared, params: dict | None = None, progress: Progress | None = None) -> Heads:
    p = {**DEFAULTS, **(params or {})}
    sw, dw, c = float(p["sparse_weight"]), float(p["dense_weight"]), float(p["C"])
    both = [sparse_vectors(a) for a in prep.analyses]
    x = _design([r for r, _ in both], prep.emb, sw, dw)
    x_stage = _design([r for _, r in both], prep.emb, sw, dw)
    dim = prep.emb.shape[1]
    heads: dict[str, LinearHead] = {}

    type_labels = [*EVENT_TYPES, "relevant"]
    coefs, biases = [], []
    for label in type_labels:
        if label == "relevant":
            y = np.array([e.is_measure for e in prep.examples], dtype=int)
        else:
            y = np.array([label in e.event_types for e in prep.examples], dtype=int)
        w, b = _binary(x, y, c)
        coefs.append(w)
        biases.append(b)
        if progress:
            progress(f"head {label}", 0)
    heads[TYPE_HEAD] = _split_head(type_labels, coefs, biases, dim)

    measures = [i for i, e in enumerate(prep.examples) if e.is_measure]
    with_dir = [i for i in measures if prep.examples[i].direction]
    y = np.array([prep.examples[i].direction == "liberalizing" for i in with_dir], dtype=int)
    w, b = _binary(x[with_dir], y, c) if with_dir else (np.zeros(x.shape[1], np.float32), -8.0)
    heads[DIRECTION_HEAD] = _split_head(["liberalizing"], [w], [b], dim)

    with_stage = [i for i in measures if prep.examples[i].stage]
    heads[STAGE_HEAD] = _fit_stage(x_stage, prep, with_stage, c, dim)

    heads[ROLE_HEAD] = _fit_roles(prep, measures, float(p["role_C"]))
    heads[VALUE_HEAD] = _fit_values(prep, measures, float(p["role_C"]))
    if progress:
        progress("heads", 0)
    meta = {
        "name": "cwatch-lr",
        "hash_dim": HASH_DIM,
        "dense_weight": dw,
        "sparse_weight": sw,
        "params": p,
        "n_examples": len(prep.examples),
        "encoder": prep.encoder,
        "encoder_dim": dim,
    }
    return Heads(heads, meta, "unsaved")


def _fit_stage(x: sp.csr_matrix, prep: Prepared, idx: list[int], c: float, dim: int) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    y = np.array([STAGES.index(prep.examples[i].stage or "in_force") for i in idx])
    present = sorted(set(y.tolist()))
    coef = np.full((len(STAGES), x.shape[1]), 0.0, dtype=np.float32)
    bias = np.full(len(STAGES), -8.0, dtype=np.float32)
    if len(present) == 1:
        bias[present[0]] = 8.0
    elif present:
        clf = LogisticRegression(C=c, solver="lbfgs", max_iter=3000, class_weight="balanced")
        clf.fit(x[idx], y)
        if len(present) == 2:  # sklearn returns one row for two classes
            coef[present[0]], coef[present[1]] = -clf.coef_[0] / 2, clf.coef_[0] / 2
            bias[present[0]], bias[present[1]] = -clf.intercept_[0] / 2, clf.intercept_[0] / 2
        else:
            for row, cls in enumerate(clf.classes_):
                coef[cls], bias[cls] = clf.coef_[row], clf.intercept_[row]
    return LinearHead(list(STAGES), coef[:, :dim] if dim else None, coef[:, dim:], bias, softmax=True)


def value_vector(feats: set[str]) -> tuple[np.ndarray, np.ndarray]:
    return role_vector(Candidate("", feats), prefix="value")


def _fit_roles(prep: Prepared, measures: list[int], c: float) -> LinearHead:
    rows, y_imp, y_tgt = [], [], []
    for i in measures:
        e = prep.examples[i]
        gold_imp = normalise_country(e.imposing)
        gold_tgt = {normalise_country(t) for t in e.targets}
        for cand in candidates(prep.analyses[i]):
            rows.append(role_vector(cand))
            y_imp.append(int(cand.code == gold_imp))
            y_tgt.append(int(cand.code in gold_tgt))
    if not rows:
        return LinearHead(
            ["imposing", "target"], None, np.zeros((2, HASH_DIM), np.float32), np.array([0.0, -8.0])
        )
    x = _design(rows, None, 1.0, 1.0)
    w1, b1 = _binary(x, np.array(y_imp), c)
    w2, b2 = _binary(x, np.array(y_tgt), c)
    return LinearHead(["imposing", "target"], None, np.vstack([w1, w2]), np.array([b1, b2], dtype=np.float32))


def _fit_values(prep: Prepared, measures: list[int], c: float) -> LinearHead:
    rows, y = [], []
    for i in measures:
        e = prep.examples[i]
        goods, lang = set(e.commodities), prep.analyses[i].lang
        techs = {normalise_technology(v) for v in e.technologies}
        for layer, key, feats in value_candidates(prep.analyses[i]):
            rows.append(value_vector(feats))
            named = names_gold_commodity(key, goods, lang) if layer == "commodity" else key in techs
            y.append(int(named))
    if not rows:
        return LinearHead(["keep"], None, np.zeros((1, HASH_DIM), np.float32), np.array([8.0], np.float32))
    w, b = _binary(_design(rows, None, 1.0, 1.0), np.array(y), c)
    return LinearHead(["keep"], None, w[None, :], np.array([b], dtype=np.float32))


def train_and_save(
    examples: Sequence[Example],
    encoder: SentenceEncoder,
    out_dir: str | Path,
    progress: Progress | None = None,
    params: dict | None = None,
) -> dict:
    started = time.monotonic()
    prep = prepare(examples, encoder, progress)
    heads = fit(prep, params, progress)
    heads.save(out_dir)
    size = sum(f.stat().st_size for f in Path(out_dir).iterdir() if f.is_file())
    return {
        "examples": len(prep.examples),
        "seconds": round(time.monotonic() - started, 1),
        "bytes": size,
        "out": str(out_dir),
    }


def training_examples(
    db: object | None = None, data_dir: str | Path | None = None
) -> tuple[list[Example], list[str]]:
    """Our labelled files (nlp/data/train by default) plus human labels from the store."""
    from nlp.data import TRAIN_DIR, load_dir, parse_example

    examples, bad = load_dir(data_dir or TRAIN_DIR)
    problems = [str(b) for b in bad]
    if db is not None:
        from db.store import human_labels

        for row in human_labels(db):  # type: ignore[arg-type]
            try:
                examples.append(parse_example(row, row["id"]))
            except ValueError as exc:
                problems.append(f"human label {row['document_id']}: {exc}")
    return examples, problems
