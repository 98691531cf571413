"""The one Slack client: slack-sdk clients, one careful post: pacing, error classification, and reconciliation by metadata.

Retries: HTTP 429 is retried inside slack-sdk (RateLimitErrorRetryHandler sleeps for Retry-After), because a
rate-limited post certainly did not happen. 5xx and connection errors are retried inside slack-sdk only for
reads (history, reactions, auth): retrying a *post* blindly after a 500 or a timeout could duplicate it, so
those go back to the outbox "in doubt", and the next attempt first looks for the message in the channel
history by the metadata key we attach, posting again only when it isn't there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlite_utils import Database

from db.records import Message

DEFAULT_API_URL = "https://slack.com/api/"
METADATA_TYPE = "cwatch_alert"
PERMANENT_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "missing_scope",
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "msg_too_long",
    "invalid_blocks",
    "no_text",
    "restricted_action",
    "thread_not_found",
}
HISTORY_PAGES = 10
AUTH_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived"}


class SlackAuthError(RuntimeError):
    """Slack rejected the token: nothing can be posted, so nothing was tried."""


class SlackUnreachable(RuntimeError):
    """auth.test got no answer (timeout, connection error, 5xx)."""


def make_client(
    token: str, api_url: str | None = None, *, timeout_s: float = 10.0, for_posting: bool = False
) -> WebClient:
    base_url = api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack-sdk joins method names onto base_url verbatim
    client = WebClient(token=token, base_url=base_url, timeout=timeout_s)  # type: ignore[arg-type]
    client.retry_handlers = [RateLimitErrorRetryHandler(max_retry_count=2)]
    if not for_posting:
        client.retry_handlers += [
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ]
    return client


@dataclass
class PostOutcome:
    result: str  # sent | retry (certainly not posted) | in_doubt | failed (permanent)
    ts: str | None = None
    channel_id: str | None = None
    error: str | None = None
    retry_after_s: float | None = None


class Poster:
    """Posts with per-channel pacing (about one message per second per channel, Slack's guidance)."""

    def __init__(
        self,
        db: Database,
        token: str,
        api_url: str | None,
        *,
        timeout_s: float = 10.0,
        min_interval_s: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.db = db
        self.post_client = make_client(token, api_url, timeout_s=timeout_s, for_posting=True)
        self.read_client = make_client(token, api_url, timeout_s=timeout_s)
        self.min_interval_s = min_interval_s
        self.sleep = sleep
        self._last_post: dict[str, float] = {}
        self._auth_checked = False
        self.bot = "the bot"

    def check_auth(self) -> None:
        """One auth.test per Poster, before its first post: a bad token fails here, once, with no post tried.

        No retries (the posting client): when Slack is down this costs one timeout."""
        if self._auth_checked:
            return
        try:
            response = self.post_client.auth_test()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "") if exc.response is not None else ""
            status = int(getattr(exc.response, "status_code", 0) or 0)
            if error in AUTH_ERRORS:
                raise SlackAuthError(
                    f"Slack rejected SLACK_BOT_TOKEN ({error}): nothing was posted; set a valid bot token"
                ) from None
            if status >= 500 or status == 429:
                raise SlackUnreachable(f"auth.test: http {status}") from None
            raise SlackUnreachable(f"auth.test: {error or status}") from None
        except (SlackClientError, OSError) as exc:
            raise SlackUnreachable(f"auth.test: {type(exc).__name__}: {exc}"[:300]) from None
        self.bot = str(response.get("user") or "the bot")
        self._auth_checked = True

    def post(self, channel: str, message: Message, *, key: str, thread_ts: str | None = None) -> PostOutcome:
        self._pace(channel)
        try:
            response = self.post_client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=thread_ts,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            return _classify(exc)
        except (SlackClientError, OSError) as exc:  # timeouts and connection errors: the post may have landed
            return PostOutcome("in_doubt", error=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            self._last_post[channel] = time.monotonic()
        channel_id = str(response.get("channel") or "") or None
        if channel_id:
            self.remember_channel(channel, channel_id)
        return PostOutcome("sent", ts=str(response["ts"]), channel_id=channel_id)

    def find_posted(
        self, channel: str, key: str, since_epoch: float, thread_ts: str | None = None
    ) -> str | None:
        """The ts of our message carrying `key` since `since_epoch` (in the thread, for replies), or None.

        Raises SlackClientError/OSError when Slack can't be asked: then the caller must not post.
        """
        channel_id = self.channel_id(channel)
        if channel_id is None:
            return None  # the channel doesn't exist for us, so nothing was posted there
        method = "conversations.replies" if thread_ts else "conversations.history"
        params: dict[str, Any] = {
            "channel": channel_id,
            "oldest": f"{since_epoch:.6f}",
            "limit": 200,
            "include_all_metadata": True,
        }
        if thread_ts:
            params["ts"] = thread_ts
        for _ in range(HISTORY_PAGES):
            page = self.read_client.api_call(method, http_verb="GET", params=params)
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
                    return str(message["ts"])
            params["cursor"] = (page.get("response_metadata") or {}).get("next_cursor")
            if not params["cursor"]:
                break
        return None

    def channel_id(self, channel: str) -> str | None:
        if channel[:1] in "CG" and channel.upper() == channel:
            return channel
        row = self.db.execute("SELECT id FROM slack_channels WHERE name = ?", [channel]).fetchone()
        if row:
            return str(row[0])
        name = channel.lstrip("#")
        for page in self.read_client.conversations_list(types="public_channel,private_channel", limit=1000):
            for item in page.get("channels") or []:
                if item.get("name") == name:
                    self.remember_channel(channel, str(item["id"]))
                    return str(item["id"])
        return None

    def remember_channel(self, channel: str, channel_id: str) -> None:
        with self.db.conn:
            self.db.execute(
                "INSERT OR REPLACE INTO slack_channels (name, id) VALUES (?, ?)", [channel, channel_id]
            )

    def _pace(self, channel: str) -> None:
        last = self._last_post.get(channel)
        if last is not None:
            wait = self.min_interval_s - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)


def _classify(exc: SlackApiError) -> PostOutcome:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    error = str(response.get("error") or f"http {status}") if response is not None else str(exc)
    if status == 429:
        retry_after = float(
            (response.headers or {}).get("Retry-After") or (response.headers or {}).get("retry-after") or 1
        )
        return PostOutcome("retry", error="ratelimited", retry_after_s=retry_after)
    if status >= 500:
        return PostOutcome("in_doubt", error=f"http {status}: {error}")
    if error in PERMANENT_ERRORS:
        return PostOutcome("failed", error=error)
    return PostOutcome("retry", error=error)  # ok=false with a transient code: Slack did not post


def upload_file(client: WebClient, channel: str, path: Path, *, title: str, comment: str) -> str:
    """Upload one file (a report chart) with files_upload_v2; returns the Slack file id."""
    response = client.files_upload_v2(
        channel=channel, file=str(path), filename=path.name, title=title, initial_comment=comment
    )
    files: list[dict[str, Any]] = response.get("files") or [response.get("file") or {}]
    return str(files[0].get("id", ""))
