"""`cwatch serve`: the APScheduler daemon. Crawls run as subprocesses; the model loads once, here."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from db.health import failures_in_a_row
from db.records import SourceMeta
from monitor.context import AppContext
from monitor.logs import kv
from monitor.schedules import parse_schedule
from monitor.triggers import StageRunner, crawl_stored_something
from monitor.watchlist_cache import WatchlistCache

log = logging.getLogger("cwatch.daemon")


class Daemon:
    def __init__(
        self, app: AppContext, sources: list[SourceMeta], *, tagger_factory: Callable[[], Any] | None = None
    ) -> None:
        self.app = app
        self.sources = sources
        self._tagger_factory = tagger_factory
        self._tagger: Any = None
        self._tagger_lock = threading.Lock()
        self._open_breakers: set[str] = set()  # delivery breakers already told to the ops channel
        self.stages = StageRunner()  # tag and alert run on their schedule and when woken by new data
        self.watchlists = WatchlistCache(app.watchlists_dir, on_error=self._notify_ops)
        self.scheduler = BlockingScheduler(
            timezone="UTC",
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": app.config.jobs.misfire_grace_s,
            },
        )

    # --- jobs ---------------------------------------------------------------------------------

    def crawl_job(self, slug: str) -> None:
        from crawlers.runner import run_crawl

        config = self.app.config.crawl
        results = run_crawl(
            self.app.db_path,
            [slug],
            timeout_s=config.timeout_s,
            contact=config.contact,
            replay_root=config.replay_root,
            settings=config.settings or None,
        )
        for result in results:
            log.info(
                "crawl finished",
                extra=kv(
                    **{k: result.get(k) for k in ("slug", "status", "reason", "pages", "new", "changed")}
                ),
            )
            self._check_source(result)
        if crawl_stored_something(results):  # tag now, not at the next poll of the tag job
            self.stages.wake("tag", self._tag_once)

    def tag_job(self) -> None:
        self.stages.run("tag", self._tag_once)

    def _tag_once(self) -> None:
        from nlp.stage import tag_new_documents

        with self._tagger_lock:
            tagged = tag_new_documents(self.app.db(), self.tagger)
        if tagged:
            log.info("tagged", extra=kv(documents=tagged))
            self.stages.wake("alert", self._alert_once)  # match and dispatch what was just tagged

    def alert_job(self) -> None:
        self.stages.run("alert", self._alert_once)

    def _alert_once(self) -> None:
        from delivery.slack import SlackAuthError
        from monitor.flow import dispatch_pending, match

        matched = match(self.app.db(), self.watchlists.current())
        try:
            report = dispatch_pending(
                self.app.db(),
                token=self.app.config.slack_token,
                api_url=self.app.config.slack.api_url,
                echo=lambda line: log.info(line),
            )
        except SlackAuthError as exc:
            self._breaker("auth", str(exc))
            return
        if matched or report:
            log.info("alerts", extra=kv(matched=matched, dispatch=report))
        self._breaker("workspace", report.unreachable and f"Slack unreachable: {report.unreachable}")
        for channel, hint in report.paused_channels.items():
            self._breaker(f"channel:{channel}", f"alerts to {channel} paused: {hint}")

    def _breaker(self, name: str, problem: str | None) -> None:
        """One ops notice when a breaker opens (not one per run while it stays open); closed on success."""
        if not problem:
            self._open_breakers.discard(name)
        elif name not in self._open_breakers:
            self._open_breakers.add(name)
            self._notify_ops(problem)

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            if self._tagger_factory is not None:
                self._tagger = self._tagger_factory()
            else:
                from nlp.tagger import Tagger

                model = self.app.config.model
                self._tagger = Tagger.load(encoder=model.encoder, artefacts=model.artefacts)
        return self._tagger

    # --- ops ----------------------------------------------------------------------------------

    def _check_source(self, result: dict[str, Any]) -> None:
        slug = result.get("slug", "?")
        threshold = self.app.config.jobs.ops_failures_in_a_row
        failures = failures_in_a_row(self.app.db(), slug)
        if failures == threshold:  # once per streak, not on every further failure
            self._notify_ops(
                f"source {slug} failed {failures} times in a row; last reason: {result.get('reason')}"
            )
        elif result.get("status") == "ok" and not result.get("items"):
            self._notify_ops(f"source {slug} returned zero items")

    def _notify_ops(self, message: str) -> None:
        log.warning("ops", extra=kv(message=message))
        channel, token = self.app.config.slack.ops_channel, self.app.config.slack_token
        if not (channel and token):
            return
        from delivery.slack import make_client

        try:
            make_client(token, self.app.config.slack.api_url).chat_postMessage(channel=channel, text=message)
        except Exception as exc:  # the ops notice must never take the daemon down
            log.error("ops notice failed", extra=kv(error=type(exc).__name__))

    # --- lifecycle ----------------------------------------------------------------------------

    def build(self) -> BlockingScheduler:
        jobs = self.app.config.jobs
        schedules = self.app.config.crawl.schedules
        for source in self.sources:
            spec = schedules.get(source.slug) or source.schedule or jobs.default_crawl
            self.scheduler.add_job(
                self.crawl_job,
                parse_schedule(spec),
                args=[source.slug],
                id=f"crawl:{source.slug}",
                name=f"crawl {source.slug}",
            )
        self.scheduler.add_job(self.tag_job, parse_schedule(jobs.tag), id="tag", name="tag new documents")
        self.scheduler.add_job(
            self.alert_job, parse_schedule(jobs.alert), id="alert", name="match and dispatch"
        )
        for job_id, spec, func in self._optional_jobs():
            self.scheduler.add_job(func, parse_schedule(spec), id=job_id, name=job_id)
        return self.scheduler

    def digest_job(self, delivery: str) -> None:
        from monitor.flow import send_digests

        send_digests(
            self.app.db(),
            self.watchlists.current(),
            delivery,
            token=self.app.config.slack_token,
            api_url=self.app.config.slack.api_url,
            echo=lambda line: log.info(line),
        )

    def feedback_job(self) -> None:
        from delivery.feedback import collect_feedback

        token = self.app.config.slack_token
        if token:  # reactions live in Slack; without a token there is nothing to read
            labelled = collect_feedback(self.app.db(), token=token, api_url=self.app.config.slack.api_url)
            if labelled:
                log.info("feedback", extra=kv(labelled=labelled))

    def weekly_report_job(self) -> None:
        from monitor.flow import post_weekly_chart

        token, channel = self.app.config.slack_token, self.app.config.report_channel
        if token and channel:
            post_weekly_chart(
                self.app.db_path, channel=channel, token=token, api_url=self.app.config.slack.api_url
            )

    def _optional_jobs(self) -> list[tuple[str, str, Callable[[], None]]]:
        jobs = self.app.config.jobs
        return [
            ("digest:hourly", jobs.hourly_digest, lambda: self.digest_job("hourly")),
            ("digest:daily", jobs.daily_digest, lambda: self.digest_job("daily")),
            ("feedback", jobs.feedback, self.feedback_job),
            ("weekly-report", jobs.weekly_report, self.weekly_report_job),
            ("signals", jobs.signals, self.signals_job),
        ]

    def signals_job(self) -> None:
        from monitor.flow import signals_daily

        summary = signals_daily(
            self.app.db(),
            self.watchlists.current(),
            token=self.app.config.slack_token,
            api_url=self.app.config.slack.api_url,
            echo=lambda line: log.info(line),
        )
        log.info("signals", extra=kv(**vars(summary)))

    def serve(self) -> None:
        self.build()

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("shutting down", extra=kv(signal=signal.Signals(signum).name))
            # wait=False: the loop exits now; running jobs finish in their threads and the outbox
            # stays consistent because every write is one transaction.
            self.scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("daemon started", extra=kv(sources=len(self.sources), db=str(self.app.db_path)))
        for source in self.sources:  # first crawl now rather than one interval from now
            self.scheduler.add_job(self.crawl_job, args=[source.slug], id=f"first:{source.slug}")
        self.scheduler.start()
        log.info("daemon stopped")
