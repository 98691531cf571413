"""The event store: the only hub between crawlers, nlp and alerts (DESIGN.md, data flow)."""

from db.store import open_db

__all__ = ["open_db"]
