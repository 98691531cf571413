"""Hostile search and export input: one-line errors, names accepted like codes, CSV cells that a
spreadsheet would run as formulas escaped."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.records import DocumentRecord
from db.store import open_db, store_document, write_events
from monitor.cli import main
from research.formats import as_csv
from tests.research.fixture_store import DOCS

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = [
    '=HYPERLINK("http://evil.example","open")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


def _run(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(store), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _cwatch(store: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from monitor.cli import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, "--db", str(store), *args], capture_output=True, env=env, timeout=120
    )


def test_invalid_utf8_search_term_is_a_one_line_error(store_path: Path) -> None:
    done = _cwatch(store_path, "search", b"export \xff\xfe control")
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [b"Error: search term is not valid UTF-8 (byte 8)"]


@pytest.mark.parametrize("name", ["China", "china", "中国", "cn", "People's Republic of China"])
def test_country_names_are_accepted_wherever_codes_are(store_path: Path, name: str) -> None:
    code, by_code = _run(store_path, "export", "--imposing", "CN", "--format", "jsonl")
    assert code == 0 and by_code.strip()
    code, by_name = _run(store_path, "export", "--imposing", name, "--format", "jsonl")
    assert code == 0 and by_name == by_code
    code, targets = _run(
        store_path, "export", "--target", name.replace("China", "china"), "--format", "jsonl"
    )
    assert code == 0 and all("CN" in json.loads(line)["targets"] for line in targets.splitlines())
    code, hits = _run(store_path, "search", "镓", "--imposing", name, "--json")
    code_cn, hits_cn = _run(store_path, "search", "镓", "--imposing", "CN", "--json")
    assert code == code_cn == 0 and json.loads(hits) == json.loads(hits_cn) and json.loads(hits_cn)


def test_unknown_country_name_suggests_the_closest(store_path: Path) -> None:
    for command in (["export", "--imposing", "Chnia"], ["search", "gallium", "--imposing", "Chnia"]):
        code, out = _run(store_path, *command)
        assert code == 1 and out.strip() == "Error: unknown country 'Chnia'; did you mean 'China'?", out


@pytest.mark.parametrize("target", ["missing/folder/out.csv", "/proc/version"])
def test_export_to_an_unwritable_place_is_a_one_line_error(
    store_path: Path, tmp_path: Path, target: str
) -> None:
    out = target if target.startswith("/") else str(tmp_path / target)
    before = Path("/proc/version").read_text() if target.startswith("/proc") else None
    code, output = _run(store_path, "export", "--format", "csv", "--out", out)
    assert code == 1 and output.startswith(f"Error: cannot write {out}: "), output
    assert len(output.strip().splitlines()) == 1 and "Traceback" not in output
    if before is not None:
        assert Path("/proc/version").read_text() == before


def test_export_to_a_file_replaces_it_whole(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    out.write_text("old", encoding="utf-8")
    code, output = _run(store_path, "export", "--format", "csv", "--out", str(out))
    assert code == 0 and "wrote 10 events" in output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no temporary file left behind


@pytest.fixture
def hostile_store(store_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    shutil.copy(store_path, path)
    db = open_db(path)
    events = next(d for d in DOCS if d.events).events
    for n, title in enumerate(FORMULAS):
        record = DocumentRecord(
            source=next(d for d in DOCS if d.events).source,
            url=f"https://example.org/formula/{n}",
            title=title,
            text="Scraped text.",
            language="en",
            published="2025-05-01",
            fetched="2025-06-01T00:00:00+00:00",
            notice_number=f"=1+{n}",
        )
        store_document(db, record)
        write_events(db, record.id, events, "fixture-1")
    db.conn.close()
    return path


def test_csv_export_escapes_formula_cells(hostile_store: Path) -> None:
    code, out = _run(hostile_store, "export", "--format", "csv", "--since", "2025-05-01")
    assert code == 0
    rows = [
        r for r in csv.DictReader(io.StringIO(out)) if r["url"].startswith("https://example.org/formula/")
    ]
    assert {r["title"] for r in rows} == {"'" + f.replace("\r", "\n") for f in FORMULAS}
    assert all(r["notice_number"].startswith("'=1+") for r in rows)
    assert all(not r[c].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for c in r)


def test_query_csv_escapes_formula_cells_and_keeps_numbers() -> None:
    text = as_csv(["title", "n", "neg"], [[FORMULAS[0], 3, -1.5]])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'" + FORMULAS[0], "3", "-1.5"]


def test_jsonl_export_keeps_titles_verbatim(hostile_store: Path) -> None:
    code, out = _run(hostile_store, "export", "--format", "jsonl", "--since", "2025-05-01")
    titles = {json.loads(line)["document"]["title"] for line in out.splitlines()}
    assert code == 0 and set(FORMULAS[:4]) <= titles  # only CSV, read by spreadsheets, is escaped
