"""Documents from another system or by hand (JSONL) enter the store like crawled ones."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from db.records import DocumentRecord, SourceMeta
from db.store import store_document, upsert_source, utcnow
from db.textnorm import clean_title, strip_controls

MAX_TEXT_CHARS = 200_000  # same cap as crawled pages: keep one bad line from bloating the store
REQUIRED = ("title", "text", "url", "source")


@dataclass
class IngestReport:
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _record(obj: Any) -> DocumentRecord:
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    missing = [k for k in REQUIRED if not isinstance(obj.get(k), str) or not obj[k].strip()]
    if missing:
        raise ValueError(f"missing or empty field(s): {', '.join(missing)}")
    published = obj.get("published")
    if published is not None and (not isinstance(published, str) or not _is_iso(published)):
        raise ValueError(
            f"published {str(published)[:40]!r} is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00) or null"
        )
    notice = obj.get("notice_number")
    if notice is not None and not isinstance(notice, str):
        raise ValueError("notice_number must be a string or null")
    _check_encodable(obj)
    return DocumentRecord(
        source=obj["source"].strip(),
        url=obj["url"].strip(),
        title=clean_title(obj["title"]),
        text=strip_controls(obj["text"][:MAX_TEXT_CHARS]),
        language=str(obj.get("language") or "und"),
        published=published,
        fetched=utcnow(),
        notice_number=obj.get("notice_number") or None,
    )


def _is_iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return len(value.strip()) >= 10  # a bare year or "2024-8" is not a publication date


def _check_encodable(obj: dict[str, Any]) -> None:
    """JSON may escape lone surrogates ("\\ud800"); they cannot be stored as UTF-8 text."""
    for key, value in obj.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"field {key!r} holds a lone surrogate (\\u{ord(value[exc.start]):04x})"
                ) from None


def _parse(line: str) -> Any:
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None


def ingest_jsonl(db: Any, path: Path, *, source_kind: str = "other") -> IngestReport:
    """Store each valid line; bad lines are reported with their line number and skipped."""
    report = IngestReport()
    seen_sources: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            report.read += 1
            try:
                doc = _record(_parse(line))
            except ValueError as exc:
                report.errors.append(f"{path}:{lineno}: {exc}")
                continue
            if doc.source not in seen_sources:
                _ensure_source(db, doc.source, doc.language, source_kind)
                seen_sources.add(doc.source)
            outcome = store_document(db, doc)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _ensure_source(db: Any, slug: str, language: str, kind: str) -> None:
    """Known sources keep their metadata; unknown ones are registered as manual ingests."""
    if db["sources"].count_where("slug = ?", [slug]) == 0:
        upsert_source(
            db, SourceMeta(slug=slug, publisher=slug, jurisdiction="XX", language=language, kind=kind)
        )
