"""run_crawl: crawl sources in a child process (Twisted's reactor cannot restart) and report each run.

Summaries are read back from crawl_runs, so they say exactly what was recorded. A child that dies or is
killed still yields one failed run per source with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from crawlers.localserver import FixtureServer
from crawlers.registry import SAMPLES, sample_slugs, spider_classes
from db import open_db
from db.store import finish_crawl_run, start_crawl_run

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUMMARY_KEYS = ("status", "reason", "pages", "items", "new", "changed", "errors")


class UnknownSource(ValueError):
    pass


def resolve_slugs(
    slugs: Sequence[str] | None, *, sample: bool, spider_modules: Sequence[str] = ()
) -> list[str]:
    known = spider_classes(["crawlers.spiders", *spider_modules])
    if not slugs:
        return sample_slugs() if sample else list(known)
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise UnknownSource(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(known)})")
    return list(dict.fromkeys(slugs))


def run_crawl(
    db_path: Path,
    slugs: Sequence[str] | None = None,
    *,
    sample: bool = False,
    since: str | None = None,
    timeout_s: int = 900,
    contact: str | None = None,
    replay_root: str | None = None,
    settings: dict[str, Any] | None = None,
    spider_modules: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Crawl `slugs` (default: all, or all with a sample) into the store at `db_path`.

    sample=True serves crawlers/samples on 127.0.0.1 and replays every request there; replay_root (or the
    environment variable CWATCH_REPLAY_ROOT) points at an already running fixture server instead (tests,
    staging, bench). `settings` overrides Scrapy settings."""
    todo = resolve_slugs(slugs, sample=sample, spider_modules=spider_modules)
    # Staging and CLI tests point every crawl at a fixture server, like SLACK_API_URL for Slack.
    replay_root = replay_root or os.environ.get("CWATCH_REPLAY_ROOT") or None
    db = open_db(db_path)
    before = int(db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0])
    server = FixtureServer(SAMPLES) if sample and not replay_root else None
    with server or nullcontext():
        root = server.url if server else replay_root
        command = [
            sys.executable,
            "-m",
            "crawlers.crawl",
            "--db",
            str(Path(db_path).resolve()),
            "--timeout",
            str(timeout_s),
        ]
        command += ["--since", since] if since else []
        command += ["--contact", contact] if contact else []
        command += ["--replay-root", root] if root else []
        command += ["--settings", json.dumps(settings)] if settings else []
        for module in spider_modules:
            command += ["--spider-module", module]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        }
        problem = None
        try:
            done = subprocess.run(
                [*command, *todo],
                cwd=PROJECT_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout_s + 30,
                check=False,
            )
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            problem = f"crawler process exited with code {done.returncode}: {tail[0][:300]}"
        except subprocess.TimeoutExpired:
            problem = f"timeout: crawler process killed after {timeout_s + 30}s"
    return _summaries(db_path, todo, before, problem)


def _summaries(db_path: Path, slugs: list[str], before: int, problem: str | None) -> list[dict[str, Any]]:
    db = open_db(db_path)
    latest: dict[str, dict[str, Any]] = {}
    marks = ",".join("?" for _ in slugs)
    for found in db.query(
        f"SELECT * FROM crawl_runs WHERE id > ? AND source IN ({marks}) ORDER BY id", [before, *slugs]
    ):
        latest[found["source"]] = found
    results = []
    for slug in slugs:
        row: dict[str, Any] | None = latest.get(slug)
        if row is None or row["status"] == "running":
            # The child died before recording this run, or mid-run: record why, keep what was stored.
            run_id = row["id"] if row else start_crawl_run(db, slug)
            finish_crawl_run(
                db,
                run_id,
                ok=False,
                reason=problem or "crawler process ended before the run finished",
                pages=row["pages"] if row else 0,
                errors=1,
            )
            row = next(iter(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id])))
        results.append({"slug": slug, "run_id": row["id"], **{k: row[k] for k in SUMMARY_KEYS}})
    return results
