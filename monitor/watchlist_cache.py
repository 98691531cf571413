"""Hot reload of watchlists for the daemon: a broken file keeps its last good version in force."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("cwatch.watchlists")

_PATTERNS = ("*.yaml", "*.yml")
Stamp = tuple[tuple[str, float, int], ...]


class WatchlistCache:
    def __init__(self, folder: Path, on_error: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_error = on_error or (lambda message: log.error(message))
        self._stamp: Stamp | None = None
        self._by_file: dict[str, list[Any]] = {}

    def _fingerprint(self) -> Stamp | None:
        """(path, mtime, size) of every file; None when the folder itself is gone or unreadable."""
        try:
            if not self.folder.is_dir():
                return None
            files = sorted({p for pattern in _PATTERNS for p in self.folder.glob(pattern)})
            return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files if p.is_file())
        except OSError:
            return None

    def current(self) -> list[Any]:
        """The watchlists in force, reloading when any file changed since the last call."""
        stamp = self._fingerprint()
        if stamp is None:
            # A vanished folder (unmounted volume, typo in a restart) is an error, not "no watchlists".
            if self._stamp != ():
                self.on_error(
                    f"{self.folder}:1:1: watchlist folder not found; the last good watchlists stay in force"
                )
                self._stamp = ()
        elif stamp != self._stamp:
            self._reload({name for name, _, _ in stamp})
            self._stamp = stamp
        return [w for group in self._by_file.values() for w in group]

    def _reload(self, present: set[str]) -> None:
        from watchlists.loader import load_watchlist_file

        fresh: dict[str, list[Any]] = {}
        for name in sorted(present):
            try:
                result = load_watchlist_file(Path(name))
                errors = result.errors
            except Exception as exc:  # a loader bug must not stop the other watchlists
                log.exception("watchlist loader failed")
                errors = [f"{name}:1:1: cannot load: {type(exc).__name__}"]
            if errors:
                for error in errors:
                    self.on_error(f"watchlist not reloaded, last good version stays in force: {error}")
                if name in self._by_file:
                    fresh[name] = self._by_file[name]
                continue
            fresh[name] = list(result.watchlists)
        self._by_file = fresh  # deleted files drop out
