"""Stage commands owned by the pipeline itself: ingest, run, demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from db.ingest import ingest_jsonl
from db.store import counts
from monitor.commands.common import pass_app
from monitor.context import AppContext
from monitor.pipeline import RunSummary, run_once

DEMO_DIR = Path("demo-out")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["official", "news", "other"]),
    default="other",
    help="Source kind for sources not yet known to the store.",
)
@pass_app
def ingest(app: AppContext, file: Path, kind: str) -> None:
    """Store documents from a JSONL file (title, text, url, published, source, language).

    They then go through tagging and alerting like crawled documents.

    \b
    Example:
      cwatch ingest notes.jsonl && cwatch tag && cwatch alert
    """
    report = ingest_jsonl(app.db(), file, source_kind=kind)
    for error in report.errors:
        click.echo(f"skipped {error}", err=True)
    click.echo(
        f"read {report.read}: new {report.new}, changed {report.changed}, unchanged {report.unchanged},"
        f" bad {len(report.errors)}"
    )
    if report.errors:
        raise SystemExit(1)  # the good lines are stored; the exit says not all of the file was


@click.command()
@click.option("--once", is_flag=True, required=True, help="One pass: crawl all, tag, match, dispatch.")
@click.option(
    "--sample", is_flag=True, help="Crawl the bundled sample sources on 127.0.0.1 instead of the web."
)
@pass_app
def run(app: AppContext, once: bool, sample: bool) -> None:
    """Run the whole pipeline once (the daemon is `cwatch serve`).

    \b
    Example:
      cwatch --db events.db run --once
    """
    from delivery.slack import SlackAuthError

    try:
        summary = run_once(app, sample=sample, echo=click.echo)
    except SlackAuthError as exc:  # crawled and tagged (stored); alerts stay pending for a valid token
        raise click.ClickException(str(exc)) from None
    _print_summary(app, summary)
    if summary.crawl_runs and all(r["status"] != "ok" for r in summary.crawl_runs):
        raise click.ClickException(
            f"every source failed ({len(summary.crawl_runs)} of {len(summary.crawl_runs)})"
        )


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEMO_DIR,
    show_default=True,
    help="Folder for the demo's own store.",
)
@click.option("--keep", is_flag=True, help="Keep the previous demo store instead of starting fresh.")
@pass_app
def demo(app: AppContext, out_dir: Path, keep: bool) -> None:
    """Run the whole pipeline offline on the bundled sample sources, with its own store.

    \b
    Example:
      cwatch demo
    """
    if not keep and out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app.config.db = str(out_dir / "cwatch-demo.db")
    demo_app = AppContext(app.config)
    click.echo(f"coercion-watch demo: bundled sample sources served on 127.0.0.1, store {demo_app.db_path}\n")
    summary = run_once(demo_app, sample=True, echo=click.echo)
    from monitor.demo_view import show  # the signals the daemon's daily job computes, shown readably

    show(demo_app.db(), click.echo)
    _print_summary(demo_app, summary)


def _print_summary(app: AppContext, summary: RunSummary) -> None:
    numbers = counts(app.db())
    click.echo("\n── summary " + "─" * 60)
    for run_row in summary.crawl_runs:
        reason = f" ({run_row.get('reason')})" if run_row.get("reason") else ""
        click.echo(
            f"  crawl {run_row['slug']:<24} {run_row['status']:<6} new {run_row.get('new', 0):>3}"
            f"  changed {run_row.get('changed', 0):>3}{reason}"
        )
    click.echo(f"  documents {numbers['documents']}  (tagged this run: {summary.tagged})")
    by_type = ", ".join(f"{k} {v}" for k, v in numbers["events_by_type"].items()) or "none"
    click.echo(f"  events {numbers['events']}: {by_type}")
    click.echo(
        f"  alerts queued this run {summary.matched}; outbox by status: {numbers['alerts_by_status'] or {}}"
    )
    click.echo(f"  store: {app.db_path.resolve()}")
    click.echo(
        f'  explore: cwatch --db {app.db_path} query "SELECT event_type, count(*) FROM events GROUP BY 1"'
    )


def register(group: click.Group) -> None:
    for command in (ingest, run, demo):
        group.add_command(command)
