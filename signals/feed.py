"""Partner feed: JSON Feed 1.1 and Atom 1.0 (RFC 4287) of high-confidence or analyst-confirmed measures.

One item per document (its event types as tags), with a stable id from the document id (itself from the
publisher's URL or notice number), the official source URL, a sharing label and a review state:
  sharing   TLP:CLEAR / TLP:GREEN / TLP:AMBER — set per document (`cwatch share`), else the strictest
            `sharing` of the watchlists that alerted on it, else the feed default (TLP:CLEAR: public sources)
  review    confirmed / rejected from analyst feedback (👍/👎 votes in alert_labels, human labels from
            `cwatch review`), else machine. Rejected items stay in the feed so partners can retract them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db import outbox
from db.store import event_views
from db.taxonomy import EVENT_LABELS as TYPE_LABELS

TLP_ORDER = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
EXT_SCHEME = "https://coercion-watch.org/ns/feed/"  # category schemes: …/sharing, …/review, …/type
MIN_CONFIDENCE = 0.8
MAX_ITEMS = 500
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedOptions:
    base_url: str = "https://coercion-watch.invalid/feed/"
    title: str = "coercion-watch: economic coercion measures"
    min_confidence: float = MIN_CONFIDENCE
    default_tlp: str = "TLP:CLEAR"
    max_tlp: str = "TLP:AMBER"  # items labelled stricter than this are left out
    limit: int = MAX_ITEMS


def rfc3339(value: str | None) -> str:
    """An RFC 3339 date-time (dates alone read as midnight UTC; naive times as UTC)."""
    text = (value or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def review_states(db: Database) -> dict[str, str]:
    """confirmed / rejected per document from analyst votes and human labels (a human label wins)."""
    states: dict[str, str] = {}
    for doc, up, down in db.execute(
        "SELECT document_id, sum(up), sum(down) FROM alert_labels GROUP BY document_id"
    ).fetchall():
        if up != down:
            states[doc] = "confirmed" if up > down else "rejected"
    for doc, types in db.execute("SELECT document_id, event_types FROM human_labels").fetchall():
        states[doc] = "rejected" if json.loads(types) in (["none"], []) else "confirmed"
    return states


def sharing_labels(db: Database, watchlist_tlp: dict[str, str], default: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for doc, watchlist in db.execute("SELECT DISTINCT document_id, watchlist FROM alerts").fetchall():
        tlp = watchlist_tlp.get(watchlist)
        if tlp and TLP_ORDER.index(tlp) > TLP_ORDER.index(labels.get(doc, default)):
            labels[doc] = tlp
    for doc, tlp in db.execute("SELECT document_id, tlp FROM event_sharing").fetchall():
        labels[doc] = tlp  # set for this document by an analyst: overrides the watchlists
    return labels


def feed_items(db: Database, options: FeedOptions, watchlist_tlp: dict[str, str] | None = None) -> list[dict]:
    """The feed's items, newest first, as plain dicts (both formats are rendered from these)."""
    reviews = review_states(db)
    labels = sharing_labels(db, watchlist_tlp or {}, options.default_tlp)
    docs: dict[str, dict[str, Any]] = {}
    for event in event_views(db):
        doc = event["document_id"]
        review = reviews.get(doc, "machine")
        if float(event["confidence"] or 0) < options.min_confidence and review != "confirmed":
            continue
        item = docs.setdefault(
            doc, {**event, "types": [], "review": review, "tlp": labels.get(doc, options.default_tlp)}
        )
        item["types"].append(event["event_type"])
        item["confidence"] = max(float(item["confidence"]), float(event["confidence"]))
    allowed = TLP_ORDER[: TLP_ORDER.index(options.max_tlp) + 1]
    items = [i for i in docs.values() if i["tlp"] in allowed]
    items.sort(
        key=lambda i: (rfc3339(i.get("published") or i.get("fetched")), i["document_id"]), reverse=True
    )
    return items[: options.limit]


def item_id(document_id: str) -> str:
    return f"tag:coercion-watch.org,2025:document:{document_id}"


def summary(item: dict[str, Any]) -> str:
    types = ", ".join(TYPE_LABELS.get(t, t) for t in item["types"])
    parts = [f"{types}: {item.get('imposing') or '?'} → {', '.join(item.get('targets') or []) or 'all'}"]
    if item.get("commodities"):
        parts.append("commodities: " + ", ".join(item["commodities"]))
    if item.get("technologies"):
        parts.append("technologies: " + ", ".join(item["technologies"]))
    parts.append(f"stage: {item.get('stage') or 'unknown'}; confidence {float(item['confidence']):.2f}")
    parts.append(f"sharing: {item['tlp']}; review: {item['review']}")
    return _clean(". ".join(parts))


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text or "")


def json_feed(items: list[dict[str, Any]], options: FeedOptions) -> dict[str, Any]:
    return {
        "version": JSONFEED_VERSION,
        "title": options.title,
        "home_page_url": options.base_url,
        "feed_url": options.base_url + "feed.json",
        "description": "Measures of economic coercion found in official sources; sharing per TLP 2.0.",
        "authors": [{"name": "coercion-watch"}],
        "items": [
            _without_nulls(
                {
                    "id": item_id(item["document_id"]),
                    "url": item["url"],
                    "title": _clean(item.get("title") or ""),
                    "content_text": summary(item),
                    "date_published": rfc3339(item.get("published") or item.get("fetched")),
                    "date_modified": rfc3339(item.get("created_at") or item.get("fetched")),
                    "language": item.get("language") or None,
                    "tags": [*item["types"], item["tlp"], f"review:{item['review']}"],
                    "_coercion_watch": {
                        "sharing": item["tlp"],
                        "review_state": item["review"],
                        "event_types": item["types"],
                        "imposing": item.get("imposing"),
                        "targets": item.get("targets") or [],
                        "commodities": item.get("commodities") or [],
                        "technologies": item.get("technologies") or [],
                        "stage": item.get("stage"),
                        "confidence": round(float(item["confidence"]), 4),
                        "source": item.get("source"),
                    },
                }
            )
            for item in items
        ],
    }


def _without_nulls(item: dict[str, Any]) -> dict[str, Any]:
    """JSON Feed fields are optional but, when present, must have their type: leave out empty ones."""
    return {key: value for key, value in item.items() if value is not None}


def atom_feed(items: list[dict[str, Any]], options: FeedOptions, feed_id: str) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _clean(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", options.title)
    updated = max((rfc3339(i.get("created_at") or i.get("fetched")) for i in items), default=None)
    sub(feed, "updated", updated or rfc3339(datetime.now(UTC).isoformat()))
    sub(feed, "link", rel="self", type="application/atom+xml", href=options.base_url + "feed.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=options.base_url)
    author = sub(feed, "author")
    sub(author, "name", "coercion-watch")
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", item_id(item["document_id"]))
        sub(entry, "title", item.get("title") or "(untitled)", type="text")
        sub(entry, "updated", rfc3339(item.get("created_at") or item.get("fetched")))
        sub(entry, "published", rfc3339(item.get("published") or item.get("fetched")))
        sub(entry, "link", rel="alternate", href=item["url"])
        sub(entry, "summary", summary(item), type="text")
        for event_type in item["types"]:
            sub(entry, "category", term=event_type, scheme=EXT_SCHEME + "type")
        sub(entry, "category", term=item["tlp"], scheme=EXT_SCHEME + "sharing")
        sub(entry, "category", term=item["review"], scheme=EXT_SCHEME + "review")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_feeds(
    db: Database,
    out_dir: str | Path,
    options: FeedOptions | None = None,
    watchlist_tlp: dict[str, str] | None = None,
) -> tuple[Path, Path, int]:
    """Write feed.json and feed.atom into `out_dir`; returns their paths and the item count."""
    options = options or FeedOptions()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    items = feed_items(db, options, watchlist_tlp)
    json_path, atom_path = out / "feed.json", out / "feed.atom"
    json_path.write_text(
        json.dumps(json_feed(items, options), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    feed_id = f"tag:coercion-watch.org,2025:feed:{outbox.stored_instance_id(db)}"
    atom_path.write_bytes(atom_feed(items, options, feed_id))
    return json_path, atom_path, len(items)


def set_sharing(db: Database, document_id: str, tlp: str) -> bool:
    if tlp not in TLP_ORDER:
        raise ValueError(f"sharing label must be one of {', '.join(TLP_ORDER)}")
    if not db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
        return False
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO event_sharing (document_id, tlp, set_at) VALUES (?, ?, ?)",
            [document_id, tlp, outbox.now_iso()],
        )
    return True
