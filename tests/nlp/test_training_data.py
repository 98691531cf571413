"""Training data stays apart from the dev sets: no training title or text near-identical to a dev item."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nlp.data import TRAIN_DIR, load_dir
from nlp.overlap import containment, grams, near_identical

ROOT = Path(__file__).resolve().parents[2]


def _dev_dir() -> Path | None:
    """The dev sets live in shared/eval beside the repository (CI) or above a worktree."""
    env = os.environ.get("CWATCH_EVAL_DIR")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        if (parent / "shared" / "eval" / "dev.jsonl").exists():
            return parent / "shared" / "eval"
    return None


def _dev_items() -> list[tuple[str, str, str]]:
    where = _dev_dir()
    if where is None:
        if os.environ.get("CI") == "true":
            pytest.fail("shared/eval/dev.jsonl not found beside the repository")
        pytest.skip("no shared/eval dev sets on this machine")
    items = []
    for path in sorted(where.glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                items.append((obj["id"], obj.get("title") or "", obj.get("text") or ""))
    assert len(items) >= 85
    return items


def test_no_training_example_is_near_identical_to_a_dev_item() -> None:
    examples, bad = load_dir(TRAIN_DIR)
    assert not bad
    hits = near_identical([(e.id, e.title, e.text) for e in examples], _dev_items())
    assert hits == [], f"training examples near-identical to dev items: {hits[:10]}"


def test_the_check_catches_a_copied_or_trimmed_title() -> None:
    dev = [("d1", "商务部公告：对原产于日本的进口二氯二氢硅发起反倾销调查", "x" * 40)]
    trimmed = [
        ("t1", "商务部对原产于日本的进口二氯二氢硅发起反倾销调查", "完全不同的正文内容，讲的是另一件事情。")
    ]
    assert near_identical(trimmed, dev) == [("t1", "d1", "title", pytest.approx(0.87, abs=0.1))]
    reworded = [("t2", "日本产二氯二氢硅遭中方反倾销立案", "另一段文字")]
    assert near_identical(reworded, dev) == []
    assert containment(grams("Entity List additions"), grams("Entity List additions")) == 1.0
