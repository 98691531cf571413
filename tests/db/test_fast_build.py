"""bench/fast_build.py builds the same store as the bench's default build: same rows in every table, same
schema and triggers, same FTS index contents and ranked results (real SQLite files, notice-length texts)."""

from __future__ import annotations

import importlib.util
import random
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import db.bulk
from db.records import DocumentRecord

BENCH = Path(__file__).resolve().parents[2] / "bench"
FIXED_NOW = "2025-01-01T00:00:00+00:00"


def _bench_module(name: str) -> Any:
    """A bench script by path (bench/ holds scripts that import their siblings as top-level modules)."""
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store = _bench_module("store")
fast_build = _bench_module("fast_build")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """400 realistic documents both ways, in batches of 150 (several transactions, a partial last one)."""
    out = tmp_path_factory.mktemp("fastbuild")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(db.bulk, "utcnow", lambda: FIXED_NOW)  # both builds write the same tagged_at/created_at
        for name, fast in (("default.db", False), ("fast.db", True)):
            _, conn = store.build(out / name, 400, 150, realistic=True, fast=fast)
            conn.conn.close()
    return out / "default.db", out / "fast.db"


def _copy(path: Path, to: Path) -> sqlite3.Connection:
    src = sqlite3.connect(path)
    dst = sqlite3.connect(to)
    src.backup(dst)
    src.close()
    return dst


def test_same_store(built: tuple[Path, Path]) -> None:
    a, b = (sqlite3.connect(p) for p in built)
    assert a.execute("SELECT count(*) FROM documents").fetchone()[0] == 400
    cjk = a.execute("SELECT count(*) FROM documents WHERE cjk = 1").fetchone()[0]
    assert 0 < cjk < 400
    # the trigram index holds exactly the CJK rows, the word index every row, in both stores
    for conn in (a, b):
        assert conn.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0] == cjk
        assert conn.execute("SELECT count(*) FROM documents_words_docsize").fetchone()[0] == 400
    assert fast_build.store_differences(a, b) == []


def test_triggers_index_documents_written_after_the_fast_build(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = (_copy(p, tmp_path / p.name) for p in built)
    docs = [
        DocumentRecord(source="cn_mofcom", url="https://example.org/late-zh", title="关于锑的公告",
                       text="商务部决定对锑实施出口管制。", language="zh", published=None, fetched=FIXED_NOW),
        DocumentRecord(source="news_wire", url="https://example.org/late-en", title="Late notice",
                       text="Duties on zirconium sponge are suspended.", language="en", published=None, fetched=FIXED_NOW),
    ]  # fmt: skip
    for conn in (a, b):
        db.bulk.insert_documents(Database(conn), docs)
    assert fast_build.store_differences(a, b) == []
    hits = b.execute(
        "SELECT count(*) FROM documents_words WHERE documents_words MATCH 'zirconium'"
    ).fetchone()
    assert hits[0] == 1


def test_differences_are_reported(built: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = (_copy(p, tmp_path / p.name) for p in built)
    rowid, title, text = b.execute(
        "SELECT rowid, title, text FROM documents WHERE cjk = 1 LIMIT 1"
    ).fetchone()
    with b:  # drop one row from each index only: the tables still agree, the indexes do not
        b.execute("INSERT INTO documents_words (documents_words, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                  (rowid, title, text))  # fmt: skip
        b.execute("INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                  (rowid, title, text))  # fmt: skip
        b.execute("DROP TRIGGER documents_words_ai")
    diffs = fast_build.store_differences(a, b)
    assert "sqlite_master differs" in diffs
    assert "index documents_words differs" in diffs
    assert "index documents_fts differs" in diffs


def test_filler_draws_as_the_plain_version() -> None:
    """bench/synthetic.py's spelled-out filler gives the texts (and leaves the generator in the state) of
    the one-line version it replaced, so stores built before and after it hold the same documents."""
    synthetic = _bench_module("synthetic")

    def plain(rng: random.Random) -> str:
        syllables = synthetic.SYLLABLES
        return " ".join(
            "".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(rng.randint(8, 20))
        )

    for seed in range(300):
        a, b = random.Random(seed), random.Random(seed)
        for _ in range(4):
            assert synthetic._filler(a) == plain(b)
        assert a.getstate() == b.getstate()
