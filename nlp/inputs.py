"""What the tagger reads per document; a module of its own so the stage loop imports no model code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TagInput:
    title: str
    text: str
    language: str | None = None
    source_kind: str | None = None  # official | news | other
    source_jurisdiction: str | None = None  # ISO alpha-2 or EU
    published: str | None = None
