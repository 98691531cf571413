"""Labelled examples in the dev-set format: strict loading with line-level errors, and our held-out split."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.taxonomy import DIRECTIONS, EVENT_TYPES, SOURCE_KINDS, STAGES

__all__ = ["DIRECTIONS", "EVENT_TYPES", "SOURCE_KINDS", "STAGES"]  # re-exported: nlp modules import them here
TRAIN_DIR = Path(__file__).resolve().parent / "data" / "train"
HELDOUT_PERCENT = 15
MAX_FIELD_CHARS = 1_000_000


@dataclass
class Example:
    id: str
    title: str
    text: str
    language: str | None
    source_kind: str | None
    published: str | None
    event_types: list[str]
    direction: str | None
    imposing: str | None
    targets: list[str] = field(default_factory=list)
    commodities: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    stage: str | None = None
    source_jurisdiction: str | None = None
    origin: str = ""

    @property
    def is_measure(self) -> bool:
        return self.event_types != ["none"]


@dataclass(frozen=True)
class BadLine:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def _str_list(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _opt_str(obj: dict[str, Any], key: str, allowed: Iterable[str] | None = None) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string or null")
    if allowed is not None and value not in allowed:
        raise ValueError(f"{key} {value!r} is not one of {', '.join(allowed)}")
    return value


def parse_example(obj: Any, fallback_id: str) -> Example:
    """Validate one decoded line; raises ValueError with a short reason."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    title, text = obj.get("title"), obj.get("text")
    if not isinstance(title, str) or not isinstance(text, str):
        raise ValueError("title and text must be strings")
    if not (title.strip() or text.strip()):
        raise ValueError("empty title and text")
    types = obj.get("event_types")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        raise ValueError("event_types must be a non-empty list of strings")
    unknown = [t for t in types if t not in (*EVENT_TYPES, "none")]
    if unknown:
        raise ValueError(f"unknown event type {unknown[0]!r}")
    if "none" in types and len(types) > 1:
        raise ValueError("'none' must stand alone")
    example = Example(
        id=str(obj.get("id") or fallback_id),
        title=title[:MAX_FIELD_CHARS],
        text=text[:MAX_FIELD_CHARS],
        language=_opt_str(obj, "language"),
        source_kind=_opt_str(obj, "source_kind", SOURCE_KINDS),
        published=_opt_str(obj, "published"),
        event_types=sorted(set(types), key=types.index),
        direction=_opt_str(obj, "direction", DIRECTIONS),
        imposing=_opt_str(obj, "imposing"),
        targets=_str_list(obj, "targets"),
        commodities=_str_list(obj, "commodities"),
        technologies=_str_list(obj, "technologies"),
        stage=_opt_str(obj, "stage", STAGES),
        source_jurisdiction=_opt_str(obj, "source_jurisdiction"),
        origin=str(obj.get("origin") or ""),
    )
    if example.is_measure and example.imposing is None:
        raise ValueError("a measure needs an imposing country")
    return example


def load_file(path: str | Path) -> tuple[list[Example], list[BadLine]]:
    """Read a JSONL file; bad lines are reported (file:line, reason), never fatal."""
    examples: list[Example] = []
    bad: list[BadLine] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                examples.append(parse_example(json.loads(line), f"{Path(path).stem}:{number}"))
            except json.JSONDecodeError as exc:
                bad.append(BadLine(str(path), number, f"invalid JSON ({exc.msg})"))
            except ValueError as exc:
                bad.append(BadLine(str(path), number, str(exc)))
    return examples, bad


def load_dir(directory: str | Path = TRAIN_DIR) -> tuple[list[Example], list[BadLine]]:
    examples: list[Example] = []
    bad: list[BadLine] = []
    seen: set[str] = set()
    for path in sorted(Path(directory).glob("*.jsonl")):
        got, errors = load_file(path)
        bad.extend(errors)
        for example in got:
            if example.id in seen:  # ids key the split; a duplicate would leak across it
                bad.append(BadLine(str(path), 0, f"duplicate id {example.id!r} skipped"))
                continue
            seen.add(example.id)
            examples.append(example)
    return examples, bad


def is_heldout(example_id: str) -> bool:
    """Deterministic ~15 % test split by a hash of the id (stable as files grow)."""
    digest = hashlib.sha256(example_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not is_heldout(e.id)]
    test = [e for e in examples if is_heldout(e.id)]
    return train, test
