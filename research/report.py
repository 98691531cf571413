"""`cwatch report`: the charts, the numbers behind them, and a one-page HTML with links into the console."""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db.escalation import stored_series, top_pairs
from db.queries import EventFilter, monthly_counts_by_type, pair_counts, table_exists, top_items
from db.store import utcnow
from research import charts
from research.charts import Chart
from research.report_data import ALL_COUNTRIES, top_commodities, trim_months, untargeted_counts

MAIN_CHART = "measures_per_month.png"
ESCALATION_PAIRS = 3


@dataclass
class Report:
    out_dir: Path
    charts: list[Chart]
    html_path: Path
    measures: int

    @property
    def main_chart(self) -> Chart:
        return self.charts[0]


@dataclass
class Table:
    """The numbers behind one chart; `links` holds a console URL per row (or "" for none)."""

    caption: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[str] = field(default_factory=list)


def _console(base: str, view: str, **params: str) -> str:
    query = urllib.parse.urlencode(params)
    return f"{base.rstrip('/')}/{view}" + (f"?{query}" if query else "")


def build_charts(
    db: Database, out_dir: Path, flt: EventFilter, console: str = ""
) -> tuple[list[Chart], list[Table]]:
    """The charts, and beside each the table of its numbers (with links into the console at `console`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    monthly, left_out = trim_months(monthly_counts_by_type(db, flt))
    pairs = pair_counts(db, flt) + untargeted_counts(db, flt)
    commodities = top_commodities(db, flt)
    technologies = top_items(db, "technology", flt)
    made = [
        charts.measures_per_month(monthly, out_dir / MAIN_CHART, left_out=left_out),
        charts.pair_heatmap(pairs, out_dir / "imposing_target_heatmap.png"),
        charts.top_items(commodities, technologies, out_dir / "top_commodities_technologies.png"),
    ]
    per_month: dict[str, dict[str, int]] = {}
    for r in monthly:
        per_month.setdefault(r["month"], {})[r["event_type"]] = r["n"]
    tables = [
        Table(
            "Measures per month" + (f" ({left_out} in stray months outside the chart)" if left_out else ""),
            ["month", "measures", "by type"],
            [
                [m, sum(t.values()), ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(t.items()))]
                for m, t in sorted(per_month.items(), reverse=True)
            ],
            [
                _console(console, "event_facets", month=m) if console else ""
                for m in sorted(per_month, reverse=True)
            ],
        ),
        Table(
            "Measures per imposing → targeted country",
            ["imposing", "target", "measures"],
            [[r["imposing"], r["target"], r["n"]] for r in pairs],
            [
                _console(console, "events_by_pair_month", imposing=r["imposing"], target=r["target"])
                if console and r["target"] != ALL_COUNTRIES
                else ""
                for r in pairs
            ],
        ),
        Table(
            "Top commodities and technologies",
            ["kind", "name", "measures"],
            [["commodity", r["name"], r["n"]] for r in commodities]
            + [["technology", r["name"], r["n"]] for r in technologies],
            [
                _console(console, "measures_on_item", item=r["name"]) if console else ""
                for r in [*commodities, *technologies]
            ],
        ),
    ]
    series = escalation_series(db, flt.since, pairs=ESCALATION_PAIRS)
    for n, (label, points) in enumerate(series.items(), start=1):  # one chart per top pair, tallest first
        made.append(charts.escalation_lines({label: points}, out_dir / f"escalation_{n}.png"))
        imposing, target = label.split(" → ")
        peak_day, peak = max(points, key=lambda p: (p[1], p[0]))
        tables.append(
            Table(
                f"Escalation index {label}: latest and peak",
                ["day", "index"],
                [["latest " + points[-1][0], round(points[-1][1], 2)], ["peak " + peak_day, round(peak, 2)]],
                [_console(console, "escalation_index", imposing=imposing, target=target) if console else ""]
                * 2,
            )
        )
    return made, tables


def escalation_series(db: Database, since: str | None, pairs: int = 5) -> dict[str, list[tuple[str, float]]]:
    """The stored daily index of the pairs with the highest peaks (empty on stores without signals)."""
    if not table_exists(db, "escalation_state"):
        return {}
    return {
        f"{imposing} → {target}": [
            (r["day"], float(r["value"])) for r in stored_series(db, imposing, target, since=since, top=False)
        ]
        for imposing, target, _peak in top_pairs(db, pairs, since=since)
    }


def build_report(db: Database, out_dir: str | Path, *, since: str | None = None, console: str = "") -> Report:
    """Charts, tables and index.html in `out_dir`; `console`: the store's URL in `cwatch browse`
    (e.g. http://127.0.0.1:8001/events), for the links beside each table (none when empty)."""
    out = Path(out_dir)
    flt = EventFilter(since=since)
    made, tables = build_charts(db, out, flt, console)
    measures = sum(r["n"] for r in monthly_counts_by_type(db, flt))
    page = out / "index.html"
    page.write_text(
        render_html(made, since=since, measures=measures, generated=utcnow(), tables=tables, console=console),
        encoding="utf-8",
    )
    return Report(out_dir=out, charts=made, html_path=page, measures=measures)


def _table_html(table: Table) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in table.headers)
    body = []
    for i, row in enumerate(table.rows):
        link = table.links[i] if i < len(table.links) else ""
        cells = [f"<td>{esc(str(v))}</td>" for v in row]
        if link:
            cells.append(f'<td><a href="{esc(link)}">in the console</a></td>')
        else:
            cells.append("<td></td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'  <table class="numbers">\n    <caption>{esc(table.caption)}</caption>\n'
        f"    <thead><tr>{head}<th></th></tr></thead>\n    <tbody>{''.join(body)}</tbody>\n  </table>"
    )


def render_html(
    made: list[Chart],
    *,
    since: str | None,
    measures: int,
    generated: str,
    tables: list[Table] | None = None,
    console: str = "",
) -> str:
    esc = html.escape
    period = f"since {esc(since)}" if since else "all time"
    tables = tables or []
    figures = "\n".join(
        f'  <figure>\n    <img src="{esc(c.path.name)}" alt="{esc(c.alt)}"'
        f' width="{c.width}" height="{c.height}">\n'
        f"    <figcaption>{esc(c.title)}</figcaption>\n  </figure>"
        + (f"\n{_table_html(tables[i])}" if i < len(tables) else "")
        for i, c in enumerate(made)
    )
    if console:
        where = f'<a href="{esc(console)}">the console</a> (<code>cwatch browse</code>)'
    else:
        where = "the console (<code>cwatch browse</code>)"
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
    table.numbers {{ border-collapse: collapse; margin: 0.5rem 0 2rem; font-size: 0.95rem; }}
    table.numbers caption {{ text-align: left; font-weight: bold; padding: 0.3rem 0; }}
    table.numbers th, table.numbers td {{ border-bottom: 1px solid #ddd; padding: 0.2rem 0.8rem; text-align: left; }}
  </style>
</head>
<body>
  <h1>Economic coercion measures</h1>
  <p>{measures} measures, {period}. Generated {esc(generated)} by coercion-watch. The documents behind
  every number are in {where}.</p>
{figures}
</body>
</html>
"""
