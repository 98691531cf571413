"""The taxonomy: the contract between nlp, db, alerts, watchlists and evaluation (DESIGN.md, Taxonomy)."""

from __future__ import annotations

EVENT_TYPES = (
    "export_control",
    "entity_listing",
    "investigation",
    "tariff",
    "market_access",
    "investment_restriction",
)
# How people read each type (alert headers, feed entries, charts): every event type has one.
EVENT_LABELS = {
    "export_control": "Export control",
    "entity_listing": "Entity listing",
    "investigation": "Investigation",
    "tariff": "Tariff",
    "market_access": "Market access",
    "investment_restriction": "Investment restriction",
}
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
