"""What every command needs: the effective config and lazily opened resources."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from alerts.presentation import save_display_settings
from db import open_db
from monitor.config import Config


@dataclass
class AppContext:
    config: Config
    # One connection per thread: sqlite3 connections must not cross threads, and the daemon's jobs run
    # in a thread pool.
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def db_path(self) -> Path:
        return Path(self.config.db)

    @property
    def watchlists_dir(self) -> Path:
        return Path(self.config.watchlists)

    def db(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "path", None) != self.db_path:
            db = open_db(self.db_path)
            self._local.db, self._local.path = db, self.db_path
            # Alert rendering reads these from the store (alerts/presentation.py).
            save_display_settings(db, self.config.display.timezone, self.config.display.console_url)
        return db

    def read_only_db(self) -> Database:
        return open_db(self.db_path, read_only=True)
