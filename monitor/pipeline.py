"""One pass of the whole pipeline: crawl → tag → match → dispatch. Stages talk only through the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.context import AppContext

log = logging.getLogger(__name__)
Echo = Callable[[str], None]


@dataclass
class RunSummary:
    crawl_runs: list[dict[str, Any]] = field(default_factory=list)
    tagged: int = 0
    matched: int = 0
    dispatch: Any = None


def crawl_stage(
    app: AppContext, slugs: Sequence[str] | None = None, *, sample: bool = False, since: str | None = None
) -> list[dict[str, Any]]:
    from crawlers.runner import run_crawl

    config = app.config.crawl
    return run_crawl(
        app.db_path,
        slugs or config.sources or None,  # the configured sources, else every known one
        sample=sample,
        since=since,
        timeout_s=config.timeout_s,
        contact=config.contact,
        replay_root=None if sample else config.replay_root,
        settings=config.settings or None,
    )


def tag_stage(app: AppContext, tagger: Any = None) -> int:
    from nlp.stage import tag_new_documents
    from nlp.tagger import Tagger

    tagger = tagger or Tagger.load(encoder=app.config.model.encoder, artefacts=app.config.model.artefacts)
    return tag_new_documents(app.db(), tagger)


def alert_stage(app: AppContext, echo: Echo) -> tuple[int, Any]:
    from monitor.flow import dispatch_pending, match
    from watchlists.loader import load_watchlists

    loaded = load_watchlists(app.watchlists_dir)
    for error in loaded.errors:
        echo(f"watchlist error (file skipped, others still apply): {error}")
    matched = match(app.db(), loaded.watchlists)
    report = dispatch_pending(
        app.db(), token=app.config.slack_token, api_url=app.config.slack.api_url, echo=echo
    )
    return matched, report


def run_once(
    app: AppContext, *, sample: bool = False, echo: Echo = print, tagger: Any = None, crawl: bool = True
) -> RunSummary:
    summary = RunSummary()
    if crawl:
        summary.crawl_runs = crawl_stage(app, sample=sample)
    summary.tagged = tag_stage(app, tagger)
    summary.matched, summary.dispatch = alert_stage(app, echo)
    return summary
