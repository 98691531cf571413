"""What spaCy's rule-based tokenizer would cost the English gazetteer on notice-length texts, against ours.

    .venv/bin/python bench/gazetteer_tokenizer.py [--n 64] [--rounds 5]

The gazetteer reads the first TEXT_CHARS characters of every document. With spaCy's rule-based English
tokenizer, profiling `analyse` on notice-length texts put ~70 % of its time in tokenizing, which is why the
gazetteer now uses `cwatch.word_punct_tokenizer.v1`. This bench times, on bench/tag.py's notice-length
documents, (a) spaCy's blank English tokenizer, (b) ours, and (c) the whole gazetteer pipeline (ours), after
a warm-up, in alternating rounds, and prints min and median ms per document.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402
from tag import lengths, notice  # noqa: E402

from nlp.components import pipeline  # noqa: E402
from nlp.data import load_dir  # noqa: E402
from nlp.features import TEXT_CHARS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(1)
    pool = [e for e in load_dir()[0] if e.language in (None, "en") and len(e.text) > 80]
    docs = [notice(rng, pool, w, i) for i, w in enumerate(lengths(rng, args.n))]
    texts = [f"{d.title}\n{d.text[:TEXT_CHARS]}" for d in docs]
    nlp = pipeline("en")
    rule_based = spacy.blank("en").tokenizer

    paths: dict[str, Callable[[], object]] = {
        "spaCy tokenizer": lambda: [rule_based(t) for t in texts],
        "our tokenizer": lambda: [nlp.tokenizer(t) for t in texts],
        "gazetteer pipeline": lambda: list(nlp.pipe(texts)),
    }
    for run in paths.values():  # warm-up: caches, matchers
        run()
    times: dict[str, list[float]] = {name: [] for name in paths}
    names = list(paths)
    for r in range(args.rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            paths[name]()
            times[name].append((time.perf_counter() - start) / len(texts) * 1000)
    print(
        f"documents: {len(texts)}; characters read per document (mean): {sum(map(len, texts)) / len(texts):.0f}"
    )
    for name, ms in times.items():
        print(f"{name:20s} min {min(ms):6.2f} ms/doc   median {statistics.median(ms):6.2f} ms/doc")
    spacy_ms, ours_ms = (
        statistics.median(times["spaCy tokenizer"]),
        statistics.median(times["our tokenizer"]),
    )
    print(f"ratio spaCy tokenizer / our tokenizer (medians): {spacy_ms / ours_ms:.1f}")


if __name__ == "__main__":
    main()
