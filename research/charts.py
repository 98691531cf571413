"""The report's charts as PNG files (matplotlib, Agg backend: no display needed on servers).

Figures have a fixed size and are saved without `bbox_inches="tight"`, so every chart's pixel size is
known in advance (the HTML page declares it, and tests check it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere in this process

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from db.taxonomy import TAXONOMY  # noqa: E402

DPI = 100
SIZE_INCHES = {"wide": (12.0, 6.0), "square": (9.0, 7.0)}
# One colour per event type, stable across charts and weeks (db/taxonomy.py).
TYPE_COLOURS = {t.name: t.colour for t in TAXONOMY}


@dataclass(frozen=True)
class Chart:
    path: Path
    title: str
    alt: str
    width: int
    height: int


def _new(kind: str) -> tuple[Figure, Any]:
    fig, ax = plt.subplots(figsize=SIZE_INCHES[kind], dpi=DPI)
    return fig, ax


def _save(fig: Figure, path: Path, title: str, alt: str) -> Chart:
    width, height = (int(round(v * DPI)) for v in fig.get_size_inches())
    fig.savefig(path, dpi=DPI, format="png")
    plt.close(fig)
    return Chart(path=path, title=title, alt=alt, width=width, height=height)


def _empty(ax: Any, message: str = "no measures in this period") -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=16, color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def month_range(months: list[str]) -> list[str]:
    """Every 'YYYY-MM' from the first to the last given, so quiet months show as gaps, not vanish.
    Malformed dates (a scraper's bad `published`) are left out rather than breaking the chart."""
    months = sorted(m for m in months if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m))
    if not months:
        return []
    year, month = (int(v) for v in months[0].split("-"))
    out: list[str] = []
    while (label := f"{year:04d}-{month:02d}") <= months[-1]:
        out.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def measures_per_month(rows: list[dict[str, Any]], path: Path, left_out: int = 0) -> Chart:
    """Stacked bars: measures per month, one colour per event type. `left_out`: measures in stray months
    the caller trimmed off (research/report_data.py), said in the title so the axis never hides them."""
    months = month_range(sorted({r["month"] for r in rows if r["month"]}))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if r["month"]:
            counts[r["event_type"]][r["month"]] = r["n"]
    fig, ax = _new("wide")
    if months:
        bottom = [0] * len(months)
        ordered = [t for t in TYPE_COLOURS if t in counts] + sorted(set(counts) - set(TYPE_COLOURS))
        for event_type in ordered:
            heights = [counts[event_type].get(m, 0) for m in months]
            ax.bar(
                range(len(months)),
                heights,
                bottom=bottom,
                label=event_type.replace("_", " "),
                color=TYPE_COLOURS.get(event_type, "#7f7f7f"),
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_ylabel("measures")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 measure ticks
        ax.legend(loc="upper left", fontsize=9)
        ax.tick_params(axis="x", labelrotation=45)
        step = max(1, len(months) // 24)  # at most ~24 month labels, however long the period
        ax.set_xticks(range(0, len(months), step), months[::step], ha="right", rotation_mode="anchor")
    else:
        _empty(ax)
    note = f" ({left_out} outside the span shown)" if left_out else ""
    ax.set_title("Measures per month by type" + note)
    fig.tight_layout()
    total = sum(r["n"] for r in rows)
    span = f", {months[0]} to {months[-1]}" if months else ""
    alt = f"Stacked bar chart of {total} measures over {len(months)} months{span}, by measure type{note}"
    return _save(fig, path, "Measures per month by type", alt)


def pair_heatmap(rows: list[dict[str, Any]], path: Path, max_countries: int = 15) -> Chart:
    """Heatmap of imposing (rows) × targeted (columns) country counts, busiest countries only. Rows whose
    target is "all countries" (measures naming no target) get their own last column."""
    everyone = "all countries"
    imposing_tot: dict[str, int] = defaultdict(int)
    target_tot: dict[str, int] = defaultdict(int)
    for r in rows:
        imposing_tot[r["imposing"]] += r["n"]
        target_tot[r["target"]] += r["n"]
    imposers = sorted(imposing_tot, key=lambda c: (-imposing_tot[c], c))[:max_countries]
    targets = sorted((c for c in target_tot if c != everyone), key=lambda c: (-target_tot[c], c))
    targets = targets[:max_countries] + ([everyone] if everyone in target_tot else [])
    fig, ax = _new("square")
    if imposers and targets:
        grid = [[0] * len(targets) for _ in imposers]
        for r in rows:
            if r["imposing"] in imposers and r["target"] in targets:
                grid[imposers.index(r["imposing"])][targets.index(r["target"])] = r["n"]
        image = ax.imshow(grid, cmap="Reds", aspect="auto")
        ax.set_xticks(range(len(targets)), [t.replace(" ", "\n") for t in targets])
        ax.set_yticks(range(len(imposers)), imposers)
        ax.set_xlabel("targeted country")
        ax.set_ylabel("imposing country")
        peak = max(max(row) for row in grid) or 1
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                if value:
                    ax.text(
                        j,
                        i,
                        str(value),
                        ha="center",
                        va="center",
                        color="white" if value > peak / 2 else "black",
                        fontsize=10,
                    )
        fig.colorbar(image, ax=ax, label="measures", ticks=MaxNLocator(integer=True))
    else:
        _empty(ax)
    ax.set_title("Who imposes measures on whom")
    fig.tight_layout()
    alt = (
        f"Heatmap of measures by imposing country ({', '.join(imposers) or 'none'}) "
        f"and targeted country ({', '.join(targets) or 'none'})"
    )
    return _save(fig, path, "Imposing × targeted country", alt)


def top_items(commodities: list[dict[str, Any]], technologies: list[dict[str, Any]], path: Path) -> Chart:
    """Two horizontal bar charts side by side: most frequent commodities and technologies."""
    fig, axes = plt.subplots(1, 2, figsize=SIZE_INCHES["wide"], dpi=DPI)
    for ax, rows, label, colour in (
        (axes[0], commodities, "Top commodities", "#2ca02c"),
        (axes[1], technologies, "Top technologies", "#1f77b4"),
    ):
        if rows:
            names = [r["name"] for r in reversed(rows)]
            ax.barh(names, [r["n"] for r in reversed(rows)], color=colour)
            ax.set_xlabel("measures")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            _empty(ax, "none in this period")
        ax.set_title(label)
    fig.tight_layout()
    alt = (
        "Bar charts of the most frequent commodities ("
        + ", ".join(r["name"] for r in commodities[:5])
        + ") and technologies ("
        + ", ".join(r["name"] for r in technologies[:5])
        + ")"
    )
    return _save(fig, path, "Top commodities and technologies", alt)


def escalation_lines(series: dict[str, list[tuple[str, float]]], path: Path) -> Chart:
    """One line per ordered country pair: the daily escalation index (signals/escalation.py)."""
    from datetime import date as _date

    fig, ax = _new("wide")
    drawn = 0
    for label, points in series.items():
        if points:
            ax.plot(
                [_date.fromisoformat(d) for d, _ in points],
                [v for _, v in points],
                label=label,
                linewidth=1.6,
            )
            drawn += 1
    if drawn:
        ax.set_ylabel("escalation index")
        ax.legend(loc="upper left", fontsize=9)
        fig.autofmt_xdate()
    else:
        _empty(ax, "no escalation index computed yet (cwatch signals update)")
    ax.set_title("Escalation index by country pair (imposing → target)")
    fig.tight_layout()
    alt = f"Line chart of the daily escalation index for {drawn} country pairs: {', '.join(series)}"
    return _save(fig, path, "Escalation index by country pair", alt)
