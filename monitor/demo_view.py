"""What `cwatch demo` shows after the run: the early-warning signals an analyst would look at.

The demo computes the signals the daemon's daily job computes (cases, retaliation links, the escalation
index up to the sample's last day) and prints them readably: cases with their stages, the strongest
"possible response to" links with the dates they compared, and the pairs whose index rose the most.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlite_utils import Database

from research.report_data import canonical_commodity
from signals.cases import link_pending
from signals.escalation_pass import compute_index
from signals.retaliation_passes import link_all

# EU measures name the Union's trade partners; a member state in their targets is a tagger artefact
# (a member's company named in the text), never a target of the Union's own measure.
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
MIN_INDEX = 1.0  # risers below this are noise: a tenfold rise of a near-zero index means nothing


def compute(db: Database) -> dict[str, int]:
    """The daily job's computations over the whole sample (the sample is history, not today)."""
    last = db.execute("SELECT max(substr(coalesce(published, fetched), 1, 10)) FROM documents").fetchone()[0]
    until = date.fromisoformat(last) if last else date.today()
    return {
        "cases_linked": link_pending(db),
        "retaliation_links": link_all(db),
        "index_rows": compute_index(db, until=until),
    }


def _targets(imposing: str | None, targets: list[str]) -> str:
    shown = [t for t in targets if not (imposing == "EU" and t in EU_MEMBERS)]
    return ", ".join(shown) or "all countries"


def case_lines(db: Database, limit: int = 5) -> list[str]:
    rows = db.execute(
        "SELECT c.id, c.imposing, c.remedy, c.product, c.targets,"
        " (SELECT json_group_array(json_array(stage, substr(coalesce(reached, ''), 1, 10)))"
        "  FROM (SELECT * FROM case_stages WHERE case_id = c.id ORDER BY reached)) AS stages,"
        " (SELECT count(*) FROM case_stages WHERE case_id = c.id) AS n"
        " FROM cases c ORDER BY n DESC, c.updated_at DESC LIMIT ?",
        [limit],
    ).fetchall()
    lines = []
    for _id, imposing, remedy, product, targets, stages, _n in rows:
        steps = " → ".join(f"{stage.replace('_', ' ')} {day}" for stage, day in json.loads(stages))
        lines.append(
            f"  {imposing} {remedy.replace('_', '-')} on {canonical_commodity(product)}"
            f" ({_targets(imposing, json.loads(targets))}): {steps}"
        )
    return lines


def link_lines(db: Database, limit: int = 3) -> list[str]:
    rows = db.execute(
        "SELECT r.score, r.days, r.components, e.imposing, d.title, pe.imposing, pd.title"
        " FROM retaliation_links r JOIN events e ON e.id = r.event_id JOIN documents d ON d.id = e.document_id"
        " JOIN events pe ON pe.id = r.prior_event_id JOIN documents pd ON pd.id = pe.document_id"
        " WHERE r.rank = 1 ORDER BY r.score DESC, r.days LIMIT ?",
        [limit],
    ).fetchall()
    lines = []
    for score, days, components, imposing, title, prior_imposing, prior_title in rows:
        terms = json.loads(components)
        lines.append(f"  {imposing}: {title}")
        lines.append(f"    possible response to {prior_imposing}: {prior_title}")
        dated = ""
        if terms.get("prior_public"):
            dated = (
                f"; first public {terms['prior_public']} ({terms['prior_public_basis']})"
                f" vs {terms['public']} ({terms['public_basis']})"
            )
        lines.append(f"    score {score:.2f}, {days:.1f} days apart{dated}")
    return lines


def riser_lines(db: Database, limit: int = 3) -> list[str]:
    rows = db.execute(
        "SELECT imposing, target, day, value, change_7d FROM escalation_index"
        " WHERE value >= ? AND change_7d > 0 ORDER BY change_7d DESC, day DESC",
        [MIN_INDEX],
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    lines = []
    for imposing, target, day, value, change in rows:
        if (imposing, target) in seen:
            continue
        seen.add((imposing, target))
        lines.append(f"  {imposing} → {target}: index {value:.1f} on {day}, {change:+.0f}% over 7 days")
        if len(lines) == limit:
            break
    return lines


def show(db: Database, echo: Callable[[str], None]) -> dict[str, int]:
    """Compute the signals and print what an analyst sees; returns the computation counts."""
    counts = compute(db)
    echo("\n── early warning " + "─" * 54)
    for title, lines, hint in (
        ("cases (a proceeding followed through its stages)", case_lines(db), "cwatch cases"),
        ("possible responses (retaliation links)", link_lines(db), "cwatch browse → retaliation_links"),
        ("escalation risers (largest 7-day rise of the index)", riser_lines(db), "cwatch escalation"),
    ):
        echo(f"{title}:   [{hint}]")
        for line in lines or ["  none in the sample"]:
            echo(line)
    return counts
