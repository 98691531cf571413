"""Durations and columns as `cwatch status` prints them."""

from __future__ import annotations

import pytest

from monitor.durations import aligned, human_duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0, "0 s"),
        (45.7, "45 s"),
        (112, "1 m 52 s"),
        (3_600, "1 h"),
        (3_725, "1 h 2 m"),
        (183_600, "2 d 3 h"),
        (86_400 * 30 + 5, "30 d"),
        (-90, "-1 m 30 s"),
    ],
)
def test_human_duration(seconds: float | None, text: str) -> None:
    assert human_duration(seconds) == text


def test_aligned_columns() -> None:
    lines = aligned(["source", "p50"], [["cn_mofcom", "1 m 52 s"], ["us_bis", "3 s"]], right=(1,))
    assert lines == [
        "source          p50",
        "cn_mofcom  1 m 52 s",
        "us_bis          3 s",
    ]
