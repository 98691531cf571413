"""Export events with their documents as CSV, JSON or JSON Lines.

JSON and JSONL keep the nested shape (an event with its `document` and `source`); CSV flattens it,
joining lists with ";" (commodities as `name:hs_code`). Every row carries the stable `key`
(document id + event type) and the document's and source's URLs.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils import Database

from db.queries import EventFilter, export_rows
from research.formats import csv_safe
from research.search import country_codes

FORMATS = ("csv", "json", "jsonl")
CSV_COLUMNS = [
    "key",
    "event_id",
    "event_type",
    "direction",
    "imposing",
    "targets",
    "commodities",
    "technologies",
    "stage",
    "confidence",
    "model_version",
    "document_id",
    "title",
    "url",
    "notice_number",
    "language",
    "published",
    "fetched",
    "source",
    "publisher",
    "source_url",
    "source_kind",
]


def nested(row: dict[str, Any], with_text: bool = False) -> dict[str, Any]:
    document = {
        "id": row["document_id"],
        "title": row["title"],
        "url": row["url"],
        "notice_number": row["notice_number"],
        "language": row["language"],
        "published": row["published"],
        "fetched": row["fetched"],
    }
    if with_text:
        document["text"] = row["text"]
    return {
        "key": row["key"],
        "event_id": row["event_id"],
        "event_type": row["event_type"],
        "direction": row["direction"],
        "imposing": row["imposing"],
        "targets": row["targets"],
        "commodities": row["commodities"],
        "technologies": row["technologies"],
        "stage": row["stage"],
        "confidence": row["confidence"],
        "model_version": row["model_version"],
        "document": document,
        "source": {
            "slug": row["source"],
            "publisher": row["publisher"],
            "url": row["source_url"],
            "kind": row["source_kind"],
        },
    }


def flat(row: dict[str, Any], with_text: bool = False) -> dict[str, Any]:
    out = {c: row[c] for c in CSV_COLUMNS if c not in ("targets", "commodities", "technologies")}
    out["targets"] = ";".join(row["targets"])
    out["technologies"] = ";".join(row["technologies"])
    out["commodities"] = ";".join(
        f"{c['name']}:{c['hs_code']}" if c.get("hs_code") else c["name"] for c in row["commodities"]
    )
    if with_text:
        out["text"] = row["text"]
    return out


def write_export(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO, *, with_text: bool = False) -> int:
    """Write rows in `fmt` to `out`; returns the number of events written. Streams CSV and JSONL."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(
            out, fieldnames=CSV_COLUMNS + (["text"] if with_text else []), lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_safe(v) for k, v in flat(row, with_text).items()})
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(nested(row, with_text), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(
                ("\n  " if count == 0 else ",\n  ") + json.dumps(nested(row, with_text), ensure_ascii=False)
            )
            count += 1
        out.write("\n]\n" if count else "]\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return count


class ExportError(ValueError):
    """The export could not be written; the message is one line naming the file."""


def export_events(
    db: Database, fmt: str, out: TextIO, flt: EventFilter | None = None, *, with_text: bool = False
) -> int:
    if flt is not None:  # names ("China", "中国") are accepted wherever codes are
        flt = replace(flt, imposing=country_codes(flt.imposing), targets=country_codes(flt.targets))
    return write_export(export_rows(db, flt), fmt, out, with_text=with_text)


def export_to_file(
    db: Database, fmt: str, path: Path, flt: EventFilter | None = None, *, with_text: bool = False
) -> int:
    """Write the export next to `path` and rename it into place: a failed export leaves no half file."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if path.exists() and not path.is_file():
        raise ExportError(f"cannot write {path}: not a regular file")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            count = export_events(db, fmt, fh, flt, with_text=with_text)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; an export gets the usual mode
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
