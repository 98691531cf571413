"""The daemon's writes (store documents, write events, match into the outbox, dispatch to Slack) while the
Datasette console and `cwatch query` read the same store: no "database is locked", no failed request.

Bounded: two writer processes of WRITES documents each and a dispatcher; readers stop when the writers do
or after MAX_READS each.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path

from db import open_db
from research.console import make_datasette
from research.readonly import run_query
from tests.support.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("stage_child.py")
WRITES = 150
MAX_READS = 400
SQL = [
    "SELECT event_type, count(*) FROM events GROUP BY event_type",
    "SELECT d.title, e.event_type FROM events e JOIN documents d ON d.id = e.document_id ORDER BY e.id DESC LIMIT 20",
    "SELECT status, count(*) FROM alerts GROUP BY status",
    "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'notice'",
]
CONSOLE = [
    "/cwatch/events_by_pair_month.json?imposing=CN&target=&_shape=array",
    "/cwatch/search_documents.json?q=export&_shape=array",
    "/cwatch/latest_alerts.json?_shape=array",
    "/cwatch/documents.json?_size=10&_shape=array",
    "/cwatch/event_facets.json?_facet=event_type&_size=5",
]


def test_writers_and_readers_never_see_a_locked_database(tmp_path: Path) -> None:
    db_path = tmp_path / "cwatch.db"
    open_db(db_path).conn.close()
    errors: list[str] = []
    counts = {"sql": 0, "console": 0, "cli": 0}
    during = dict.fromkeys(counts, 0)  # reads made while the writers were running
    writing, done = threading.Event(), threading.Event()

    def count(kind: str) -> None:
        counts[kind] += 1
        during[kind] += writing.is_set() and not done.is_set()

    def sql_reader() -> None:
        for i in range(MAX_READS):
            if done.is_set():
                break
            try:
                run_query(db_path, SQL[i % len(SQL)])
                count("sql")
                time.sleep(0.005)  # paced, so the bounded reads span the writers' run
            except Exception as exc:  # any failure counts, "database is locked" above all
                errors.append(f"query: {type(exc).__name__} {getattr(exc, 'sqlite_errorname', '')}: {exc}")

    def console_reader() -> None:
        async def main() -> None:
            ds = make_datasette(db_path)
            await ds.invoke_startup()
            for i in range(MAX_READS):
                if done.is_set():
                    break
                response = await ds.client.get(CONSOLE[i % len(CONSOLE)])
                if response.status_code != 200 or "locked" in response.text:
                    errors.append(f"console {response.status_code}: {response.text[:200]}")
                count("console")

        asyncio.run(main())

    def cli_reader() -> None:
        while not done.is_set() and counts["cli"] < 5:
            found = subprocess.run(
                [sys.executable, "-m", "monitor", "--db", str(db_path), "query", SQL[0]],
                cwd=ROOT, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            if found.returncode != 0:
                errors.append(f"cwatch query exit {found.returncode}: {found.stderr[-300:]}")
            count("cli")

    with FakeSlack(retry_after_s=0) as slack:
        readers = [threading.Thread(target=f) for f in (sql_reader, sql_reader, console_reader, cli_reader)]
        for reader in readers:
            reader.start()
        # Writers start once every kind of reader is reading, so the run overlaps on any machine's speed.
        deadline = time.monotonic() + 60
        while not all(counts.values()) and time.monotonic() < deadline and not errors:
            time.sleep(0.01)
        writers = [
            subprocess.Popen([sys.executable, str(CHILD), "write", str(db_path), str(WRITES), name], cwd=ROOT)
            for name in ("a", "b")
        ]
        dispatcher = subprocess.Popen(
            [sys.executable, str(CHILD), "dispatch", str(db_path), slack.url], cwd=ROOT
        )
        writing.set()
        codes = [w.wait(timeout=180) for w in writers]
        done.set()
        for reader in readers:
            reader.join(timeout=120)
        dispatcher.wait(timeout=120)
        final = subprocess.run(
            [sys.executable, str(CHILD), "dispatch", str(db_path), slack.url], cwd=ROOT, timeout=120
        )
        posted = len([m for m in slack.messages() if m.metadata])

    print("concurrency:", counts, "during writes:", during, "posted", posted)
    assert errors == []
    assert codes == [0, 0] and final.returncode == 0
    assert counts["sql"] > 0 and counts["console"] > 0 and counts["cli"] > 0
    assert during["sql"] > 0 and during["console"] > 0, during  # the reads really overlapped the writes
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2 * WRITES
    assert db.execute("SELECT count(*) FROM alerts WHERE status != 'sent'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == posted == 2 * WRITES
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
