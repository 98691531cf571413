"""How likely an earlier measure is the cause of a new one (signals/retaliation.py stores the links).

score = 0.35·time + 0.25·sector + 0.25·subject + 0.15·type, each term in [0, 1]:
  time     exp(−days / 30): a response usually follows within days or weeks
  sector   Jaccard overlap of the two measures' sectors (signals/sectors.py)
  subject  Jaccard overlap of their commodities and technologies (exact names)
  type     1 same event type, 0.5 both technology controls (export control / entity listing), else 0
Candidates scoring below MIN_SCORE are not stored; an event keeps its KEEP best.

`score` is the definition; `ranked` computes the same terms for many candidates at once (the pass's hot
path) and `components` writes the explanation stored with each link.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.stories import event_time
from signals.public_date import PublicDate
from signals.sectors import sectors

TIME_SCALE_DAYS = 30.0
WEIGHTS = {"time": 0.35, "sector": 0.25, "subject": 0.25, "type": 0.15}
MIN_SCORE = 0.1
KEEP = 5
_TECH_CONTROLS = {"export_control", "entity_listing"}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def subjects(event: dict[str, Any]) -> set[str]:
    return {f"c:{c}" for c in event.get("commodities") or []} | {
        f"t:{t}" for t in event.get("technologies") or []
    }


def _when(event: dict[str, Any]) -> datetime:
    public = event.get("public")
    return public.when if isinstance(public, PublicDate) else event_time(event)


def score(new: dict[str, Any], prior: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """The score of `prior` as the cause of `new`, with its terms (for the explanation). Dated by their
    `public` key (a PublicDate) when present, else by publication."""
    days = max((_when(new) - _when(prior)).total_seconds() / 86400.0, 0.0)
    names_new = set(new.get("commodities") or []) | set(new.get("technologies") or [])
    names_prior = set(prior.get("commodities") or []) | set(prior.get("technologies") or [])
    terms = {
        "time": math.exp(-days / TIME_SCALE_DAYS),
        "sector": jaccard(sectors(names_new), sectors(names_prior)),
        "subject": jaccard(subjects(new), subjects(prior)),
        "type": type_term(new["event_type"], prior["event_type"]),
    }
    total = sum(WEIGHTS[k] * v for k, v in terms.items())
    return round(total, 4), {**{k: round(v, 4) for k, v in terms.items()}, "days": round(days, 2)}


@dataclass(frozen=True)
class Prior:
    """A candidate as scoring reads it, prepared once per pass."""

    row: dict[str, Any]  # the event_rows row with its "public" date, as score() takes it
    id: int
    document_id: str
    date: str  # the stored date (DOC_DATE), for the string range of the single-event query
    when: datetime  # public date
    event_type: str
    sectors: frozenset[str]
    subjects: frozenset[str]


def prior_of(row: dict[str, Any], public: PublicDate) -> Prior:
    names = set(row.get("commodities") or []) | set(row.get("technologies") or [])
    row = {**row, "public": public}
    date = row.get("date") or (row["published"] if row.get("published") is not None else row["fetched"])
    return Prior(row, int(row["id"]), str(row["document_id"]), str(date), public.when, str(row["event_type"]),
                  frozenset(sectors(names)), frozenset(subjects(row)))  # fmt: skip


def type_term(kind: str, other: str) -> float:
    return 1.0 if kind == other else 0.5 if {kind, other} <= _TECH_CONTROLS else 0.0


Terms = tuple[float, float, float, float, float]  # time, sector, subject, type, days: as score() has them


def ranked(event: dict[str, Any], priors: list[Prior]) -> list[tuple[Prior, float, Terms]]:
    """The KEEP best candidates, one per earlier document, as score() ranks them: by score, then fewer days,
    then event id; a document's best event wins (the lowest id among equal scores). Each with its score
    and unrounded terms, computed as score() computes them (same operations in the same order)."""
    when: datetime = event["public"].when
    kind = event["event_type"]
    names = set(event.get("commodities") or []) | set(event.get("technologies") or [])
    mine_sectors, mine_subjects = sectors(names), subjects(event)
    w_time, w_sector, w_subject, w_type = (WEIGHTS[k] for k in ("time", "sector", "subject", "type"))
    best: dict[str, tuple[float, float, int, Prior, Terms]] = {}
    for prior in priors:
        days = max((when - prior.when).total_seconds() / 86400.0, 0.0)
        either = mine_sectors | prior.sectors
        sector = len(mine_sectors & prior.sectors) / len(either) if either else 0.0
        either = mine_subjects | prior.subjects
        subject = len(mine_subjects & prior.subjects) / len(either) if either else 0.0
        kind_term = type_term(kind, prior.event_type)
        time_term = math.exp(-days / TIME_SCALE_DAYS)
        total = round(w_time * time_term + w_sector * sector + w_subject * subject + w_type * kind_term, 4)
        if total < MIN_SCORE:
            continue
        held = best.get(prior.document_id)
        if held is None or total > held[0] or (total == held[0] and prior.id < held[2]):
            best[prior.document_id] = (total, round(days, 2), prior.id, prior, (time_term, sector, subject,
                                                                                  kind_term, days))  # fmt: skip
    top = sorted(best.values(), key=lambda item: (-item[0], item[1], item[2]))[:KEEP]
    return [(item[3], item[0], item[4]) for item in top]


Link = tuple[int, int, int, float, float, str]  # event, prior event, rank, score, days, components
_QUOTED: dict[str, str] = {}  # JSON string literals of dates and bases, made once


def _quoted(text: str) -> str:
    if text not in _QUOTED:
        if len(_QUOTED) > 10_000:
            _QUOTED.clear()
        _QUOTED[text] = json.dumps(text)
    return _QUOTED[text]


def components(terms: Terms, public: PublicDate, prior_public: PublicDate) -> str:
    """json.dumps(score()'s terms + the two dates, sort_keys=True), written out: the keys are fixed and
    every value is a float (repr, as json writes floats) or a string."""
    time_term, sector, subject, kind_term, days = terms
    return (
        f'{{"days": {round(days, 2)!r}, "prior_public": {_quoted(prior_public.day)},'
        f' "prior_public_basis": {_quoted(prior_public.basis)}, "public": {_quoted(public.day)},'
        f' "public_basis": {_quoted(public.basis)}, "sector": {round(sector, 4)!r},'
        f' "subject": {round(subject, 4)!r}, "time": {round(time_term, 4)!r}, "type": {round(kind_term, 4)!r}}}'
    )


def links_of(event: dict[str, Any], best: list[tuple[Prior, float, Terms]]) -> list[Link]:
    public = event["public"]
    return [
        (
            int(event["id"]),
            prior.id,
            rank,
            total,
            round(terms[4], 2),
            components(terms, public, prior.row["public"]),
        )
        for rank, (prior, total, terms) in enumerate(best, start=1)
    ]
