"""The evaluation contract of issue 2 and the labelled-file loader."""

from __future__ import annotations

import json
from pathlib import Path

from db.records import EventRecord
from db.taxonomy import EVENT_TYPES
from nlp.data import is_heldout, load_dir, load_file, split
from nlp.evaluate import evaluate_file, score
from nlp.tagger import Tagger, TagResult

LABELS = list(EVENT_TYPES)


def _row(i: int, types: list[str], **kw: object) -> str:
    row: dict[str, object] = {
        "id": f"t{i}",
        "title": f"title {i}",
        "text": "text",
        "source_kind": "news",
        "published": None,
        "language": "en",
        "event_types": types,
        "direction": None,
        "imposing": None,
        "targets": [],
        "commodities": [],
        "technologies": [],
        "stage": None,
    }
    if types != ["none"]:
        row.update(direction="restrictive", imposing="CN", stage="in_force")
    row.update(kw)
    return json.dumps(row, ensure_ascii=False)


def test_loader_reports_bad_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(
            [
                _row(1, ["tariff"]),
                "{not json",
                _row(2, ["bogus"]),
                _row(3, ["none"]),
                json.dumps({"title": 1}),
                _row(4, ["tariff"], imposing=None),
            ]
        )
        + "\n"
    )
    examples, bad = load_file(path)
    assert [e.id for e in examples] == ["t1", "t3"]
    assert [(b.line, b.reason.split(" ")[0]) for b in bad] == [
        (2, "invalid"),
        (3, "unknown"),
        (5, "title"),
        (6, "a"),
    ]
    assert str(bad[0]).startswith(f"{path}:2:")


def test_split_is_deterministic_and_about_fifteen_percent() -> None:
    ids = [f"id{i}" for i in range(2000)]
    held = [i for i in ids if is_heldout(i)]
    assert held == [i for i in ids if is_heldout(i)]
    assert 0.12 < len(held) / len(ids) < 0.18
    examples, bad = load_dir()
    train, test = split(examples)
    assert not {e.id for e in train} & {e.id for e in test}


class _Fixed:
    def __init__(self, events: list[EventRecord]):
        self.events = events


def test_score_numbers_on_a_tiny_set(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(
            [
                _row(1, ["tariff"], targets=["US"], commodities=["Aluminium"]),
                _row(2, ["investigation", "tariff"], targets=["JP", "EU"]),
                _row(3, ["none"]),
            ]
        )
        + "\n"
    )
    gold, _ = load_file(path)
    preds = [
        _Fixed(
            [EventRecord("tariff", 0.9, "restrictive", "CN", "in_force", ["US"], [("aluminum", "76")], [])]
        ),
        _Fixed([EventRecord("investigation", 0.9, "liberalizing", "China", "announced", ["JP"], [], [])]),
        _Fixed([EventRecord("market_access", 0.6, "restrictive", "US", "in_force", [], [], [])]),
    ]
    report = score(gold, preds)
    assert report["n"] == 3
    assert report["event_types"]["per_label"]["tariff"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }
    assert report["event_types"]["per_label"]["investigation"]["f1"] == 1.0
    assert report["event_types"]["per_label"]["market_access"]["precision"] == 0.0
    assert report["relevance"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8}
    assert report["imposing_accuracy"] == 1.0  # "China" normalises to CN
    assert report["direction_accuracy"] == 0.5
    assert report["stage_accuracy"] == 0.5
    assert report["targets_f1"] == 0.8  # tp 2, fn 1 (EU), fp 0
    assert report["commodities_f1"] == 1.0  # aluminium and aluminum are one commodity
    assert report["technologies_f1"] == 1.0


def test_evaluate_file_contract_with_the_real_tagger(tmp_path: Path, tagger: Tagger) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(
            [
                _row(
                    1,
                    ["export_control"],
                    title="China restricts antimony exports",
                    text="China's commerce ministry announced export controls on antimony products.",
                ),
                "garbage line",
                _row(
                    2,
                    ["none"],
                    title="Trade fair opens",
                    text="A trade fair opened in Shanghai with 3,000 exhibitors.",
                ),
            ]
        )
        + "\n"
    )
    report = evaluate_file(path, tagger, by_language=True)
    assert report["n"] == 2
    assert report["bad_lines"] == [{"line": 2, "reason": "invalid JSON (Expecting value)"}]
    assert set(report["event_types"]["per_label"]) == set(LABELS)
    for stats in report["event_types"]["per_label"].values():
        assert set(stats) == {"precision", "recall", "f1", "support"}
    for key in ("macro_f1", "micro_f1"):
        assert 0.0 <= report["event_types"][key] <= 1.0
    assert set(report["relevance"]) == {"precision", "recall", "f1"}
    for key in (
        "direction_accuracy",
        "imposing_accuracy",
        "stage_accuracy",
        "targets_f1",
        "commodities_f1",
        "technologies_f1",
    ):
        assert key in report
    assert report["relevance"]["precision"] == 1.0 and report["relevance"]["recall"] == 1.0
    assert report["by_language"]["en"]["n"] == 2
    assert isinstance(TagResult([], "en", 0.1).confidence, float)
