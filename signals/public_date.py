"""When a measure was first made public, and how we know.

A publication date can trail the announcement by days: the Federal Register prints a rule three days
after it went on public inspection (and after the agency's press release), so dating by publication
would make the answer to a measure look older than the measure. Candidates, earliest wins:
  - the document's own date (its publisher's announcement or press release, or a journal's issue date);
  - in Federal Register text, the public-inspection filing line "[FR Doc. … Filed 12-2-24; 4:15 pm]",
    or, without one, the signing line "Dated: November 27, 2024";
  - the earliest document of its story (the same development reported by other sources) dated at most
    STORY_REACH_DAYS before it, so a long-running story never dates a new measure by an old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from db.stories import event_time, parse_time

STORY_REACH_DAYS = 14
_WASHINGTON = ZoneInfo("America/New_York")  # where the Federal Register's clock runs
_FILED = re.compile(
    r"\[FR\s+Doc\.?\s*[\d–-]+\s+Filed\s+(\d{1,2})[-–](\d{1,2})[-–](\d{2,4});?\s*(?:(\d{1,2}):(\d{2})\s*([ap])\.?m)?",
    re.IGNORECASE,
)
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_DATED = re.compile(r"\bDated:\s+(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),\s+(\d{4})")


@dataclass(frozen=True)
class PublicDate:
    when: datetime
    basis: str  # how the date was found, said in alerts ("Federal Register public inspection", ...)

    @property
    def day(self) -> str:
        return self.when.date().isoformat()


def _filed(text: str) -> datetime | None:
    match = _FILED.search(text or "")
    if not match:
        return None
    month, day, year = int(match[1]), int(match[2]), int(match[3])
    year += 2000 if year < 100 else 0
    hour, minute = (
        (int(match[4]) % 12 + (12 if match[6].lower() == "p" else 0), int(match[5])) if match[4] else (0, 0)
    )
    try:
        return datetime(year, month, day, hour, minute, tzinfo=_WASHINGTON)
    except ValueError:
        return None


def _signed(text: str) -> datetime | None:
    match = _DATED.search(text or "")
    if not match:
        return None
    try:
        return datetime(int(match[3]), _MONTHS.index(match[1]) + 1, int(match[2]), tzinfo=_WASHINGTON)
    except ValueError:
        return None


def _publisher(db: Database, slug: str | None) -> str:
    row = db.execute("SELECT publisher FROM sources WHERE slug = ?", [slug]).fetchone() if slug else None
    return str(row[0]) if row else str(slug or "its publisher")


def _story_earliest(db: Database, document_id: str, own: datetime) -> tuple[datetime, str] | None:
    rows = db.execute(
        "SELECT d.published, d.fetched, d.source FROM story_members m JOIN story_members o ON o.story_id = m.story_id"
        " JOIN documents d ON d.id = o.document_id WHERE m.document_id = ? AND o.document_id != ?",
        [document_id, document_id],
    ).fetchall()
    best: tuple[datetime, str] | None = None
    for published, fetched, source in rows:
        when = parse_time(published) or parse_time(fetched)
        if when and own - timedelta(days=STORY_REACH_DAYS) <= when < own and (best is None or when < best[0]):
            best = (when, source)
    return best


def public_parts(db: Database, event: dict[str, Any]) -> tuple[datetime, str, str | None]:
    """(when, basis kind, source slug the basis names): what signals/public_cache.py stores."""
    own = event_time(event)
    best: tuple[datetime, str, str | None] = (own, "own", event.get("source"))
    text = event.get("text") or ""
    filed = _filed(text)
    if filed is not None and filed < best[0]:
        best = (filed, "filed", None)
    elif filed is None and (signed := _signed(text)) is not None and signed < best[0]:
        best = (signed, "signed", None)
    story = _story_earliest(db, event["document_id"], own) if event.get("document_id") else None
    if story is not None and story[0] < best[0]:
        best = (story[0], "story", story[1])
    return best[0].astimezone(UTC), best[1], best[2]


def described(
    db: Database, when: datetime, kind: str, slug: str | None, names: dict[str, str] | None = None
) -> PublicDate:
    """The PublicDate of a stored (when, kind, slug), its basis said with the publisher's current name
    (`names`, filled in place, keeps the names a pass already looked up)."""
    if kind in ("own", "story"):
        names = {} if names is None else names
        key = slug or ""
        if key not in names:
            names[key] = _publisher(db, slug)
        name = names[key]
    if kind == "filed":
        return PublicDate(when, "Federal Register public inspection")
    if kind == "signed":
        return PublicDate(when, "signing date in the Federal Register")
    if kind == "story":
        return PublicDate(when, f"earliest report of its story ({name})")
    return PublicDate(when, f"published by {name}")


def first_public(db: Database, event: dict[str, Any]) -> PublicDate:
    """The earliest date at which the event's measure was public (see the module docstring)."""
    return described(db, *public_parts(db, event))
