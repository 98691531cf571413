"""The numbers behind the report's charts, shaped for reading: canonical commodity names, measures aimed
at all countries, and the span of months worth drawing."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlite_utils import Database

from db.queries import EventFilter, events_source, top_items
from watchlists.vocab import vocabulary

ALL_COUNTRIES = "all countries"
# Words a tagger keeps from trade-remedy prose ("dumped polyester yarn", "unfairly subsidised electric
# vehicles"): they describe the allegation, not the product, and split one product into several names.
_REMEDY_WORDS = re.compile(
    r"^(?:(?:unfairly|allegedly|certain|dumped|subsidi[sz]ed|imported|imports of|low-priced)\s+)+", re.I
)
MAX_GAP_MONTHS = 12  # a run of empty months this long cuts off a few stray early or late measures
STRAY_SHARE = 0.05  # ... when the cut-off part holds at most this share of the measures


def canonical_commodity(name: str) -> str:
    """The lexicon's canonical name when the phrase is a known alias (the vocabulary watchlists use),
    otherwise the phrase without its allegation words."""
    phrase = " ".join(_REMEDY_WORDS.sub("", name.strip()).casefold().split())
    return vocabulary().commodities.get(phrase, phrase)


def top_commodities(db: Database, flt: EventFilter, limit: int = 10) -> list[dict[str, Any]]:
    """The most frequent commodities under their canonical names (variants and artefacts merged)."""
    counts: Counter[str] = Counter()
    for row in top_items(db, "commodity", flt, limit=10_000):
        counts[canonical_commodity(row["name"])] += row["n"]
    return [{"name": n, "n": c} for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def untargeted_counts(db: Database, flt: EventFilter) -> list[dict[str, Any]]:
    """Measures per imposing country that name no target: they apply to all countries."""
    events = events_source(db)
    where, params = flt.where(events)
    sql = f"""
        SELECT e.imposing, '{ALL_COUNTRIES}' AS target, count(*) AS n FROM {events.source}
        WHERE {where} AND e.imposing IS NOT NULL AND e.event_type != 'none'
          AND NOT EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = {events.id})
        GROUP BY e.imposing ORDER BY n DESC, e.imposing
    """
    return list(db.query(sql, params))


def _index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def trim_months(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Drop stray months at either end: separated from the rest by MAX_GAP_MONTHS or more empty months
    and holding at most STRAY_SHARE of the measures. Returns the rows kept and how many measures left."""
    per_month: Counter[str] = Counter()
    for r in rows:
        if r["month"] and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", r["month"]):
            per_month[r["month"]] += r["n"]
    months = sorted(per_month)
    total = sum(per_month.values())
    lo, hi = 0, len(months)
    while True:
        cut = False
        for i in range(lo, hi - 1):  # a gap after month i: cut months lo..i if they are few
            if _index(months[i + 1]) - _index(months[i]) > MAX_GAP_MONTHS:
                if sum(per_month[m] for m in months[lo : i + 1]) <= STRAY_SHARE * total:
                    lo, cut = i + 1, True
                break
        for i in range(hi - 1, lo, -1):  # a gap before month i: cut months i..hi-1 if they are few
            if _index(months[i]) - _index(months[i - 1]) > MAX_GAP_MONTHS:
                if sum(per_month[m] for m in months[i:hi]) <= STRAY_SHARE * total:
                    hi, cut = i, True
                break
        if not cut:
            break
    kept = set(months[lo:hi])
    left_out = sum(n for m, n in per_month.items() if m not in kept)
    return [r for r in rows if r["month"] in kept], left_out
