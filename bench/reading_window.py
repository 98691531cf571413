"""What reading a whole notice would cost against the tagger's window (title + text, first 256 tokens).

    .venv/bin/python bench/reading_window.py [--n 64] [--rounds 4] [--seed 1]

On bench/tag.py's notice-length texts (500-5,000 words, median ~1,600), times in alternating rounds, after a
warm-up of both: (a) the encoder over the tagger's windows, (b) the encoder over every 256-token chunk of the
text the gazetteer reads (its first 20,000 characters), mean-pooled per notice as a chunked reader would. It
prints how much of each notice the window covers and the cost of (b) relative to (a). The dev items are leads
of 1-3 sentences, inside one window, so no accuracy gain of chunked reading can be measured on them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling script bench/tag.py

from tag import lengths, notice  # noqa: E402

from nlp.data import load_dir  # noqa: E402
from nlp.encoder import load_encoder  # noqa: E402
from nlp.features import analyse, encoder_text  # noqa: E402

GAZETTEER_CHARS = 20_000  # what the gazetteer reads of a text (docs/taxonomy.md)


def chunks(tokenizer: object, text: str, size: int) -> list[str]:
    """The text cut into pieces of `size` tokens (special tokens left room), decoded back to text."""
    ids = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]  # type: ignore[operator]
    step = size - 2
    return [tokenizer.decode(ids[i : i + step]) for i in range(0, len(ids), step)]  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = [e for e in load_dir()[0] if e.language in (None, "en") and len(e.text) > 80]
    docs = [notice(rng, pool, w, i) for i, w in enumerate(lengths(rng, args.n))]
    encoder = load_encoder()
    windows = [
        encoder_text(a)
        for a in analyse([(d.title, d.text, d.language, d.source_kind, None, d.published) for d in docs])
    ]
    pieces = [
        chunks(encoder.tokenizer, f"{d.title}\n{d.text}"[:GAZETTEER_CHARS], encoder.max_tokens) for d in docs
    ]
    flat = [p for ps in pieces for p in ps]
    owner = np.repeat(np.arange(len(docs)), [len(ps) for ps in pieces])

    def window_pass() -> None:
        encoder.encode(windows, batch_size=args.batch_size)

    def chunked_pass() -> None:
        emb = encoder.encode(flat, batch_size=args.batch_size)
        pooled = np.zeros((len(docs), emb.shape[1]), dtype=np.float32)
        np.add.at(pooled, owner, emb)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True).clip(min=1e-9)

    window_pass()
    chunked_pass()
    times: dict[str, list[float]] = {"window": [], "chunked": []}
    passes = {"window": window_pass, "chunked": chunked_pass}
    for r in range(args.rounds):
        for name in ("window", "chunked") if r % 2 == 0 else ("chunked", "window"):
            start = time.perf_counter()
            passes[name]()
            times[name].append(time.perf_counter() - start)

    total = [
        len(encoder.tokenizer(f"{d.title}\n{d.text}", add_special_tokens=False, verbose=False)["input_ids"])
        for d in docs
    ]
    covered = [min(1.0, encoder.max_tokens / t) for t in total]
    print(f"documents: {len(docs)}; tokens per notice min/median/max: "
          f"{min(total)}/{int(statistics.median(total))}/{max(total)}")  # fmt: skip
    print(f"window: first {encoder.max_tokens} tokens = median {statistics.median(covered):.1%} of a notice "
          f"(min {min(covered):.1%}); chunks per notice within {GAZETTEER_CHARS:,} chars: median "
          f"{int(statistics.median(len(p) for p in pieces))}, max {max(len(p) for p in pieces)}")  # fmt: skip
    for name, ts in times.items():
        print(
            f"{name:8s} min {len(docs) / min(ts):6.1f} docs/s   median {len(docs) / statistics.median(ts):6.1f} docs/s"
        )
    print(f"chunked / window time: min {min(times['chunked']) / min(times['window']):.2f}x   median "
          f"{statistics.median(times['chunked']) / statistics.median(times['window']):.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
