"""Hot reload of watchlists for the daemon: a broken file keeps its last good version in force."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("cwatch.watchlists")

_PATTERNS = ("*.yaml", "*.yml")


class WatchlistCache:
    def __init__(self, folder: Path, on_error: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_error = on_error or (lambda message: log.error(message))
        self._stamp: tuple[tuple[str, float, int], ...] | None = None
        self._by_file: dict[str, list[Any]] = {}

    def _fingerprint(self) -> tuple[tuple[str, float, int], ...]:
        files = sorted({p for pattern in _PATTERNS for p in self.folder.glob(pattern)})
        return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files if p.is_file())

    def current(self) -> list[Any]:
        """The watchlists in force, reloading when any file changed since the last call."""
        stamp = self._fingerprint()
        if stamp != self._stamp:
            self._reload({name for name, _, _ in stamp})
            self._stamp = stamp
        return [w for group in self._by_file.values() for w in group]

    def _reload(self, present: set[str]) -> None:
        from watchlists.loader import load_watchlist_file

        fresh: dict[str, list[Any]] = {}
        for name in sorted(present):
            result = load_watchlist_file(Path(name))
            if result.errors:
                for error in result.errors:
                    self.on_error(f"watchlist not reloaded, last good version stays in force: {error}")
                if name in self._by_file:
                    fresh[name] = self._by_file[name]
                continue
            fresh[name] = list(result.watchlists)
        self._by_file = fresh  # deleted files drop out
