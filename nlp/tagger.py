"""The tagger: gazetteer pass + frozen encoder + trained heads + role/stage decoding, batched.

tagger = Tagger.load()                       # once per process (~3 s)
results = tagger.tag([TagInput(title, text, language=None, source_kind="official", ...)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from db.records import EventRecord
from nlp import extract, values
from nlp.background import in_background, short_switch_interval
from nlp.data import EVENT_TYPES, STAGES
from nlp.encoder import SentenceEncoder, check_heads, load_encoder
from nlp.features import Analysis, encoder_text, gazetteer_pass, prepare, sparse_vectors
from nlp.inputs import TagInput
from nlp.model import DIRECTION_HEAD, ROLE_HEAD, STAGE_HEAD, TYPE_HEAD, VALUE_HEAD, Heads
from nlp.roles import decode_roles, role_rows

__all__ = ["TagInput", "TagResult", "Tagger"]

_ENCODERS: dict[str, SentenceEncoder] = {}
TYPE_THRESHOLD = 0.5
RELEVANCE_THRESHOLD = 0.5
TARGET_THRESHOLD = 0.5
VALUE_THRESHOLD = 0.5
PUBLISHER_PRIOR = (
    1.0  # logit bonus for the publisher's own jurisdiction as imposer (official sources): breaks near-ties
)


# (imposing, targets, commodities with HS codes, technologies) of one document: Tagger.objects
SparseRow = tuple[np.ndarray, np.ndarray]  # (indices, values) of a hashed feature row
Objects = tuple[str | None, list[str], list[tuple[str, str | None]], list[str]]


@dataclass
class TagResult:
    events: list[EventRecord]
    language: str
    relevance: float
    type_scores: dict[str, float] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, str]] = field(default_factory=list)

    @property
    def event_types(self) -> list[str]:
        return [e.event_type for e in self.events] or ["none"]

    @property
    def confidence(self) -> float:
        """How sure the tagger is of its decision (measure or not): low values go to `cwatch review`."""
        return max(self.relevance, 1.0 - self.relevance)


def embed_scaled(emb: np.ndarray, meta: dict) -> np.ndarray:
    return emb * float(meta.get("dense_weight", 1.0))


def sparse_scaled(
    rows: list[tuple[np.ndarray, np.ndarray]], meta: dict
) -> list[tuple[np.ndarray, np.ndarray]]:
    w = float(meta.get("sparse_weight", 1.0))
    return [(i, v * w) for i, v in rows]


def decode_direction_stage(lib_p: float, stage_p: np.ndarray, labels: list[str]) -> tuple[str, str]:
    """Joint choice of direction and stage: a `lifted` measure is always liberalizing (removing or suspending a
    restriction), so the pair (restrictive, lifted) is ruled out and the most probable allowed pair wins."""
    best: tuple[float, str, str] = (-1.0, "restrictive", labels[int(np.argmax(stage_p))])
    for direction, p_dir in (("liberalizing", lib_p), ("restrictive", 1.0 - lib_p)):
        for label, p_stage in zip(labels, stage_p, strict=True):
            if label == "lifted" and direction == "restrictive":
                continue
            if p_dir * float(p_stage) > best[0]:
                best = (p_dir * float(p_stage), direction, label)
    return best[1], best[2]


class Tagger:
    def __init__(self, encoder: SentenceEncoder, heads: Heads) -> None:
        self.encoder = encoder
        self.heads = heads
        self.model_version = f"{heads.version}+{encoder.name}"
        # False: the plain sequential order (gazetteer pass, then encoder, then decoding), same results;
        # bench/tag.py --sequential times both orders in one run.
        self.overlap = True

    @classmethod
    def load(cls, encoder: str | None = None, artefacts: str | None = None) -> Tagger:
        """Load once per process: the encoder is shared by every tagger that names the same one.

        `encoder` is the `model.encoder` setting (nlp/encoder.py); heads trained on another one are refused."""
        heads = Heads.load(Path(artefacts) if artefacts else None)
        key = encoder or ""
        if key not in _ENCODERS:
            _ENCODERS[key] = load_encoder(encoder)
        check_heads(_ENCODERS[key], heads.meta, artefacts or "nlp/artefacts")
        return cls(_ENCODERS[key], heads)

    def tag(self, docs: Sequence[TagInput], batch_size: int = 64) -> list[TagResult]:
        if not docs:
            return []
        prepared = prepare(
            [(d.title, d.text, d.language, d.source_kind, d.source_jurisdiction, d.published) for d in docs]
        )
        # The encoder window needs only the cleaned text: the encoder runs in a worker thread while this
        # thread does the gazetteer pass and the sparse features (nlp/background.py).
        windows = [encoder_text(a) for a in prepared]
        if not self.overlap:
            analyses = gazetteer_pass(prepared)
            return self.decode(analyses, self.encoder.encode(windows, batch_size=batch_size))
        with short_switch_interval():
            pending = in_background(self.encoder.encode, windows, batch_size)
            analyses = gazetteer_pass(prepared)
            sparse = [sparse_vectors(a) for a in analyses]
            # Roles and values need no scores: read ahead while the encoder still runs. A document found
            # not relevant wastes that work, so it stops when the encoder is done (the rest on demand).
            found: list[Objects | None] = [None] * len(analyses)
            for i, a in enumerate(analyses):
                if pending.done():
                    break
                if a.title.strip() or a.text.strip():
                    found[i] = self.objects(a)
            emb = pending.result()
        return self.decode(analyses, emb, sparse, found)

    def decode(
        self,
        analyses: list[Analysis],
        emb: np.ndarray,
        sparse_rows: list[tuple[SparseRow, SparseRow]] | None = None,
        found: Sequence[Objects | None] | None = None,
    ) -> list[TagResult]:
        """Results from analyses and their embeddings; `sparse_rows` (their sparse_vectors rows) and `found`
        (their objects(), None where not read yet) when the caller has them already."""
        meta = self.heads.meta
        dense = embed_scaled(emb, meta)
        if sparse_rows is None:
            sparse_rows = [sparse_vectors(a) for a in analyses]
        sparse = sparse_scaled([r for r, _ in sparse_rows], meta)
        h = self.heads.heads
        types = h[TYPE_HEAD].scores(dense, sparse)
        direction = h[DIRECTION_HEAD].scores(dense, sparse)[:, 0]
        stages = h[STAGE_HEAD].scores(dense, sparse_scaled([r for _, r in sparse_rows], meta))
        results = []
        for i, a in enumerate(analyses):
            ahead = found[i] if found is not None else None
            results.append(self._one(a, types[i], float(direction[i]), stages[i], ahead))
        return results

    def _one(
        self, a: Analysis, type_p: np.ndarray, lib_p: float, stage_p: np.ndarray, ahead: Objects | None
    ) -> TagResult:
        labels = self.heads.heads[TYPE_HEAD].labels
        scores = {label: float(p) for label, p in zip(labels, type_p, strict=True)}
        relevance = scores.pop("relevant")
        entities = [
            {"layer": m.layer, "key": m.key, "kind": m.kind, "text": m.text, "start": m.start_char}
            for m in a.mentions
        ]
        result = TagResult([], a.lang, relevance, scores, entities, extract.dates(a))
        if relevance < RELEVANCE_THRESHOLD or not (a.title.strip() or a.text.strip()):
            return result
        chosen = [t for t in EVENT_TYPES if scores[t] >= TYPE_THRESHOLD]
        if not chosen:
            chosen = [max(EVENT_TYPES, key=lambda t: scores[t])]
        imposing, targets, commodities, technologies = ahead if ahead is not None else self.objects(a)
        direction, stage = decode_direction_stage(lib_p, stage_p, self.heads.heads[STAGE_HEAD].labels)
        for t in chosen:
            result.events.append(
                EventRecord(
                    event_type=t,
                    confidence=round(min(scores[t], 1.0) * relevance, 4),
                    direction=direction,
                    imposing=imposing,
                    stage=stage if stage in STAGES else None,
                    targets=list(targets),
                    commodities=list(commodities),
                    technologies=list(technologies),
                )
            )
        return result

    def objects(self, a: Analysis) -> Objects:
        """Imposing country, targets, commodities and technologies: read from the analysis alone (no type,
        direction or stage score), so the tagger can work them out before the embeddings are ready."""
        imposing, targets = self.roles(a)
        keep = self._value_filter(a)
        return imposing, targets, extract.commodities(a, keep), extract.technologies(a, keep)

    def _value_filter(self, a: Analysis) -> extract.Keep | None:
        head = self.heads.heads.get(VALUE_HEAD)
        cands, rows = values.value_rows(a)  # == role_vector(Candidate("", f), "value") per value_candidates
        if head is None or not cands:
            return None
        probs = head.scores(None, rows)[:, 0]
        kept = {cand for cand, p in zip(cands, probs, strict=True) if p >= VALUE_THRESHOLD}
        return lambda layer, key: (layer, key) in kept

    def roles(self, a: Analysis) -> tuple[str | None, list[str]]:
        codes, rows = role_rows(a)  # == [role_vector(c) for c in candidates(a)]
        juris = a.jurisdiction if a.jurisdiction not in (None, "", "XX") else None
        if not codes:
            return juris, []
        probs = self.heads.heads[ROLE_HEAD].scores(None, rows)
        # Prior: a government site mostly publishes its own measures. A bonus, not an override, so a
        # MOFCOM statement about a US rule can still name the US as the imposer.
        official = juris is not None and a.source_kind == "official"
        bonus = np.array([PUBLISHER_PRIOR if official and code == juris else 0.0 for code in codes])
        return decode_roles(codes, probs, bonus, TARGET_THRESHOLD)
