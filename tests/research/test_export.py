"""`cwatch export`: events with their documents, stable keys and source URLs in CSV, JSON and JSONL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import main
from tests.research.fixture_store import document_ids

IDS = document_ids()


def export(store: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--db", str(store), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jsonl_is_nested_with_stable_keys(store_path: Path) -> None:
    rows = [json.loads(line) for line in export(store_path, "--format", "jsonl").splitlines()]
    assert len(rows) == 10
    bis = next(r for r in rows if r["key"] == f"{IDS['bis_entities']}:entity_listing")
    assert bis["document"]["url"].startswith("https://www.bis.gov/")
    assert bis["source"] == {
        "slug": "us_bis",
        "publisher": "Bureau of Industry and Security",
        "url": "https://www.bis.gov/news",
        "kind": "official",
    }
    assert bis["targets"] == ["CN"] and "advanced computing" in bis["technologies"]
    assert "text" not in bis["document"]
    gallium = next(r for r in rows if r["document"]["id"] == IDS["mofcom_gallium"])
    assert {"name": "gallium", "hs_code": "8112.92"} in gallium["commodities"]
    assert gallium["document"]["notice_number"] == "2023-23"
    dates = [r["document"]["published"] for r in rows]
    assert dates == sorted(dates)


def test_filters_and_json(store_path: Path) -> None:
    rows = json.loads(export(store_path, "--format", "json", "--imposing", "cn", "--since", "2024-01-01"))
    assert {r["document"]["id"] for r in rows} == {
        IDS["mofcom_brandy"],
        IDS["mofcom_us_dual_use"],
        IDS["mofcom_rare_earths"],
    }
    rows = json.loads(export(store_path, "--format", "json", "--target", "CN", "--type", "tariff"))
    assert [r["key"] for r in rows] == [f"{IDS['eu_bev_duties']}:tariff"]
    assert json.loads(export(store_path, "--format", "json", "--since", "2030-01-01")) == []


def test_csv_to_file_with_text(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--db",
            str(store_path),
            "--format",
            "csv",
            "--with-text",
            "--out",
            str(out),
            "--imposing",
            "CN",
        ],
    )
    assert result.exit_code == 0 and "wrote 4 events" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    dual_use = next(r for r in rows if r["document_id"] == IDS["mofcom_us_dual_use"])
    assert dual_use["commodities"] == "antimony:8110.10;gallium:8112.92;germanium:8112.92"
    assert dual_use["targets"] == "US"
    assert dual_use["source_url"] == "https://www.mofcom.gov.cn/zwgk/"
    assert "镓、锗、锑" in dual_use["text"]
