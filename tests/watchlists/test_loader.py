"""Watchlist validation: the examples load; 20 malformed files each give their file:line:column error."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.watchlist_cache import WatchlistCache
from watchlists.loader import load_watchlist_file, load_watchlists

EXAMPLES = Path(__file__).resolve().parents[2] / "watchlists" / "examples"
GOOD = 'name: good\nchannel: "#ok"\nimposing: ["CN"]\n'

# (file name, content, expected "line:column", expected words in the message)
MALFORMED = [
    ("bad-yaml", 'name: x\nchannel: "#a\nimposing: [CN]\n', "4:1", "invalid YAML"),
    ("bad-indent", "name: x\n  channel: '#a'\n", "2:10", "invalid YAML"),
    ("empty", "", "1:1", "empty file"),
    ("a-list", "- name: x\n", "1:1", "expected a mapping"),
    (
        "unknown-field",
        'name: x\nchannel: "#a"\nimposing: ["CN"]\nchanel: "#b"\n',
        "4:1",
        "unknown field 'chanel'",
    ),
    ("missing-channel", 'name: x\nimposing: ["CN"]\n', "1:1", "missing required field 'channel'"),
    ("unknown-country", 'name: x\nchannel: "#a"\nimposing: ["CN", Chnia]\n', "3:18", "did you mean 'China'"),
    ("norway-unquoted", 'name: x\nchannel: "#a"\ntargets: [NO]\n', "3:11", 'quote it: "NO" (Norway)'),
    (
        "hs-float",
        'name: x\nchannel: "#a"\ncommodities: [8112.92]\n',
        "3:15",
        'quote it so digits are kept: "8112.92"',
    ),
    (
        "unknown-commodity",
        'name: x\nchannel: "#a"\ncommodities:\n  - galium\n',
        "4:5",
        "did you mean 'gallium'",
    ),
    (
        "unknown-technology",
        'name: x\nchannel: "#a"\ntechnologies: [quantum compting]\n',
        "3:16",
        "did you mean 'quantum computing'",
    ),
    ("bad-event-type", 'name: x\nchannel: "#a"\nevent_types: [sanctions]\n', "3:15", "export_control"),
    (
        "confidence-range",
        'name: x\nchannel: "#a"\nimposing: ["CN"]\nmin_confidence: 1.5\n',
        "4:17",
        "less than or equal to 1",
    ),
    (
        "confidence-type",
        'name: x\nchannel: "#a"\nimposing: ["CN"]\nmin_confidence: high\n',
        "4:17",
        "valid number",
    ),
    ("bad-delivery", 'name: x\nchannel: "#a"\nimposing: ["CN"]\ndelivery: weekly\n', "4:11", "'immediate'"),
    ("bad-channel", 'name: x\nchannel: coercion\nimposing: ["CN"]\n', "2:10", "channel must be"),
    ("bad-name", 'name: "My Watchlist"\nchannel: "#a"\nimposing: ["CN"]\n', "1:7", "lowercase slug"),
    ("duplicate-key", 'name: x\nchannel: "#a"\nimposing: ["CN"]\nimposing: ["US"]\n', "4:1", "duplicate key"),
    ("no-filter", 'name: x\nchannel: "#a"\n', "1:1", "at least one filter"),
    ("keywords-shape", 'name: x\nchannel: "#a"\nkeywords: {and: [gallium]}\n', "3:12", "unknown field 'and'"),
    (
        "quiet-hours-unquoted",
        'name: x\nchannel: "#a"\nimposing: ["CN"]\nquiet_hours: {start: 22:00, end: "07:00"}\n',
        "4:22",
        "quoted as 'HH:MM'",
    ),
    (
        "bad-mention",
        'name: x\nchannel: "#a"\nimposing: ["CN"]\nmentions: ["@alice"]\n',
        "4:11",
        "Slack user id",
    ),
]


def test_examples_are_valid() -> None:
    result = load_watchlists(EXAMPLES)
    assert result.errors == []
    names = {w.name: w for w in result.watchlists}
    assert set(names) == {"cn-critical-minerals", "us-semiconductor-controls"}
    minerals = names["cn-critical-minerals"]
    assert (
        minerals.imposing == ["CN"] and "rare earths" in minerals.commodities
    )  # 稀土 folded into rare earths
    assert minerals.commodities.count("rare earths") == 1 and minerals.hs_codes == ["2805"]
    assert "semiconductor manufacturing equipment" in names["us-semiconductor-controls"].technologies


@pytest.mark.parametrize(("stem", "content", "position", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_watchlist_reports_file_line_column(
    tmp_path: Path, stem: str, content: str, position: str, words: str
) -> None:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(content, encoding="utf-8")
    result = load_watchlist_file(path)
    assert result.watchlists == []
    assert any(e.startswith(f"{path}:{position}: ") and words in e for e in result.errors), result.errors


def test_duplicate_names_across_files_and_good_files_still_load(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# same name again\n" + GOOD, encoding="utf-8")
    (tmp_path / "c.yaml").write_text("name: [\n", encoding="utf-8")
    result = load_watchlists(tmp_path)
    assert [w.name for w in result.watchlists] == ["good"]
    assert any(
        e.startswith(f"{tmp_path / 'b.yaml'}:2:7: duplicate watchlist name 'good'") for e in result.errors
    )
    assert any(e.startswith(f"{tmp_path / 'c.yaml'}:") for e in result.errors)


def test_aliases_resolve_to_canonical_values(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        'name: w\nchannel: "#a"\nimposing: [China, "NO", European Union]\ntargets: [日本]\n'
        'commodities: [稀土, "2811.29"]\ntechnologies: [chips, EUV]\n',
        encoding="utf-8",
    )
    (watchlist,) = load_watchlist_file(path).watchlists
    assert watchlist.imposing == ["CN", "NO", "EU"] and watchlist.targets == ["JP"]
    assert watchlist.commodities == ["rare earths", "2811.29"]
    assert watchlist.technologies == ["semiconductors", "lithography"]


def test_a_broken_edit_keeps_the_last_good_version_in_force(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(GOOD, encoding="utf-8")
    errors: list[str] = []
    cache = WatchlistCache(tmp_path, on_error=errors.append)
    assert [w.name for w in cache.current()] == ["good"]
    path.write_text(GOOD + "targets: [NO]\n", encoding="utf-8")
    assert [w.name for w in cache.current()] == ["good"] and errors and "Norway" in errors[0]
