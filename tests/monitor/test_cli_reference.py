"""The CLI reference stays true: every command and subcommand has help text with an example, and the README's
"CLI at a glance" table names it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from monitor.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def table_rows(readme: str) -> list[str]:
    section = readme.split("## The CLI at a glance", 1)[1].split("\n## ", 1)[0]
    return [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `cwatch")]


def listed(rows: list[str], path: tuple[str, ...]) -> bool:
    """`cwatch alerts feedback` is listed by a row naming `cwatch alerts` that also names `feedback`."""
    head, *rest = path
    for row in rows:
        if re.search(rf"`cwatch {re.escape(head)}(?=[ `])", row) and all(
            re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", row) for word in rest
        ):
            return True
    return False


ALL = list(commands(main))


def test_the_walk_sees_every_command() -> None:
    names = {" ".join(path) for path, _ in ALL}
    assert {"alert", "alerts feedback", "share", "signals update", "watchlist new"} <= names
    assert len(names) >= 30


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_has_help_with_an_example_and_a_readme_row(
    path: tuple[str, ...], command: click.Command
) -> None:
    help_text = command.help or ""
    assert help_text.strip(), f"cwatch {' '.join(path)} has no help text"
    examples = [line for line in help_text.split("Example", 1)[-1].splitlines() if "cwatch" in line]
    assert "Example" in help_text and any(all(word in line.split() for word in path) for line in examples), (
        f"cwatch {' '.join(path)}: help text needs an example invocation"
    )
    assert listed(table_rows(README.read_text(encoding="utf-8")), path), (
        f"cwatch {' '.join(path)} is missing from README's CLI table"
    )


def test_a_missing_row_is_caught() -> None:
    rows = ["| `cwatch alerts list \\| show ID`"]
    assert listed(rows, ("alerts", "list")) and not listed(rows, ("alerts", "feedback"))
    assert not listed(rows, ("alert",))  # `cwatch alerts` does not list `cwatch alert`
