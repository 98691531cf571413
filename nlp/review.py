"""Turning a reviewer's command-line answer into a label in the labelled-file shape (validated)."""

from __future__ import annotations

from typing import Any

from nlp.data import parse_example
from nlp.lexicon import normalise_country


def _items(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_label(
    types: str,
    direction: str | None,
    imposing: str | None,
    targets: str,
    commodities: str,
    technologies: str,
    stage: str | None,
) -> dict[str, Any]:
    """Raises ValueError when the label would not be a valid training example."""
    label: dict[str, Any] = {
        "event_types": _items(types) or ["none"],
        "direction": direction,
        "imposing": normalise_country(imposing) if imposing else None,
        "targets": [c for c in (normalise_country(t) for t in _items(targets)) if c],
        "commodities": [c.lower() for c in _items(commodities)],
        "technologies": [t.lower() for t in _items(technologies)],
        "stage": stage,
    }
    if label["event_types"] != ["none"]:
        label["direction"] = label["direction"] or "restrictive"
    parse_example({"title": "x", "text": "x", **label}, "review")  # same checks as the training files
    return label
