"""`cwatch browse`: Datasette on 127.0.0.1 over the fixture store, queried through its JSON API."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.research.conftest import get_json
from tests.research.fixture_store import document_ids

IDS = document_ids()


def rows(console_url: str, path: str, **params: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    data = get_json(f"{console_url}/store/{path}.json?{query}")
    assert isinstance(data, list)
    return data


def test_events_by_pair_and_month(console_url: str) -> None:
    found = rows(console_url, "events_by_pair_month", imposing="us", target="CN")
    assert found == [
        {"month": "2024-12", "imposing": "US", "target": "CN", "event_type": "entity_listing", "measures": 1},
        {"month": "2024-12", "imposing": "US", "target": "CN", "event_type": "export_control", "measures": 1},
    ]
    everything = rows(console_url, "events_by_pair_month")  # empty parameters mean "all pairs"
    assert {(r["imposing"], r["target"]) for r in everything} == {
        ("US", "CN"),
        ("CN", "US"),
        ("EU", "CN"),
        ("CN", "EU"),
        ("JP", "KR"),
    }


def test_measures_on_a_commodity_and_a_technology(console_url: str) -> None:
    gallium = rows(console_url, "measures_on_item", item="gallium")
    assert [r["url"] for r in gallium] == [
        "https://www.mofcom.gov.cn/zwgk/2024/art_dual_use_us.html",
        "https://www.mofcom.gov.cn/zwgk/2023/art_gallium.html",
    ]
    equipment = rows(console_url, "measures_on_item", item="semiconductor manufacturing equipment")
    assert {(r["imposing"], r["kind"]) for r in equipment} == {("US", "technology"), ("JP", "technology")}
    assert rows(console_url, "measures_on_item", item="") == []


def test_latest_alerts_per_watchlist(console_url: str) -> None:
    found = rows(console_url, "latest_alerts")
    by_list: dict[str, int] = {}
    for row in found:
        by_list[row["watchlist"]] = by_list.get(row["watchlist"], 0) + 1
    assert by_list == {"critical-minerals": 3, "semiconductors": 2}
    assert all(r["url"].startswith("https://") and r["status"] == "pending" for r in found)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("出口管制", {"mofcom_gallium", "mofcom_us_dual_use", "mofcom_rare_earths"}),
        ("Entity List", {"bis_entities"}),
        ("半導体", {"meti_equipment"}),
        ("稀土", {"mofcom_rare_earths"}),  # two characters: below the trigram size, matched by instr()
        ('"NEAR(gallium', set()),  # FTS syntax is literal, not an error
    ],
)
def test_full_text_search_with_snippets(console_url: str, q: str, expected: set[str]) -> None:
    found = rows(console_url, "search_documents", q=q)
    assert {r["id"] for r in found} == {IDS[k] for k in expected}
    for row in found:
        assert q in row["snippet"] or f"[{q}]" in row["snippet"] or q.split()[0] in row["snippet"]


def test_metadata_describes_tables_and_columns(console_url: str) -> None:
    table = get_json(f"{console_url}/store/events.json?_size=0&_extra=columns")
    assert isinstance(table, dict)
    meta = get_json(f"{console_url}/-/metadata.json")
    assert isinstance(meta, dict)
    tables = meta["databases"]["store"]["tables"]
    assert "ISO alpha-2" in tables["events"]["columns"]["imposing"]
    assert "original" in tables["documents"]["description"]
    assert meta["source_url"].startswith("https://")


def test_facets_on_event_view(console_url: str) -> None:
    data = get_json(f"{console_url}/store/event_facets.json?_size=0")
    assert isinstance(data, dict)
    facets = data["facet_results"]
    assert {"event_type", "direction", "imposing", "stage", "targets", "commodities", "technologies"} <= set(
        facets
    )
    imposing = {f["value"]: f["count"] for f in facets["imposing"]["results"]}
    assert imposing == {"CN": 4, "EU": 2, "JP": 2, "US": 2}
    technologies = {f["value"]: f["count"] for f in facets["technologies"]["results"]}
    assert technologies["semiconductor manufacturing equipment"] == 2


def test_console_cannot_write(console_url: str, store_path: Path) -> None:
    before = store_path.read_bytes()
    sql = urllib.parse.urlencode({"sql": "DELETE FROM alerts", "_shape": "array"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{console_url}/store.json?{sql}", timeout=10)  # noqa: S310
    assert refused.value.code == 400
    assert store_path.read_bytes() == before
    assert len(rows(console_url, "latest_alerts")) == 5


OPTIONAL = {
    "story_documents": ({"stories", "story_members"}, {"story_id": "1"}, 2),
    "watchlist_feedback": ({"alert_labels"}, {}, 1),
    "label_disagreements": ({"human_labels"}, {}, 1),
}


@pytest.mark.parametrize("name", sorted(OPTIONAL))
def test_queries_over_other_areas_tables(console_url: str, store_path: Path, name: str) -> None:
    tables, params, expected_rows = OPTIONAL[name]
    present = {t["name"] for t in get_json(f"{console_url}/store.json")["tables"]}  # type: ignore[index]
    queries = {q["name"] for q in get_json(f"{console_url}/store.json")["queries"]}  # type: ignore[index]
    if not tables <= present:
        assert name not in queries  # offered only when the other area's tables exist
        return
    assert len(rows(console_url, name, **params)) == expected_rows


def test_browse_help_and_missing_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from monitor.cli import main

    result = CliRunner().invoke(main, ["browse", "--help"])
    assert result.exit_code == 0 and "cwatch browse --port 8001" in result.output
    result = CliRunner().invoke(main, ["browse", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1 and "no event store" in result.output
    assert not (tmp_path / "absent.db").exists()


def test_every_research_command_has_an_example() -> None:
    from click.testing import CliRunner

    from monitor.cli import main

    for name in ("browse", "query", "search", "export", "report"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and f"cwatch {name}" in result.output, name
