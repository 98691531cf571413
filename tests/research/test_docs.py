"""docs/querying.md: its ten research questions are valid SQL that answers something on the fixture store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from research.readonly import run_query

DOC = Path(__file__).resolve().parents[2] / "docs" / "querying.md"
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_there_are_ten_questions() -> None:
    assert len(QUERIES) == 10
    assert len(re.findall(r"^### \d+\. ", DOC.read_text(encoding="utf-8"), flags=re.M)) == 10


@pytest.mark.parametrize("number", range(1, len(QUERIES) + 1))
def test_question_runs_and_answers(store_path: Path, number: int) -> None:
    result = run_query(store_path, QUERIES[number - 1].strip().rstrip(";"))
    assert result.rows, f"question {number} returned no rows on the fixture store"


def test_tit_for_tat_finds_the_december_2024_exchange(store_path: Path) -> None:
    result = run_query(store_path, QUERIES[5].strip().rstrip(";"))
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    assert [(r["first_mover"], r["responder"], r["days_later"]) for r in rows] == [
        ("US", "CN", 1),
        ("US", "CN", 1),
    ]
