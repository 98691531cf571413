"""The import rule (DESIGN.md, data flow; docs/architecture.md): stages talk only through the store.

crawlers, nlp, research, signals, alerts and delivery import only db, watchlists (the operators' validated
config) and their own modules; db and watchlists import no stage; monitor is the only package that wires
stages together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"crawlers", "nlp", "research", "signals", "alerts", "delivery", "db", "watchlists", "monitor"}
SHARED = {"db", "watchlists"}
ALLOWED: dict[str, set[str]] = {
    **{stage: SHARED for stage in ("crawlers", "nlp", "research", "signals", "alerts", "delivery")},
    "db": set(),
    "watchlists": {"db"},
    "monitor": PACKAGES,
}


def imported_packages(source: str) -> set[str]:
    """Our top-level packages a module imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & PACKAGES


def violations(root: Path) -> list[str]:
    problems = []
    for package in sorted(PACKAGES):
        for path in sorted((root / package).rglob("*.py")):
            extra = imported_packages(path.read_text(encoding="utf-8")) - ALLOWED[package] - {package}
            problems += [f"{path.relative_to(root)} imports {name}" for name in sorted(extra)]
    return problems


def test_no_stage_imports_another() -> None:
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("package", "line"),
    [
        ("alerts", "from signals.cases import case_story"),
        ("signals", "import alerts.render"),
        ("alerts", "from delivery.slack import Poster"),
        ("db", "from nlp import tagger"),
        ("research", "    from monitor.flow import match"),
    ],
)
def test_a_crossing_import_is_caught(tmp_path: Path, package: str, line: str) -> None:
    for name in PACKAGES:
        (tmp_path / name).mkdir()
    body = f"def f() -> None:\n{line}\n" if line.startswith(" ") else f"{line}\n"
    (tmp_path / package / "bad.py").write_text(body, encoding="utf-8")
    assert violations(tmp_path) == [f"{package}/bad.py imports {line.split()[1].split('.')[0]}"]
