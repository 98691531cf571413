"""`cwatch report`: the three charts and a one-page HTML that embeds them."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from db.queries import EventFilter, monthly_counts_by_type, pair_counts, top_items
from db.store import utcnow
from research import charts
from research.charts import Chart

MAIN_CHART = "measures_per_month.png"


@dataclass
class Report:
    out_dir: Path
    charts: list[Chart]
    html_path: Path
    measures: int

    @property
    def main_chart(self) -> Chart:
        return self.charts[0]


def build_charts(db: Database, out_dir: Path, flt: EventFilter) -> list[Chart]:
    out_dir.mkdir(parents=True, exist_ok=True)
    made = [
        charts.measures_per_month(monthly_counts_by_type(db, flt), out_dir / MAIN_CHART),
        charts.pair_heatmap(pair_counts(db, flt), out_dir / "imposing_target_heatmap.png"),
        charts.top_items(
            top_items(db, "commodity", flt),
            top_items(db, "technology", flt),
            out_dir / "top_commodities_technologies.png",
        ),
    ]
    series = escalation_series(db, flt.since)
    if series:  # only once `cwatch signals update` (or the daemon) has computed the index
        made.append(charts.escalation_lines(series, out_dir / "escalation_index.png"))
    return made


def escalation_series(db: Database, since: str | None, pairs: int = 5) -> dict[str, list[tuple[str, float]]]:
    """The stored daily index of the pairs with the highest peaks (empty on stores without signals)."""
    from db import escalation_store
    from signals.escalation import stored_series

    if not escalation_store.has_tables(db):
        return {}
    every = {pair: stored_series(db, *pair, since=since or "0000") for pair in escalation_store.pairs(db)}
    ranked = sorted(
        (pair for pair, rows in every.items() if rows),
        key=lambda pair: (-max(r["value"] for r in every[pair]), pair),
    )[:pairs]
    return {f"{i} → {t}": [(r["day"], float(r["value"])) for r in every[(i, t)]] for i, t in ranked}


def build_report(db: Database, out_dir: str | Path, *, since: str | None = None) -> Report:
    out = Path(out_dir)
    flt = EventFilter(since=since)
    made = build_charts(db, out, flt)
    measures = sum(r["n"] for r in monthly_counts_by_type(db, flt))
    page = out / "index.html"
    page.write_text(render_html(made, since=since, measures=measures, generated=utcnow()), encoding="utf-8")
    return Report(out_dir=out, charts=made, html_path=page, measures=measures)


def render_html(made: list[Chart], *, since: str | None, measures: int, generated: str) -> str:
    esc = html.escape
    period = f"since {esc(since)}" if since else "all time"
    figures = "\n".join(
        f'  <figure>\n    <img src="{esc(c.path.name)}" alt="{esc(c.alt)}"'
        f' width="{c.width}" height="{c.height}">\n'
        f"    <figcaption>{esc(c.title)}</figcaption>\n  </figure>"
        for c in made
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>coercion-watch report ({period})</title>
  <style>
    body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1240px; color: #222; }}
    figure {{ margin: 2rem 0; }}
    img {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
    figcaption {{ color: #555; }}
  </style>
</head>
<body>
  <h1>Economic coercion measures</h1>
  <p>{measures} measures, {period}. Generated {esc(generated)} by coercion-watch.</p>
{figures}
</body>
</html>
"""
