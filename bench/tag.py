"""Throughput of full tagging against a bare encoder forward pass over the same texts, in one run.

    .venv/bin/python bench/tag.py [--n 512] [--file ../shared/eval/dev.jsonl]

Prints documents/s for both and their ratio (goal: >= 0.8). The texts are our labelled examples (or the
given file), repeated to --n documents. The bare pass is the same encoder call the tagger makes, without the
gazetteer, features, heads or decoding.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.data import load_dir, load_file  # noqa: E402
from nlp.features import analyse, encoder_text  # noqa: E402
from nlp.tagger import Tagger, TagInput  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--file", default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    examples = load_file(args.file)[0] if args.file else load_dir()[0]
    examples = (examples * (args.n // max(len(examples), 1) + 1))[: args.n]
    docs = [
        TagInput(e.title, e.text, e.language, e.source_kind, e.source_jurisdiction, e.published)
        for e in examples
    ]
    tagger = Tagger.load()
    tagger.tag(docs[:32])  # warm-up: first calls pay one-off costs (matcher build, kernels)
    # The bare pass gets exactly the strings the tagger hands the encoder.
    texts = [encoder_text(a) for a in analyse([(d.title, d.text, d.language, None, None) for d in docs])]

    # Alternate the two passes over several rounds so machine noise (other jobs, CPU clocks) hits both alike.
    bare_s = full_s = 0.0
    for _ in range(args.rounds):
        start = time.perf_counter()
        tagger.encoder.encode(texts, batch_size=args.batch_size)
        bare_s += time.perf_counter() - start
        start = time.perf_counter()
        tagger.tag(docs, batch_size=args.batch_size)
        full_s += time.perf_counter() - start
    bare = args.rounds * len(texts) / bare_s
    full = args.rounds * len(docs) / full_s

    print(f"documents: {len(docs)}")
    print(f"bare encoder forward: {bare:8.1f} docs/s")
    print(f"full tagging:         {full:8.1f} docs/s")
    print(f"ratio full/bare:      {full / bare:8.3f}  (goal >= 0.8)")


if __name__ == "__main__":
    main()
