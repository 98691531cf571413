"""`cwatch eval`: the evaluation contract of issue 2, plus per-language numbers and a confusion summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from nlp.data import EVENT_TYPES, Example, load_file
from nlp.lexicon import commodity_key, normalise_country, normalise_technology


class _Tags(Protocol):
    @property
    def events(self) -> list[Any]: ...


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _set_f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    if not (tp + fp + fn):
        return 1.0  # nothing to find and nothing found
    return _prf(tp, fp, fn)["f1"]


def _acc(pairs: list[tuple[str | None, str | None]]) -> float | None:
    scored = [(g, p) for g, p in pairs if g is not None]
    return round(sum(g == p for g, p in scored) / len(scored), 4) if scored else None


def score(examples: Sequence[Example], results: Sequence[_Tags]) -> dict[str, Any]:
    """Metrics of predictions against gold, in the JSON contract of issue 2."""
    per_label: dict[str, dict[str, Any]] = {}
    totals = Counter[str]()
    f1s = []
    for label in EVENT_TYPES:
        tp = fp = fn = 0
        for e, r in zip(examples, results, strict=True):
            gold = label in e.event_types
            pred = any(ev.event_type == label for ev in r.events)
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
        stats = _prf(tp, fp, fn)
        per_label[label] = {**stats, "support": tp + fn}
        totals.update({"tp": tp, "fp": fp, "fn": fn})
        f1s.append(stats["f1"])
    micro = _prf(totals["tp"], totals["fp"], totals["fn"])["f1"]
    rel = Counter[str]()
    for e, r in zip(examples, results, strict=True):
        gold, pred = e.is_measure, bool(r.events)
        rel.update({"tp": gold and pred, "fp": pred and not gold, "fn": gold and not pred})
    measures = [(e, r) for e, r in zip(examples, results, strict=True) if e.is_measure]

    def first(r: _Tags, attr: str) -> Any:
        return getattr(r.events[0], attr) if r.events else None

    def pred_set(r: _Tags, attr: str, norm: Any) -> set[str]:
        values: set[str] = set()
        for ev in r.events:
            for v in getattr(ev, attr):
                values.add(norm(v[0] if isinstance(v, tuple) else v))
        return values

    return {
        "n": len(examples),
        "event_types": {"macro_f1": round(sum(f1s) / len(f1s), 4), "micro_f1": micro, "per_label": per_label},
        "relevance": _prf(rel["tp"], rel["fp"], rel["fn"]),
        "direction_accuracy": _acc([(e.direction, first(r, "direction")) for e, r in measures]),
        "imposing_accuracy": _acc(
            [(normalise_country(e.imposing), normalise_country(first(r, "imposing"))) for e, r in measures]
        ),
        "stage_accuracy": _acc([(e.stage, first(r, "stage")) for e, r in measures]),
        "targets_f1": _set_f1(
            [
                ({str(normalise_country(t)) for t in e.targets}, pred_set(r, "targets", normalise_country))
                for e, r in measures
            ]
        ),
        "commodities_f1": _set_f1(
            [
                (
                    {commodity_key(c) for c in e.commodities},
                    pred_set(r, "commodities", commodity_key),
                )
                for e, r in measures
            ]
        ),
        "technologies_f1": _set_f1(
            [
                (
                    {normalise_technology(t) for t in e.technologies},
                    pred_set(r, "technologies", normalise_technology),
                )
                for e, r in measures
            ]
        ),
    }


def confusion(examples: Sequence[Example], results: Sequence[_Tags]) -> dict[str, Any]:
    """Which gold label sets were predicted as which (only the mistakes), most frequent first."""
    mistakes = Counter[tuple[str, str]]()
    for e, r in zip(examples, results, strict=True):
        gold = "+".join(sorted(e.event_types))
        pred = "+".join(sorted(ev.event_type for ev in r.events)) or "none"
        if gold != pred:
            mistakes[(gold, pred)] += 1
    return {"mistakes": [{"gold": g, "pred": p, "count": n} for (g, p), n in mistakes.most_common(20)]}


def evaluate_examples(
    examples: Sequence[Example], tagger: Any, *, by_language: bool = False
) -> dict[str, Any]:
    from nlp.tagger import TagInput

    inputs = [
        TagInput(e.title, e.text, e.language, e.source_kind, e.source_jurisdiction, e.published)
        for e in examples
    ]
    results = tagger.tag(inputs) if inputs else []
    report: dict[str, Any] = score(examples, results) if examples else {"n": 0}
    report["confusion"] = confusion(examples, results)
    if by_language:
        langs = sorted({e.language or "unknown" for e in examples})
        per_language: dict[str, Any] = {}
        for lang in langs:
            idx = [i for i, e in enumerate(examples) if (e.language or "unknown") == lang]
            per_language[lang] = score([examples[i] for i in idx], [results[i] for i in idx])
        report["by_language"] = per_language
    return report


def evaluate_file(path: str | Path, tagger: Any, *, by_language: bool = False) -> dict[str, Any]:
    examples, bad = load_file(path)
    report = evaluate_examples(examples, tagger, by_language=by_language)
    report["bad_lines"] = [{"line": b.line, "reason": b.reason} for b in bad]
    return report
