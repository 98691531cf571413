"""The one delivery loop: every outbox item (alert, reply, digest, escalation notice) goes through `deliver`.

Exactly-once protocol per item (delivery/outbox.py has the states):
  1. an item still "in doubt" from an earlier attempt (timeout, 5xx, or a crash mid-post) is first looked up
     in the channel history by its metadata key `<installation id>:<item key>`; found → recorded as sent;
  2. claim (commit "a post is starting"; only one dispatcher can), 3. chat.postMessage, 4. record the ts.
A crash between 3 and 4 leaves the claim, so step 1 finds the message instead of posting it again.

Breakers, so a broken Slack costs one request rather than one per item: a token Slack rejects raises
SlackAuthError before anything is claimed; no answer from Slack (timeout, connection error, 5xx, on auth.test,
a post or a history read) ends the run, leaving the rest pending for the next run; a channel the bot cannot
post to (channel_not_found, not_in_channel, is_archived) fails that item with a hint and pauses the channel:
its other items wait CHANNEL_PAUSE_S.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from slack_sdk.errors import SlackClientError
from sqlite_utils import Database

from db.outbox import TERMINAL_TS, instance_id, later
from db.records import OutboxItem
from db.stories import parse_time
from delivery import outbox
from delivery.slack import CHANNEL_ERRORS, Poster, SlackUnreachable

MAX_ATTEMPTS = 8
RECONCILE_MARGIN_S = 300.0  # Slack's clock vs ours
CHANNEL_PAUSE_S = 900.0
LABELS = {"alerts": "alert", "digests": "digest", "escalation_notices": "escalation notice"}


@dataclass
class DispatchReport:
    sent: int = 0
    printed: int = 0
    retried: int = 0
    in_doubt: int = 0
    reconciled: int = 0
    failed: int = 0
    waiting: int = 0  # replies whose first alert isn't delivered yet, or in-doubt rows not yet due
    errors: list[str] = field(default_factory=list)
    unreachable: str | None = None  # why the run stopped early: Slack did not answer
    paused_channels: dict[str, str] = field(default_factory=dict)  # channel → hint

    def __bool__(self) -> bool:
        return bool(
            self.sent
            or self.printed
            or self.retried
            or self.in_doubt
            or self.reconciled
            or self.failed
            or self.unreachable
        )

    @property
    def delivered(self) -> int:
        return self.sent + self.printed + self.reconciled


def deliver(
    db: Database,
    items: Iterable[OutboxItem],
    *,
    poster: Poster | None,
    echo: Callable[[str], None] = print,
    backoff_s: float = 30.0,
    reconcile_after_s: float = 15.0,
    report: DispatchReport | None = None,
) -> DispatchReport:
    """Post each item (print it when `poster` is None, i.e. no token). `items` is consumed lazily, so a reply
    produced after its first alert sees that alert's ts."""
    report = report or DispatchReport()
    instance = ""
    for item in items:
        if item.waiting or item.channel in report.paused_channels:
            report.waiting += 1
        elif poster is None:
            echo(item.terminal)
            # Recorded as delivered to the terminal, so the next run doesn't print it again;
            # `cwatch alerts retry ID` sends such an alert to Slack later.
            outbox.mark_sent(db, item.table, item.id, TERMINAL_TS)
            report.printed += 1
        else:
            if not instance:
                try:
                    poster.check_auth()  # SlackAuthError propagates: the caller says it once and exits
                except SlackUnreachable as exc:
                    report.unreachable = str(exc)
                    break
                instance = instance_id(db)
            _post(db, poster, item, f"{instance}:{item.key}", report, backoff_s, reconcile_after_s)
            if report.unreachable:
                break  # one timeout, not one per item: the rest waits for the next run
    if report.unreachable:
        report.errors.append(f"Slack did not answer ({report.unreachable}); the rest waits for the next run")
    return report


def _post(
    db: Database,
    poster: Poster,
    item: OutboxItem,
    key: str,
    report: DispatchReport,
    backoff_s: float,
    reconcile_after_s: float,
) -> None:
    label = f"{LABELS[item.table]} {item.id}"
    if item.claimed_at:
        claimed = parse_time(item.claimed_at)
        if claimed is not None and time.time() - claimed.timestamp() < reconcile_after_s:
            report.waiting += 1  # an earlier attempt may still be in flight
            return
        try:
            since = (claimed.timestamp() if claimed else 0.0) - RECONCILE_MARGIN_S
            found = poster.find_posted(item.channel, key, since, item.thread_ts)
        except (SlackClientError, OSError) as exc:
            report.errors.append(f"{label}: cannot check history: {exc}"[:300])
            report.waiting += 1
            report.unreachable = f"{type(exc).__name__}"
            return  # never post while unsure whether it already went out
        if found:
            outbox.mark_sent(db, item.table, item.id, found, poster.channel_id(item.channel))
            report.reconciled += 1
            return
        if not outbox.unclaim(db, item.table, item.id, item.claimed_at):
            return  # another dispatcher reconciled or re-claimed it meanwhile
    if outbox.claim(db, item.table, item.id) is None:
        return
    outcome = poster.post(item.channel, item.message, key=key, thread_ts=item.thread_ts)
    attempts = item.attempts + 1
    backoff = min(backoff_s * 2 ** min(attempts - 1, 6), 3600.0)
    if outcome.result == "sent":
        outbox.mark_sent(db, item.table, item.id, str(outcome.ts), outcome.channel_id)
        report.sent += 1
    elif outcome.error in CHANNEL_ERRORS:
        hint = f"{outcome.error}: invite {poster.bot} to {item.channel} (or fix the channel), then `cwatch alerts retry`"
        outbox.mark_failed(db, item.table, item.id, hint)
        report.failed += 1
        report.errors.append(f"{label} → {item.channel}: {hint}")
        report.paused_channels[item.channel] = hint
        outbox.pause_channel(db, item.channel, later(CHANNEL_PAUSE_S))
    elif outcome.result == "failed" or attempts >= MAX_ATTEMPTS and outcome.result == "retry":
        outbox.mark_failed(db, item.table, item.id, str(outcome.error))
        report.failed += 1
        report.errors.append(f"{label} → {item.channel}: {outcome.error}")
    elif outcome.result == "retry":
        retry_at = later(max(outcome.retry_after_s or 0.0, backoff))
        outbox.release(db, item.table, item.id, str(outcome.error), retry_at)
        report.retried += 1
    else:
        outbox.keep_in_doubt(db, item.table, item.id, str(outcome.error), later(backoff))
        report.in_doubt += 1
        report.unreachable = str(outcome.error)[:200]
