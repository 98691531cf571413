"""Tagging throughput against a bare encoder forward over the same text windows, on notice-length texts.

    .venv/bin/python bench/tag.py [--n 128] [--rounds 5] [--seed 1] [--sequential]

Official notices run to thousands of tokens, so the documents here are composed from our labelled examples
into notice-length texts (500-5,000 words, median ~1,600) with the boilerplate real notices carry: a header,
the legal basis, the operative paragraphs, an annex of products and HS lines, contacts. Both paths are warmed
up fully on the same documents first, then timed in alternating rounds; min and median per round are printed
with the ratio tagging / bare (goal >= 0.8). The bare pass encodes exactly the windows the tagger encodes.
--sequential adds a third path in the same rounds: tagging with the encoder not overlapped (Tagger.overlap off).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.data import Example, load_dir  # noqa: E402
from nlp.features import analyse, encoder_text  # noqa: E402
from nlp.tagger import Tagger, TagInput  # noqa: E402

_HEADER = (
    "Announcement No. {n} of {year}\nIssued by the competent authority under the Foreign Trade Law, the Customs "
    "Law and the implementing regulations. This notice is published for the information of importers, exporters, "
    "customs brokers and other interested parties, and takes the form required by the administrative procedures."
)
_BASIS = (
    "Legal basis. In accordance with the relevant provisions of the statute and its implementing rules, after "
    "consultation of the relevant departments and taking into account the comments received from interested "
    "parties during the comment period, the authority has decided as follows."
)
_ANNEX = (
    "Annex {k}. Product {k}: description of goods under tariff line {hs}, covering parts and accessories."
)
_CONTACT = (
    "Contact: the trade remedy and investigation bureau, telephone and fax numbers as listed on the website. "
    "Written submissions may be filed electronically; confidential versions must be accompanied by summaries."
)


def notice(rng: random.Random, pool: list[Example], words: int, n: int) -> TagInput:
    """One notice of about `words` words: a labelled example's title and lead, then boilerplate and further
    operative paragraphs from other examples, then an annex and contacts."""
    lead = rng.choice(pool)
    parts = [_HEADER.format(n=n, year=2020 + n % 6), lead.text, _BASIS]
    size = sum(len(p.split()) for p in parts)
    k = 0
    while size < words:
        k += 1
        para = (
            rng.choice(pool).text
            if k % 3
            else _ANNEX.format(k=k, hs=f"{rng.randint(2500, 9900)}.{k % 100:02d}")
        )
        parts.append(para)
        size += len(para.split())
    parts.append(_CONTACT)
    return TagInput(
        lead.title, "\n\n".join(parts), "en", lead.source_kind or "official", None, lead.published
    )


def lengths(rng: random.Random, n: int) -> list[int]:
    """Log-normal lengths with median 1,600 words, clipped to 500-5,000."""
    return [int(min(5000, max(500, rng.lognormvariate(7.38, 0.6)))) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="also time tagging in the plain sequential order (Tagger.overlap off) in the same rounds",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = [e for e in load_dir()[0] if e.language in (None, "en") and len(e.text) > 80]
    sizes = lengths(rng, args.n)
    docs = [notice(rng, pool, w, i) for i, w in enumerate(sizes)]
    tagger = Tagger.load()
    windows = [
        encoder_text(a)
        for a in analyse([(d.title, d.text, d.language, d.source_kind, None, d.published) for d in docs])
    ]
    # Full warm-up of both paths on the very documents timed below (matchers, kernels, caches).
    tagger.encoder.encode(windows, batch_size=args.batch_size)
    tagger.tag(docs, batch_size=args.batch_size)
    paths = ["bare", "full", *(["sequential"] if args.sequential else [])]

    bare: list[float] = []
    full: list[float] = []
    sequential: list[float] = []
    for r in range(args.rounds):
        order = paths if r % 2 == 0 else paths[::-1]  # alternate which path runs first
        for path in order:
            start = time.perf_counter()
            if path == "bare":
                tagger.encoder.encode(windows, batch_size=args.batch_size)
                bare.append(time.perf_counter() - start)
            elif path == "full":
                tagger.tag(docs, batch_size=args.batch_size)
                full.append(time.perf_counter() - start)
            else:
                tagger.overlap = False
                tagger.tag(docs, batch_size=args.batch_size)
                tagger.overlap = True
                sequential.append(time.perf_counter() - start)

    tokens = sorted(sizes)
    enc_tokens = [len(tagger.encoder.tokenizer(w, truncation=True, max_length=tagger.encoder.max_tokens)["input_ids"])
                  for w in windows[:32]]  # fmt: skip
    print(f"documents: {len(docs)}; words per document min/median/max: "
          f"{tokens[0]}/{int(statistics.median(tokens))}/{tokens[-1]}")  # fmt: skip
    print(f"encoder: {tagger.encoder.name}; window: title + text, first {tagger.encoder.max_tokens} tokens "
          f"(median {int(statistics.median(enc_tokens))} tokens used)")  # fmt: skip
    for name, times in (("bare encoder forward", bare), ("full tagging", full)):
        print(f"{name:22s} min {len(docs) / min(times):7.1f} docs/s   median "
              f"{len(docs) / statistics.median(times):7.1f} docs/s")  # fmt: skip
    print(f"ratio tagging/bare: min {min(bare) / min(full):.3f}   median "
          f"{statistics.median(bare) / statistics.median(full):.3f}   (goal >= 0.8)")  # fmt: skip
    if sequential:
        print(f"sequential tagging     min {len(docs) / min(sequential):7.1f} docs/s   median "
              f"{len(docs) / statistics.median(sequential):7.1f} docs/s   ratio: min "
              f"{min(bare) / min(sequential):.3f}   median {statistics.median(bare) / statistics.median(sequential):.3f}")  # fmt: skip
    # The ratio moves with the machine's load (the encoder slows more than the Python parts): the time
    # tagging adds per document is printed too.
    print(f"added by tagging: {(statistics.median(full) - statistics.median(bare)) / len(docs) * 1e3:.1f} ms/doc "
          f"(median round), bare {statistics.median(bare) / len(docs) * 1e3:.1f} ms/doc")  # fmt: skip


if __name__ == "__main__":
    main()
