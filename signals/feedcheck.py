"""Structural checks of the feeds we write: Atom 1.0 (RFC 4287 §4) and JSON Feed 1.1 (jsonfeed.org/version/1.1).

Not a full validator: the required elements and fields, their types, RFC 3339 dates, absolute URLs and
unique ids — what a partner's ingester relies on. Each function returns a list of problems (empty: valid).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _absolute_iri(value: str | None) -> bool:
    parsed = urlparse(value or "")
    return bool(parsed.scheme) and (bool(parsed.netloc) or parsed.scheme in ("tag", "urn"))


def check_atom(path: str | Path) -> list[str]:
    problems: list[str] = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != f"{ATOM}feed":
        return [f"root element is {root.tag}, not atom:feed"]

    def one(parent: ET.Element, name: str, where: str) -> ET.Element | None:
        found = parent.findall(f"{ATOM}{name}")
        if len(found) != 1:
            problems.append(f"{where}: needs exactly one atom:{name}, found {len(found)}")
            return None
        return found[0]

    for name in ("id", "title", "updated"):
        one(root, name, "feed")
    feed_id = root.find(f"{ATOM}id")
    if feed_id is not None and not _absolute_iri(feed_id.text):
        problems.append("feed: atom:id is not an absolute IRI")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    if not any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link")):
        problems.append("feed: no link rel=self")
    seen: set[str] = set()
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry {n}"
        entry_id = one(entry, "id", where)
        one(entry, "title", where)
        one(entry, "updated", where)
        if entry_id is not None:
            if not _absolute_iri(entry_id.text):
                problems.append(f"{where}: id {entry_id.text!r} is not an absolute IRI")
            if entry_id.text in seen:
                problems.append(f"{where}: duplicate id {entry_id.text}")
            seen.add(entry_id.text or "")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no author (and the feed has none)")
        alternates = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
        ]
        if entry.find(f"{ATOM}content") is None and not alternates:
            problems.append(f"{where}: neither atom:content nor link rel=alternate")
        for link in entry.findall(f"{ATOM}link"):
            if not link.get("href"):
                problems.append(f"{where}: link without href")
    for element in root.iter():
        if element.tag in (f"{ATOM}updated", f"{ATOM}published") and not RFC3339.match(element.text or ""):
            problems.append(f"{element.tag.removeprefix(ATOM)} {element.text!r} is not an RFC 3339 date-time")
    return problems


def check_json_feed(path: str | Path) -> list[str]:
    try:
        feed = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"not JSON: {exc}"]
    problems: list[str] = []
    if not isinstance(feed, dict):
        return ["top level is not an object"]
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed.get("title"):
        problems.append("title missing or not a string")
    for key in ("home_page_url", "feed_url"):
        if key in feed and not _absolute_iri(feed[key]):
            problems.append(f"{key} is not an absolute URL")
    if "authors" in feed and not _authors_ok(feed["authors"]):
        problems.append("authors must be a list of objects with name, url or avatar")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "items missing or not a list"]
    seen: set[str] = set()
    for n, item in enumerate(items):
        where = f"item {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not an object")
            continue
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id missing or not a string")
        elif item["id"] in seen:
            problems.append(f"{where}: duplicate id {item['id']}")
        else:
            seen.add(item["id"])
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"{where}: needs content_html or content_text")
        for key in ("url", "external_url"):
            if key in item and not _absolute_iri(item[key]):
                problems.append(f"{where}: {key} is not an absolute URL")
        for key in ("title", "summary", "language", "content_text", "content_html"):
            if key in item and not isinstance(item[key], str):
                problems.append(f"{where}: {key} is not a string")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.match(str(item[key])):
                problems.append(f"{where}: {key} {item[key]!r} is not RFC 3339")
        if "tags" in item and not (
            isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])
        ):
            problems.append(f"{where}: tags must be a list of strings")
        if "authors" in item and not _authors_ok(item["authors"]):
            problems.append(f"{where}: bad authors")
    return problems


def _authors_ok(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(a, dict) and any(isinstance(a.get(k), str) for k in ("name", "url", "avatar"))
        for a in value
    )
