"""Load and validate watchlist files; every problem becomes one "file:line:column: message" string.

A broken file is skipped as a whole (never half-applied); the other files still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from watchlists.positioned_yaml import Positioned, YamlSyntaxError, load_positioned, scalar_hint
from watchlists.schema import Watchlist

MAX_FILE_BYTES = 256 * 1024
PATTERNS = ("*.yaml", "*.yml")
ANCHOR_PREFIX = "x-"  # top-level keys that only hold YAML anchors for `<<: *defaults` (as in Compose files)


@dataclass
class LoadResult:
    watchlists: list[Watchlist] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def watchlist_files(folder: Path) -> list[Path]:
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern) if p.is_file()})


class WatchlistFolderError(click.ClickException):
    """The folder itself is missing: an error, never "no watchlists" (matching would skip every event).

    A ClickException so every command that loads watchlists exits 1 with this one line.
    """


def load_watchlists(folder: Path) -> LoadResult:
    """Every watchlist file in `folder`; names must be unique across files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WatchlistFolderError(
            f"{folder}:1:1: watchlist folder not found (--watchlists, CWATCH_WATCHLISTS)"
        )
    return load_files(watchlist_files(folder))


def load_files(paths: Iterable[Path]) -> LoadResult:
    result = LoadResult()
    seen: dict[str, str] = {}
    for path in paths:
        one = load_watchlist_file(path)
        result.errors.extend(one.errors)
        for watchlist in one.watchlists:
            if watchlist.name in seen:
                result.errors.append(
                    f"{_name_position(path)}: duplicate watchlist name {watchlist.name!r}"
                    f" (already defined in {seen[watchlist.name]})"
                )
                continue
            seen[watchlist.name] = str(path)
            result.watchlists.append(watchlist)
    return result


def load_watchlist_file(path: Path) -> LoadResult:
    """One file, one watchlist."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(errors=[f"{path}:1:1: cannot read: {exc.strerror}"])
    if len(raw) > MAX_FILE_BYTES:
        return LoadResult(errors=[f"{path}:1:1: file larger than {MAX_FILE_BYTES} bytes"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return LoadResult(errors=[f"{path}:1:1: not UTF-8 text"])
    return parse_watchlist(text, str(path))


def parse_watchlist(text: str, filename: str) -> LoadResult:
    try:
        doc = load_positioned(text)
    except YamlSyntaxError as exc:
        return LoadResult(errors=[f"{filename}:{exc.line}:{exc.column}: {exc.message}"])
    if doc is None:
        return LoadResult(
            errors=[f"{filename}:1:1: empty file; expected a watchlist mapping (name, channel, …)"]
        )
    if doc.problems:
        return LoadResult(errors=[f"{filename}:{_pos(node)}: {message}" for node, message in doc.problems])
    if not isinstance(doc.data, dict):
        return LoadResult(
            errors=[
                f"{filename}:{_pos(doc.nodes[()])}: expected a mapping of watchlist fields,"
                f" got {type(doc.data).__name__}"
            ]
        )
    fields = {k: v for k, v in doc.data.items() if not k.startswith(ANCHOR_PREFIX)}
    try:
        watchlist = Watchlist.model_validate({**fields, "source_file": filename})
    except ValidationError as exc:
        return LoadResult(errors=[_format_error(filename, doc, error) for error in exc.errors()])
    return LoadResult(watchlists=[watchlist])


def _format_error(filename: str, doc: Positioned, error: ErrorDetails) -> str:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    kind = error["type"]
    node = doc.node_for(loc, key=kind == "extra_forbidden")
    where = ".".join(str(p) for p in loc) or "watchlist"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}; allowed fields: {_allowed(loc)}"
    elif kind == "missing":
        message = f"missing required field {loc[-1]!r}"
    hint = scalar_hint(doc.nodes.get(loc), str(loc[0]) if loc else "")
    return f"{filename}:{_pos(node)}: {where}: {message}" + (f" ({hint})" if hint else "")


def _allowed(loc: tuple[int | str, ...]) -> str:
    from watchlists.schema import Entity, Keywords, QuietHours

    nested: dict[str, type[BaseModel]] = {"keywords": Keywords, "quiet_hours": QuietHours, "entities": Entity}
    model = nested.get(str(loc[0]), Watchlist) if len(loc) > 1 else Watchlist
    return ", ".join(name for name in model.model_fields if name != "source_file")


def _pos(node: object) -> str:
    mark = getattr(node, "start_mark", None)
    return f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"


def _name_position(path: Path) -> str:
    try:
        doc = load_positioned(path.read_text(encoding="utf-8"))
    except (OSError, YamlSyntaxError):
        doc = None
    node = doc.nodes.get(("name",)) if doc else None
    return f"{path}:{_pos(node)}"
