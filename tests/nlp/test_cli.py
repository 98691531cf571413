"""`cwatch tag`, `eval`, `train`, `review` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from db import open_db
from monitor.cli import main
from nlp.tagger import Tagger


def _labelled(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "a1",
            "title": "China curbs graphite exports",
            "text": "MOFCOM announced export licences for graphite.",
            "language": "en",
            "event_types": ["export_control"],
            "direction": "restrictive",
            "imposing": "CN",
            "targets": [],
            "commodities": ["graphite"],
            "technologies": [],
            "stage": "in_force",
        },
        {
            "id": "a2",
            "title": "Port volumes steady",
            "text": "Container throughput was flat in May.",
            "language": "en",
            "event_types": ["none"],
            "direction": None,
            "imposing": None,
            "targets": [],
            "commodities": [],
            "technologies": [],
            "stage": None,
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    return path


def test_eval_json_and_table(tmp_path: Path, tagger: Tagger) -> None:
    path = _labelled(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 2 and report["bad_lines"][0]["line"] == 3
    assert set(report["event_types"]) >= {"macro_f1", "micro_f1", "per_label"}
    table = CliRunner().invoke(main, ["eval", str(path), "--by-language", "--db", str(tmp_path / "s.db")])
    assert table.exit_code == 0, table.output
    assert "macro-F1" in table.output and "bad line 3" in table.output and "[en] n=2" in table.output


def test_tag_and_review(tmp_path: Path, tagger: Tagger) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {
                    "title": "US raises tariffs on Chinese steel",
                    "text": "The White House raised duties on steel to 50%.",
                    "url": "https://example.org/1",
                    "source": "manual",
                    "language": "en",
                },
                {
                    "title": "Weather in Geneva",
                    "text": "Sunny spells.",
                    "url": "https://example.org/2",
                    "source": "manual",
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db_path), "ingest", str(docs)]).exit_code == 0
    result = runner.invoke(main, ["--db", str(db_path), "tag"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("tagged 2 documents")
    listed = runner.invoke(main, ["--db", str(db_path), "review", "--below", "1.01"])
    assert listed.exit_code == 0, listed.output
    doc_id = listed.output.split()[0]
    bad = runner.invoke(main, ["--db", str(db_path), "review", doc_id, "--types", "bogus"])
    assert bad.exit_code != 0 and "unknown event type" in bad.output
    ok = runner.invoke(
        main,
        [
            "--db",
            str(db_path),
            "review",
            doc_id,
            "--types",
            "tariff",
            "--imposing",
            "US",
            "--targets",
            "China",
            "--stage",
            "in_force",
        ],
    )
    assert ok.exit_code == 0, ok.output
    rows = list(open_db(db_path).query("SELECT * FROM human_labels"))
    assert rows[0]["imposing"] == "US" and json.loads(rows[0]["targets"]) == ["CN"]
    missing = runner.invoke(main, ["--db", str(db_path), "review", "nope", "--types", "none"])
    assert missing.exit_code != 0 and "no document" in missing.output


def test_train_is_deterministic_and_loadable(tmp_path: Path, tagger: Tagger) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows: list[dict[str, object]] = []
    for i in range(8):
        rows.append(
            {
                "id": f"x{i}",
                "title": f"China bans exports of item {i}",
                "text": "Export ban announced.",
                "language": "en",
                "event_types": ["export_control"],
                "direction": "restrictive",
                "imposing": "CN",
                "targets": ["US"] if i % 2 else [],
                "commodities": [],
                "technologies": [],
                "stage": "in_force" if i % 3 else "announced",
            }
        )
        rows.append(
            {
                "id": f"n{i}",
                "title": f"Trade fair day {i}",
                "text": "Visitors came.",
                "language": "en",
                "event_types": ["none"],
                "direction": None,
                "imposing": None,
                "targets": [],
                "commodities": [],
                "technologies": [],
                "stage": None,
            }
        )
    (data / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    outs = []
    for n in (1, 2):
        out = tmp_path / f"art{n}"
        result = CliRunner().invoke(
            main,
            ["--db", str(tmp_path / "s.db"), "train", "--data", str(data), "--out", str(out), "--no-heldout"],
        )
        assert result.exit_code == 0, result.output
        assert "trained on 16 examples" in result.output
        outs.append((out / "model.npz").read_bytes())
    assert outs[0] == outs[1]
    small = Tagger.load(artefacts=str(tmp_path / "art1"))
    assert small.tag([]) == []
