"""Store size per 1,000 documents of realistic length (bench/synthetic.py --realistic: median ~6 KB), by
table, with the full schema (both full-text indexes, summaries, triggers).

    .venv/bin/python bench/store_size.py --n 5000 --out /tmp/cwatch-size.db
    .venv/bin/python bench/store_size.py --n 20000 --out /tmp/cwatch-size.db

Prints the median text size, the file size per 1,000 documents and each table's share (dbstat; an FTS5
table's shadow tables are counted under it), so the biggest costs are visible. The file is deleted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import fresh_store, write_bulk  # noqa: E402
from synthetic import generate  # noqa: E402

FTS = ("documents_fts", "documents_words")


def owner(name: str) -> str:
    for table in FTS:
        if name == table or name.startswith(f"{table}_"):
            return table
    return name


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cwatch-size.db"))
    args = parser.parse_args()
    db = fresh_store(args.out)
    sizes: list[int] = []
    batch: list = []
    for doc, events in generate(args.n, realistic=True):
        sizes.append(len(doc.text.encode()))
        batch.append((doc, events))
        if len(batch) == 2000:
            write_bulk(db, batch)
            batch = []
    if batch:
        write_bulk(db, batch)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("VACUUM")
    by_table: dict[str, int] = defaultdict(int)
    for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall():
        index_of = db.execute("SELECT tbl_name FROM sqlite_master WHERE name = ?", [name]).fetchone()
        by_table[owner(index_of[0] if index_of else name)] += int(size)
    db.conn.close()
    total = args.out.stat().st_size
    per_k = total / 2**20 * 1000 / args.n
    text_bytes = sum(sizes)
    print(f"{args.n:,} documents, text median {statistics.median(sizes) / 1000:.1f} KB, total text"
          f" {text_bytes / 2**20:.1f} MiB")  # fmt: skip
    print(f"store file {total / 2**20:.1f} MiB = {per_k:.2f} MiB per 1,000 documents"
          f" ({total / text_bytes:.2f}x the text)")  # fmt: skip
    for name, size in sorted(by_table.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {name:28s} {size / 2**20:8.1f} MiB  {100 * size / total:5.1f} %")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.out}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
