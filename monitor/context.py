"""What every command needs: the effective config and lazily opened resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from db import open_db
from monitor.config import Config


@dataclass
class AppContext:
    config: Config
    _db: Database | None = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        return Path(self.config.db)

    @property
    def watchlists_dir(self) -> Path:
        return Path(self.config.watchlists)

    def db(self) -> Database:
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db

    def read_only_db(self) -> Database:
        return open_db(self.db_path, read_only=True)
