"""What each dense encoder adds over the sparse features, measured in one run (issue 12).

    PYTHONPATH=$PWD .venv/bin/python bench/dense_contribution.py [--encoders none,minilm,...] \
        [--out /tmp/dense/ablation] [--json /tmp/dense/ablation.json] [--speed-docs 32]

For each encoder configuration (default: `none` = sparse only, `minilm`, `use-multilingual`,
`minilm+use-multilingual`), with the same training data (nlp/data/train; no human labels), params and split:
1. fit the heads on our train split and score our held-out split (as `cwatch train` does);
2. fit the heads on all training data, save them to <out>/<encoder>, load them back through
   `Tagger.load(encoder=..., artefacts=...)` (the configured path, with its encoder check) and evaluate
   both dev files with nlp/evaluate.py (per language for the multilingual one).
Gazetteer analyses are computed once and each base encoder encodes each text once; a combination reuses
its parts' embeddings. Then each base encoder's speed on notice-length texts (bench/tag.py's documents):
wall docs/s and CPU seconds per document (the CPU figure is the steadier one on a shared machine).
The dev files are only measured on, never trained on.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.data import Example, is_heldout  # noqa: E402
from nlp.encoder import SentenceEncoder, load_encoder  # noqa: E402
from nlp.evaluate import evaluate_file, score  # noqa: E402
from nlp.features import analyse, encoder_text  # noqa: E402
from nlp.tagger import Tagger, TagInput, TagResult  # noqa: E402
from nlp.train import Prepared, analyse_examples, embed, fit, training_examples  # noqa: E402

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
DEFAULT_ENCODERS = "none,minilm,use-multilingual,minilm+use-multilingual"
ROWS = (  # (label, path into an nlp.evaluate report)
    ("event-type macro-F1", ("event_types", "macro_f1")),
    ("label-set match", ("label_set_match",)),
    ("relevance P", ("relevance", "precision")),
    ("relevance R", ("relevance", "recall")),
    ("imposing acc", ("imposing_accuracy",)),
    ("stage acc", ("stage_accuracy",)),
    ("targets F1", ("targets_f1",)),
    ("commodities F1", ("commodities_f1",)),
    ("technologies F1", ("technologies_f1",)),
)


class _Recording:
    """A tagger that keeps its results, so the label-set match is computed on exactly what was scored."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self.results: list[TagResult] = []

    def tag(self, docs: list[TagInput]) -> list[TagResult]:
        self.results = self.tagger.tag(docs)
        return self.results


def _label_set_match(examples: list[Example], results: list[TagResult]) -> float:
    """Share of items whose predicted set of event types equals the gold set (`none` for no event)."""
    hits = sum(set(e.event_types) == set(r.event_types) for e, r in zip(examples, results, strict=True))
    return round(hits / len(examples), 4) if examples else 0.0


def _evaluate_dev(path: Path, tagger: Tagger, by_language: bool) -> dict[str, Any]:
    from nlp.data import load_file

    rec = _Recording(tagger)
    report = evaluate_file(path, rec, by_language=by_language)
    examples = load_file(path)[0]
    report["label_set_match"] = _label_set_match(examples, rec.results)
    for lang, sub in report.get("by_language", {}).items():
        idx = [i for i, e in enumerate(examples) if (e.language or "unknown") == lang]
        sub["label_set_match"] = _label_set_match([examples[i] for i in idx], [rec.results[i] for i in idx])
    return report


def _heldout(prep: Prepared, encoder: SentenceEncoder, params: dict[str, Any]) -> dict[str, Any]:
    train_idx = [i for i, e in enumerate(prep.examples) if not is_heldout(e.id)]
    test_idx = [i for i, e in enumerate(prep.examples) if is_heldout(e.id)]
    test = prep.subset(test_idx)
    tagger = Tagger(encoder, fit(prep.subset(train_idx), params))
    results = tagger.decode(test.analyses, test.emb)
    report = score(test.examples, results)
    report["label_set_match"] = _label_set_match(test.examples, results)
    return report


def ablation(
    kinds: list[str], out: Path, params: dict[str, Any], eval_dir: Path = EVAL_DIR
) -> dict[str, dict[str, Any]]:
    examples, problems = training_examples(None)
    if problems:
        print(f"skipped {len(problems)} bad training lines", file=sys.stderr)
    ordered, analyses = analyse_examples(examples)
    cache: dict[str, np.ndarray] = {}  # base kind -> embeddings of `ordered`
    reports: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        encoder = load_encoder(kind)
        for part in kind.split("+"):
            if part not in cache:
                started = time.monotonic()
                cache[part] = embed(analyses, load_encoder(part))
                print(
                    f"{part}: encoded {len(ordered)} examples in {time.monotonic() - started:.1f} s",
                    file=sys.stderr,
                )
        emb = np.hstack([cache[p] for p in kind.split("+")])
        prep = Prepared(ordered, analyses, emb, encoder.kind)
        report: dict[str, Any] = {"heldout": _heldout(prep, encoder, params)}
        target = out / kind
        fit(prep, params).save(target)
        tagger = Tagger.load(encoder=kind, artefacts=str(target))
        report["dev"] = _evaluate_dev(eval_dir / "dev.jsonl", tagger, by_language=False)
        report["dev_multilingual"] = _evaluate_dev(
            eval_dir / "dev_multilingual.jsonl", tagger, by_language=True
        )
        reports[kind] = report
        print(f"{kind}: done", file=sys.stderr)
    return reports


def _bench_tag_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_tag", Path(__file__).resolve().parent / "tag.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def speed(kinds: list[str], n_docs: int, rounds: int, seed: int = 1) -> dict[str, dict[str, float]]:
    """Encode speed on bench/tag.py's notice-length documents, rounds interleaved across encoders."""
    from nlp.data import load_dir

    bt = _bench_tag_module()
    rng = random.Random(seed)
    pool = [e for e in load_dir()[0] if e.language in (None, "en") and len(e.text) > 80]
    docs = [bt.notice(rng, pool, w, i) for i, w in enumerate(bt.lengths(rng, n_docs))]
    windows = [
        encoder_text(a)
        for a in analyse([(d.title, d.text, d.language, d.source_kind, None, d.published) for d in docs])
    ]
    bases = sorted({p for k in kinds for p in k.split("+") if p != "none"})
    encoders = {k: load_encoder(k) for k in bases}
    for enc in encoders.values():
        enc.encode(windows)  # warm-up on the very windows timed below
    wall: dict[str, list[float]] = {k: [] for k in bases}
    cpu: dict[str, list[float]] = {k: [] for k in bases}
    for r in range(rounds):
        for k in bases if r % 2 == 0 else reversed(bases):  # alternate which runs first
            w0, c0 = time.perf_counter(), time.process_time()
            encoders[k].encode(windows)
            wall[k].append(time.perf_counter() - w0)
            cpu[k].append(time.process_time() - c0)
    return {
        k: {
            "docs": len(docs),
            "docs_per_s_median": round(len(docs) / statistics.median(wall[k]), 1),
            "docs_per_s_best": round(len(docs) / min(wall[k]), 1),
            "cpu_ms_per_doc_median": round(1000 * statistics.median(cpu[k]) / len(docs), 1),
        }
        for k in bases
    }


def _get(report: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def table(reports: dict[str, dict[str, Any]]) -> str:
    kinds = list(reports)
    width = max(12, *(len(k) + 1 for k in kinds))
    lines = [f"{'':<34}" + "".join(f"{k:>{width}}" for k in kinds)]
    sections: list[tuple[str, Any]] = [
        ("held-out", lambda r: r["heldout"]),
        ("dev.jsonl", lambda r: r["dev"]),
        ("dev_multilingual (all)", lambda r: r["dev_multilingual"]),
    ]
    langs = sorted(_get(reports[kinds[0]], ("dev_multilingual", "by_language")) or {})
    for lang in langs:
        sections.append(
            (f"dev_multilingual [{lang}]", lambda r, lang=lang: r["dev_multilingual"]["by_language"][lang])
        )
    for title, pick in sections:
        n = pick(reports[kinds[0]])["n"]
        lines.append(f"{title} (n={n})")
        for label, path in ROWS:
            cells = []
            for k in kinds:
                v = _get(pick(reports[k]), path)
                cells.append(f"{'n/a' if v is None else f'{v:.3f}':>{width}}")
            lines.append(f"  {label:<32}" + "".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default=DEFAULT_ENCODERS, help="Comma-separated encoder settings.")
    parser.add_argument("--out", default="/tmp/dense/ablation", help="Artefact directory per encoder.")
    parser.add_argument("--json", default=None, help="Also write every report to this JSON file.")
    parser.add_argument("--dense-weight", type=float, default=None, help="Override meta dense_weight.")
    parser.add_argument("--speed-docs", type=int, default=32, help="Notice-length texts to time; 0: skip.")
    parser.add_argument("--speed-rounds", type=int, default=3)
    parser.add_argument("--eval-dir", default=str(EVAL_DIR))
    args = parser.parse_args()
    kinds = [k.strip() for k in args.encoders.split(",") if k.strip()]
    params = {} if args.dense_weight is None else {"dense_weight": args.dense_weight}
    reports = ablation(kinds, Path(args.out), params, Path(args.eval_dir))
    print(table(reports))
    timing = speed(kinds, args.speed_docs, args.speed_rounds) if args.speed_docs else {}
    for k, t in timing.items():
        print(
            f"speed {k}: {t['docs_per_s_median']} docs/s median (best {t['docs_per_s_best']}), "
            f"{t['cpu_ms_per_doc_median']} CPU ms/doc, {t['docs']} notice-length texts"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"reports": reports, "speed": timing}, indent=2) + "\n")


if __name__ == "__main__":
    main()
