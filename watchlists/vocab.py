"""Vocabularies a watchlist may use: countries (ISO alpha-2 + EU), commodities, technologies, HS codes.

The names come from the NLP lexicon files (nlp/lexicon/*.yaml: canonical name -> hs, en/zh/ja aliases), so a
watchlist and the tagger agree on spelling. Countries also accept every pycountry name. When the lexicon files
are missing (a stripped install), a small built-in fallback keeps validation working.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
import yaml

LEXICON_DIR = Path(__file__).resolve().parent.parent / "nlp" / "lexicon"
HS_CODE = re.compile(r"^\d{2}(\d{2})?(\.?\d{2}){0,3}$")  # 2, 4, 6, 8 or 10 digits, dots optional

_FALLBACK_COMMODITIES: dict[str, dict[str, Any]] = {
    "gallium": {"hs": "8112.92", "en": ["gallium"], "zh": ["镓"]},
    "germanium": {"hs": "8112.92", "en": ["germanium"], "zh": ["锗"]},
    "graphite": {"hs": "2504", "en": ["graphite"], "zh": ["石墨"]},
    "antimony": {"hs": "8110", "en": ["antimony"], "zh": ["锑"]},
    "rare earths": {"hs": "2805", "en": ["rare earths", "rare earth"], "zh": ["稀土"]},
    "tungsten": {"hs": "8101", "en": ["tungsten"], "zh": ["钨"]},
}
_FALLBACK_TECHNOLOGIES: dict[str, dict[str, Any]] = {
    name: {"en": [name]}
    for name in (
        "semiconductors",
        "semiconductor manufacturing equipment",
        "advanced computing",
        "artificial intelligence",
        "quantum computing",
        "high bandwidth memory",
        "3d printing",
        "supercomputers",
        "lithography",
    )
}


@dataclass
class Vocabulary:
    """alias (casefolded) -> canonical value, per kind."""

    countries: dict[str, str] = field(default_factory=dict)
    commodities: dict[str, str] = field(default_factory=dict)
    technologies: dict[str, str] = field(default_factory=dict)
    hs_codes: dict[str, str] = field(default_factory=dict)  # canonical commodity -> HS code
    spelling: dict[str, str] = field(default_factory=dict)  # casefolded key -> a spelling to suggest

    def resolve(self, kind: str, value: str) -> str:
        """Canonical value, or ValueError naming the closest valid spelling."""
        table: dict[str, str] = getattr(self, kind)
        key = _key(value)
        if key in table:
            return table[key]
        guesses = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
        hint = f"; did you mean {self.spelling.get(guesses[0], guesses[0])!r}?" if guesses else ""
        singular = {"countries": "country", "commodities": "commodity", "technologies": "technology"}[kind]
        raise ValueError(f"unknown {singular} {value!r}{hint}")


def _key(value: str) -> str:
    return " ".join(value.casefold().replace("_", " ").split())


def _read(name: str) -> dict[str, Any] | None:
    path = LEXICON_DIR / f"{name}.yaml"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data if isinstance(data, dict) else None


def _aliases(entry: Any, keys: tuple[str, ...] = ("en", "zh", "ja")) -> list[str]:
    if not isinstance(entry, dict):
        return []
    return [str(alias) for key in keys for alias in (entry.get(key) or [])]


@functools.cache
def vocabulary() -> Vocabulary:
    vocab = Vocabulary()
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            if value := getattr(country, attr, None):
                vocab.countries.setdefault(_key(value), country.alpha_2)
    vocab.countries.update({_key(k): "EU" for k in ("EU", "European Union", "欧盟")})
    for code, entry in (_read("countries") or {}).items():
        # Names, adjectives and capitals; not institutions or companies (those are text cues, not places).
        for alias in _aliases(entry, ("name", "adj", "capital", "zh", "ja")):
            vocab.countries.setdefault(_key(alias), str(code))
    for kind, fallback in (("commodities", _FALLBACK_COMMODITIES), ("technologies", _FALLBACK_TECHNOLOGIES)):
        table: dict[str, str] = getattr(vocab, kind)
        for canonical, entry in (_read(kind) or fallback).items():
            table[_key(str(canonical))] = str(canonical)
            for alias in _aliases(entry):
                table.setdefault(_key(alias), str(canonical))
            if kind == "commodities" and isinstance(entry, dict) and entry.get("hs"):
                vocab.hs_codes[str(canonical)] = str(entry["hs"])
    _remember_spellings(vocab)
    return vocab


def _remember_spellings(vocab: Vocabulary) -> None:
    names = {country.alpha_2: country.name for country in pycountry.countries}
    for key, code in vocab.countries.items():
        vocab.spelling.setdefault(key, names.get(code, code) if len(key) > 3 else key.upper())
    for table in (vocab.commodities, vocab.technologies):
        for key, canonical in table.items():
            vocab.spelling.setdefault(key, canonical if key.isascii() else key)


def normalise_hs(code: str) -> str:
    """HS code digits only ("2811.29" -> "281129"), for prefix matching."""
    return code.replace(".", "").strip()
