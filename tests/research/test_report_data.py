"""The report's numbers: stray months trimmed off the axis (and counted), canonical commodity names,
measures aimed at all countries."""

from __future__ import annotations

from pathlib import Path

from db.queries import EventFilter
from db.store import open_db
from research.report_data import canonical_commodity, top_commodities, trim_months, untargeted_counts


def _rows(*pairs: tuple[str, int]) -> list[dict[str, object]]:
    return [{"month": m, "event_type": "tariff", "n": n} for m, n in pairs]


def test_one_early_outlier_is_trimmed_and_counted() -> None:
    rows = _rows(("2018-03", 1), *((f"2024-{m:02d}", 5) for m in range(1, 13)))
    kept, left_out = trim_months(rows)
    assert left_out == 1
    assert {r["month"] for r in kept} == {f"2024-{m:02d}" for m in range(1, 13)}


def test_a_late_outlier_too_but_not_a_big_early_block() -> None:
    rows = _rows(("2019-01", 20), ("2019-02", 20), ("2024-01", 10), ("2024-02", 10), ("2030-01", 1))
    kept, left_out = trim_months(rows)
    assert left_out == 1  # 2030 is stray; the 2019 block holds most measures and stays
    assert {r["month"] for r in kept} == {"2019-01", "2019-02", "2024-01", "2024-02"}


def test_short_gaps_keep_everything() -> None:
    rows = _rows(("2024-01", 1), ("2024-11", 9))
    assert trim_months(rows) == (rows, 0)


def test_canonical_commodity_names() -> None:
    assert canonical_commodity("dumped polyester yarn") == "polyester yarn"
    assert canonical_commodity("unfairly subsidised electric vehicles") == "electric vehicles"
    assert canonical_commodity("Gallium metal") == "gallium"


def test_report_numbers_on_the_fixture_store(store_path: Path) -> None:
    db = open_db(store_path, read_only=True)
    try:
        names = [r["name"] for r in top_commodities(db, EventFilter())]
        untargeted = untargeted_counts(db, EventFilter())
    finally:
        db.conn.close()
    assert "gallium" in names and len(names) == len(set(names))
    assert untargeted and all(r["target"] == "all countries" and r["n"] > 0 for r in untargeted)
