"""The taxonomy: the contract between nlp, db, alerts, watchlists and evaluation (DESIGN.md, Taxonomy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    """One measure type and everything other stages need to know about it, so a new label is one entry here
    (plus its lexicon cues and training examples): nothing else enumerates the labels."""

    name: str
    label: str  # how people read it: alert headers, feed entries, charts
    colour: str  # its colour in every chart, stable across weeks
    escalation_weight: float  # how much one such measure raises the escalation index (signals/escalation.py)
    header_rank: int  # alert headers name the most specific measure first (lower = more specific)
    subsumes: frozenset[str] = frozenset()  # broader types a header leaves out when this one is present


TAXONOMY = (
    # An Entity List rule is an export control too, and is headed "Entity listing".
    EventType("export_control", "Export control", "#1f77b4", 3.0, 5),
    EventType("entity_listing", "Entity listing", "#ff7f0e", 2.0, 0, frozenset({"export_control"})),
    EventType("investigation", "Investigation", "#2ca02c", 1.0, 1),
    EventType("tariff", "Tariff", "#d62728", 2.0, 2),
    EventType("market_access", "Market access", "#9467bd", 2.0, 4),
    EventType("investment_restriction", "Investment restriction", "#8c564b", 2.0, 3),
)
EVENT_TYPES = tuple(t.name for t in TAXONOMY)
EVENT_SPECS = {t.name: t for t in TAXONOMY}
EVENT_LABELS = {t.name: t.label for t in TAXONOMY}
DIRECTIONS = ("restrictive", "liberalizing")
STAGES = ("proposed", "announced", "in_force", "lifted")
SOURCE_KINDS = ("official", "news", "other")

# Kinds of semiconductor technology that are listed alone when named: "semiconductors" is the generic entry,
# for chips themselves (docs/taxonomy.md, "Technologies"). Tagging keeps only the most specific; anyone
# watching the generic term still sees events on its kinds.
SEMICONDUCTOR_KINDS = frozenset(
    {"semiconductor manufacturing equipment", "lithography", "advanced computing", "high bandwidth memory"}
)


def most_specific_technologies(technologies: list[str]) -> list[str]:
    """Drop the generic 'semiconductors' when a more specific kind of it is named."""
    if SEMICONDUCTOR_KINDS.intersection(technologies):
        return [t for t in technologies if t != "semiconductors"]
    return technologies


def with_broader_technologies(technologies: list[str]) -> set[str]:
    """The technologies an event is about, plus the generic entries they are kinds of."""
    broader = {"semiconductors"} if SEMICONDUCTOR_KINDS.intersection(technologies) else set()
    return set(technologies) | broader
