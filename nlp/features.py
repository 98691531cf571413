"""Document analysis shared by training and tagging: language, gazetteer pass, hashed sparse features.

Sparse features are language-independent where it matters: a cue category (反倾销 and anti-dumping both
light `cue:investigation`) plus word n-grams for English and character n-grams for Chinese/Japanese, hashed
into a fixed space so the trained head needs no vocabulary file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.tokens import Doc

from nlp import langid
from nlp.components import Mention, pipeline
from nlp.dates import date_features, find_dates
from nlp.hashing import HASHES, JoinedHashes, hashed, prefixed_hashes, sorted_unique
from nlp.headline import headline_stage
from nlp.removal import removal_kind

TITLE_CHARS = 1_000
TEXT_CHARS = 20_000  # the gazetteer reads this much; the encoder reads less (its token cap)
_WORD = re.compile(r"[^\W\d_][\w\-]+")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def clean(text: str | None, limit: int) -> str:
    """Cap size and drop control characters / replacement chars (binary junk) before any analysis."""
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    return _CONTROL.sub(" ", text[:limit])


def detect_language(text: str, declared: str | None = None) -> str:
    """One of nlp.langid.SUPPORTED, from the text itself (lingua); the declared language breaks ties only."""
    return langid.detect(text, declared)


@dataclass
class Analysis:
    """One document after the gazetteer pass."""

    title: str
    text: str
    lang: str
    source_kind: str | None
    jurisdiction: str | None
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    title_chars: int = 0
    published: str | None = None  # YYYY-MM-DD: dates in the text are read relative to it
    _dates: list[dict[str, str]] | None = None

    def found_dates(self) -> list[dict[str, str]]:
        """find_dates over title + text, computed once per document (features and the result both use it)."""
        if self._dates is None:
            self._dates = find_dates(self.joined, self.published)
        return self._dates

    @property
    def joined(self) -> str:
        return f"{self.title}\n{self.text}"

    def in_title(self, mention: Mention) -> bool:
        return mention.start_char < self.title_chars


def analyse(docs: Sequence[tuple[str | None, ...]]) -> list[Analysis]:
    """docs: (title, text, language, source_kind, source_jurisdiction[, published]). Runs spaCy per language
    in batches."""
    return gazetteer_pass(prepare(docs))


def prepare(docs: Sequence[tuple[str | None, ...]]) -> list[Analysis]:
    """The first half of analyse: cleaned title and text, language, Chinese folded; no gazetteer pass yet.
    encoder_text() reads only this much, so the encoder can start before the gazetteer pass."""
    prepared: list[Analysis] = []
    for item in docs:
        title, text, language, kind, juris = item[:5]
        published = item[5] if len(item) > 5 else None
        t, x = clean(title, TITLE_CHARS), clean(text, TEXT_CHARS)
        lang = detect_language(f"{t}\n{x}", language)
        if lang == "zh":  # Traditional folded to Simplified: one Chinese lexicon serves both
            t, x = langid.to_simplified(t), langid.to_simplified(x)
        pub = published[:10] if isinstance(published, str) else None
        prepared.append(Analysis(t, x, lang, kind, juris, title_chars=len(t) + 1, published=pub))
    return prepared


def gazetteer_pass(prepared: list[Analysis]) -> list[Analysis]:
    """The second half of analyse: spaCy per language in batches fills mentions, cues and tokens."""
    for lang in langid.SUPPORTED:
        idx = [i for i, a in enumerate(prepared) if a.lang == lang]
        if not idx:
            continue
        nlp = pipeline(lang)
        for i, doc in zip(idx, nlp.pipe((prepared[i].joined for i in idx), batch_size=256), strict=True):
            prepared[i].mentions = list(doc._.cw_mentions)
            prepared[i].cues = list(doc._.cw_cues)
            prepared[i].tokens = _lower_forms(doc)
    return prepared


class _Strings(dict[int, str]):
    """String hash -> string, filled from a spaCy StringStore on a miss (hashes are the same in every
    pipeline's store): `map(cache.__getitem__, hashes)` then runs without a Python call per known token."""

    _MAX = 1 << 20

    def __init__(self) -> None:
        super().__init__()
        self.store: Any = None

    def __missing__(self, key: int) -> str:
        if len(self) >= self._MAX:
            self.clear()
        value = self[key] = self.store[key]
        return value


_LOWER = _Strings()


def _lower_forms(doc: Doc) -> list[str]:
    """Lowercase form of every token, from the LOWER array: no spaCy Token object is built per token."""
    _LOWER.store = doc.vocab.strings
    return list(map(_LOWER.__getitem__, doc.to_array("LOWER").tolist()))


NGRAM_CHARS = 6_000  # word and character n-grams are read from the first this many characters


def feature_names(a: Analysis) -> list[str]:
    """The document's sparse feature names (the reference; sparse_vector hashes the same set faster)."""
    names = [f"lang:{a.lang}", f"kind:{a.source_kind or 'unknown'}"]
    title_low = a.title.lower()
    if a.lang not in langid.CJK:
        words = _WORD.findall(a.joined.lower()[:NGRAM_CHARS])
        names += [f"w:{w}" for w in words]
        names += [f"b:{x} {y}" for x, y in zip(words, words[1:], strict=False)]
        names += [f"tw:{w}" for w in _WORD.findall(title_low)]
    else:
        for run in _CJK_RUN.findall(a.joined[:NGRAM_CHARS]):
            for n in (1, 2, 3):
                names += [f"c{n}:{run[i : i + n]}" for i in range(len(run) - n + 1)]
        names += [f"w:{w}" for w in _WORD.findall(a.joined.lower()[:NGRAM_CHARS])]
    return names + _evidence_names(a) + _date_names(a)


def _evidence_names(a: Analysis) -> list[str]:
    """Cue and mention features (a few per mention)."""
    names = []
    for cue in a.cues:
        names.append(f"cue:{cue.key}")
        names.append(f"cuetext:{cue.text.lower()}")
        if a.in_title(cue):
            names.append(f"cue_title:{cue.key}")
    for m in a.mentions:
        names.append(f"ent:{m.layer}")
        if m.layer == "country":
            names.append(f"ctry_kind:{m.kind}")
            if a.in_title(m):
                names.append(f"ctry_title:{m.kind}")
        elif a.in_title(m):
            names.append(f"ent_title:{m.layer}")
    countries = {m.key for m in a.mentions if m.layer == "country"}
    names.append(f"n_countries:{min(len(countries), 4)}")
    return names + headline_stage(a.title, a.lang) + removal_kind(a.title, a.text, a.lang)


def _date_names(a: Analysis) -> list[str]:
    return date_features(a.joined, a.published, a.found_dates())


# Date evidence (an effective date still ahead, "will take effect") is a handful of features among hundreds of
# n-grams; a larger value lets the stage head lean on it without a separate model.
DATE_FEATURE_WEIGHT = 3.0
# Stage cue categories (施行予定, 부터 시행, "will take effect", 解除した) are as few and as telling as the
# date evidence, and just as drowned among the character n-grams of a CJK notice.
STAGE_CUE_WEIGHT = 2.0  # chosen on our held-out split (2.0 over 1.0 and 3.0), not on the dev sets


_WORDS = prefixed_hashes("w:")
_TITLE_WORDS = prefixed_hashes("tw:")
_BIGRAMS = JoinedHashes("b:", " ")
_CHARS = [prefixed_hashes(f"c{n}:") for n in (1, 2, 3)]


def _lower_head(text: str, limit: int) -> str:
    """text.lower()[:limit], lowering only the head when that gives the same: İ (U+0130) is the one
    character lowered to two, and Σ (U+03A3) the one lowered by what follows it (final ς)."""
    head = text[:limit]
    return text.lower()[:limit] if "\u0130" in head or "\u03a3" in head else head.lower()


def _looked_up(cache: dict[Any, int], keys: Sequence[Any]) -> np.ndarray:
    return np.fromiter(map(cache.__getitem__, keys), dtype=np.int64, count=len(keys))


def _ngram_hashes(a: Analysis) -> list[np.ndarray]:
    """Hashed indices of feature_names' n-gram features (with repeats), the prefixes never concatenated."""
    low = _lower_head(a.joined, NGRAM_CHARS)
    if a.lang not in langid.CJK:
        words = _WORD.findall(low)
        return [
            _looked_up(_WORDS, words),
            _looked_up(_BIGRAMS, list(zip(words, words[1:], strict=False))),
            _looked_up(_TITLE_WORDS, _WORD.findall(a.title.lower())),
        ]
    grams: list[list[str]] = [[], [], []]
    for run in _CJK_RUN.findall(a.joined[:NGRAM_CHARS]):
        for n in (1, 2, 3):
            grams[n - 1] += [run[i : i + n] for i in range(len(run) - n + 1)]
    return [_looked_up(c, g) for c, g in zip(_CHARS, grams, strict=True)] + [
        _looked_up(_WORDS, _WORD.findall(low))
    ]


# The stage head reads the same features with its stage cues weighted further up: they decide stage, while for
# the type heads they are only a hint (weighting them up there costs type accuracy). Heavier dates made a
# removal "with immediate effect" read as in force. Chosen on our held-out split, not on the dev sets
# (docs/taxonomy.md).
STAGE_HEAD_CUE_WEIGHT = 6.0
STAGE_HEAD_DATE_WEIGHT = 3.0


def _vector_parts(a: Analysis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct hashed indices of set(feature_names(a)), and the positions among them of the stage-cue
    and of the date features."""
    dated = _date_names(a)
    evidence = _evidence_names(a)
    own = [f"lang:{a.lang}", f"kind:{a.source_kind or 'unknown'}", *evidence, *dated]
    idx = sorted_unique(np.concatenate([*_ngram_hashes(a), _looked_up(HASHES, own)]))
    staged = {name for name in evidence if name.startswith("cue:stage_")}
    at_staged = np.searchsorted(idx, hashed(staged)) if staged else np.zeros(0, dtype=np.int64)
    at_dated = np.searchsorted(idx, hashed(set(dated))) if dated else np.zeros(0, dtype=np.int64)
    return idx, at_staged, at_dated


def _weighted(
    parts: tuple[np.ndarray, np.ndarray, np.ndarray], cue_w: float, date_w: float
) -> tuple[np.ndarray, np.ndarray]:
    idx, at_staged, at_dated = parts
    vals = np.ones(len(idx), dtype=np.float32)
    vals[at_staged] = cue_w
    vals[at_dated] = date_w  # a hash shared with another feature keeps the date weight
    norm = float(np.sqrt((vals**2).sum())) or 1.0
    return idx, vals / norm


def sparse_vector(a: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Hashed binary features (date and stage-cue evidence weighted up), L2-normalised: (indices, values). The
    indices are those of set(feature_names(a)) (a notice repeats its words: each distinct feature once)."""
    return _weighted(_vector_parts(a), STAGE_CUE_WEIGHT, DATE_FEATURE_WEIGHT)


def sparse_vectors(a: Analysis) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(sparse_vector(a), the stage head's vector: the same indices, stage evidence weighted further up)."""
    parts = _vector_parts(a)
    return (
        _weighted(parts, STAGE_CUE_WEIGHT, DATE_FEATURE_WEIGHT),
        _weighted(parts, STAGE_HEAD_CUE_WEIGHT, STAGE_HEAD_DATE_WEIGHT),
    )


def encoder_text(a: Analysis) -> str:
    return f"{a.title}. {a.text}"[:3000]
