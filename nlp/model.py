"""The trained heads: linear scorers over [encoder embedding | hashed sparse features], inference in numpy.

One artefact file (model.npz) holds every head; meta.json names labels and feature weights. Training is in
nlp/train.py (scikit-learn); here only numpy is needed, so tagging does not import scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.hashing import HASH_DIM

ARTEFACT_DIR = Path(__file__).resolve().parent / "artefacts"
TYPE_HEAD = "types"  # 6 event types + "relevant"
DIRECTION_HEAD = "direction"  # P(liberalizing)
STAGE_HEAD = "stage"  # softmax over STAGES
ROLE_HEAD = "roles"  # P(imposing), P(target) per candidate country
VALUE_HEAD = "values"  # P(the measure is about this named commodity/technology)


@dataclass
class LinearHead:
    labels: list[str]
    dense: np.ndarray | None  # (L, D) or None for sparse-only heads
    sparse: np.ndarray  # (L, HASH_DIM)
    bias: np.ndarray  # (L,)
    softmax: bool = False

    def scores(self, emb: np.ndarray | None, sparse: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Probabilities (n, L). `emb` is already scaled; sparse rows are (indices, values)."""
        n = len(sparse)
        logits = np.tile(self.bias.astype(np.float32), (n, 1))
        if self.dense is not None and emb is not None:
            logits += emb @ self.dense.T.astype(np.float32)
        for i, (idx, vals) in enumerate(sparse):
            if len(idx):
                logits[i] += self.sparse[:, idx].astype(np.float32, copy=False) @ vals  # no 2nd copy
        if self.softmax:
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            return np.asarray(exp / exp.sum(axis=1, keepdims=True))
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30))))


@dataclass
class Heads:
    heads: dict[str, LinearHead]
    meta: dict
    version: str

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for name, head in self.heads.items():
            if head.dense is not None:
                arrays[f"{name}.dense"] = head.dense.astype(np.float16)
            arrays[f"{name}.sparse"] = head.sparse.astype(np.float16)
            arrays[f"{name}.bias"] = head.bias.astype(np.float32)
        np.savez_compressed(directory / "model.npz", **arrays)  # type: ignore[arg-type]  # numpy stub quirk
        meta = dict(self.meta)
        meta["heads"] = {name: {"labels": h.labels, "softmax": h.softmax} for name, h in self.heads.items()}
        (directory / "meta.json").write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Heads:
        directory = Path(directory or ARTEFACT_DIR)
        model_file, meta_file = directory / "model.npz", directory / "meta.json"
        if not model_file.exists() or not meta_file.exists():
            raise FileNotFoundError(f"no trained artefacts in {directory}: run `cwatch train`")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("hash_dim") != HASH_DIM:
            raise ValueError(
                f"artefacts in {directory} were built for another feature space: run `cwatch train`"
            )
        digest = hashlib.sha256(model_file.read_bytes()).hexdigest()[:10]
        heads: dict[str, LinearHead] = {}
        with np.load(model_file) as data:
            for name, spec in meta["heads"].items():
                dense = data[f"{name}.dense"].astype(np.float32) if f"{name}.dense" in data else None
                heads[name] = LinearHead(
                    labels=list(spec["labels"]),
                    dense=dense,
                    sparse=data[f"{name}.sparse"].astype(np.float32),
                    bias=data[f"{name}.bias"],
                    softmax=bool(spec["softmax"]),
                )
        return cls(heads, meta, f"{meta.get('name', 'cwatch')}-{digest}")
