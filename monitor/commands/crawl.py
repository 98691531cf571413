"""Crawler commands: crawl, sources list, sources check."""

from __future__ import annotations

import json
from datetime import date

import click

from monitor.commands.common import pass_app
from monitor.context import AppContext


@click.command()
@click.argument("slugs", nargs=-1)
@click.option("--since", help="Backfill: documents published on or after this date (YYYY-MM-DD).")
@click.option("--sample", is_flag=True, help="Crawl the bundled demo sample on 127.0.0.1 instead of the web.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def crawl(app: AppContext, slugs: tuple[str, ...], since: str | None, sample: bool, as_json: bool) -> None:
    """Crawl sources (all when no SLUG is given) and store new or changed documents.

    Each source's run is recorded (see `cwatch sources list`); one failing source never stops the others.

    \b
    Examples:
      cwatch crawl us_federal_register uk_trade_remedies
      cwatch crawl --since 2024-10-01 us_federal_register
      cwatch crawl --sample
    """
    from crawlers.runner import UnknownSource, run_crawl

    if since:
        try:
            date.fromisoformat(since)
        except ValueError as exc:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from exc
    try:
        results = run_crawl(
            app.db_path,
            list(slugs) or None,
            sample=sample,
            since=since,
            timeout_s=app.config.crawl.timeout_s,
            contact=app.config.crawl.contact,
        )
    except UnknownSource as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(results, indent=2))
    for r in [] if as_json else results:
        click.echo(
            f"{r['slug']:<26}{r['status']:<8}items {r['items']:>4}  new {r['new']:>4}"
            f"  changed {r['changed']:>3}  pages {r['pages']:>4}  errors {r['errors']:>3}"
            + (f"  {r['reason']}" if r["reason"] else "")
        )
    if any(r["status"] != "ok" for r in results):
        raise SystemExit(1)


@click.group()
def sources() -> None:
    """Known sources: their health, and live checks of their selectors."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def list_sources(app: AppContext, as_json: bool) -> None:
    """Each source with its last run, last success, items and consecutive failures.

    \b
    Example:
      cwatch sources list
    """
    from crawlers.registry import all_sources
    from db.health import source_health
    from db.store import upsert_source

    db = app.db()
    metas = all_sources()
    for meta in metas:
        upsert_source(db, meta)
    crawled = {m.slug for m in metas}  # a feed's own source rows are crawled by news_feeds, not listed
    rows = [h.__dict__ for h in source_health(db) if h.slug in crawled]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'source':<28}{'last run':<27}{'result':<8}{'last success':<27}{'items':>6}{'fails':>6}")
    for h in rows:
        click.echo(
            f"{h['slug']:<28}{h['last_run'] or '-':<27}{h['last_status'] or '-':<8}"
            f"{h['last_success'] or '-':<27}{h['last_items'] if h['last_items'] is not None else '-':>6}"
            f"{h['failures_in_a_row']:>6}" + (f"  {h['last_reason']}" if h["last_reason"] else "")
        )


@sources.command("check")
@click.argument("slugs", nargs=-1)
@pass_app
def check(app: AppContext, slugs: tuple[str, ...]) -> None:
    """Fetch one listing page and one detail page live and report whether the selectors still match.

    Nothing is stored. Run it after a publisher redesigns its site.

    \b
    Example:
      cwatch sources check eu_dg_trade
    """
    from crawlers.check import check_source
    from crawlers.registry import spider_classes

    failed = False
    for slug in slugs or tuple(spider_classes()):
        if slug not in spider_classes():
            raise click.ClickException(f"unknown source {slug!r}")
        result = check_source(
            slug,
            contact=app.config.crawl.contact,
            timeout_s=min(app.config.crawl.timeout_s, 300),
            settings=app.config.crawl.settings,  # per-source overrides (CWATCH_SOURCES) apply
        )
        click.echo(result.line())
        failed = failed or not result.ok
    if failed:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(crawl)
    group.add_command(sources)
