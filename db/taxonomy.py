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
DIRECTIONS = ("restrictive", "liberalizing")
STAGES = ("proposed", "announced", "in_force", "lifted")
SOURCE_KINDS = ("official", "news", "other")
