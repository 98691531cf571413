"""A local fake of the Slack Web API for tests, spoken to by slack-sdk's real WebClient over HTTP.

Usage (pytest):

    from tests.support.fake_slack import fake_slack  # noqa: F401  (the fixture)

    def test_x(fake_slack):
        client = WebClient(token="xoxb-test", base_url=fake_slack.url)
        client.chat_postMessage(channel="#alerts", text="hi")
        assert fake_slack.requests("chat.postMessage")[0].body["text"] == "hi"

Implemented methods: auth.test, chat.postMessage, conversations.history, conversations.replies,
conversations.list,
reactions.get, files.getUploadURLExternal, the upload URL it hands out, files.completeUploadExternal.
Scriptable failures: `fail_next(method, kind, count)` and `fail_randomly(rate, kinds, seed)`, where kind is
  "ratelimited"     429 with Retry-After (not posted),
  "server_error"    500 (not posted),
  "hang"            no answer until the client gives up (not posted),
  "posted_then_500" / "posted_then_hang"  the message IS stored, but the answer is lost (the ambiguous case),
  any other string  HTTP 200 with {"ok": false, "error": kind} (channel_not_found, invalid_auth, ...).
Binds 127.0.0.1 only; large listen backlog; threads are daemons so a hung handler never blocks shutdown.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

NOT_POSTED_KINDS = ("ratelimited", "server_error", "hang")
SLACK_TEXT_LIMIT = 40_000
SLACK_BLOCK_LIMIT = 50


@dataclass
class RecordedRequest:
    method: str  # Slack API method, e.g. "chat.postMessage"; "upload" for the raw upload URL
    http_verb: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]  # JSON body, or form/query fields (single values unwrapped)
    raw: bytes
    received: float  # time.monotonic() when the request arrived
    outcome: str = "ok"  # "ok", or the failure kind that was served


@dataclass
class StoredMessage:
    channel: str  # channel id
    ts: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    metadata: dict[str, Any] | None
    reactions: list[dict[str, Any]] = field(default_factory=list)

    def as_api(self, with_metadata: bool) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "message", "user": "UBOT", "ts": self.ts, "text": self.text or ""}
        if self.blocks:
            message["blocks"] = self.blocks
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if with_metadata and self.metadata:
            message["metadata"] = self.metadata
        if self.reactions:
            message["reactions"] = self.reactions
        return message


class FakeSlack:
    def __init__(self, *, hang_s: float = 3.0, retry_after_s: int = 1, latency_s: float = 0.0) -> None:
        self.hang_s = hang_s  # how long a "hang" holds the connection; tests set client timeouts below it
        self.retry_after_s = retry_after_s
        self.latency_s = latency_s  # every answer waits this long, like a real round trip to Slack
        self.missing_channels: set[str] = set()  # names or ids answering channel_not_found
        self.revoked_tokens: set[str] = set()  # tokens answering invalid_auth
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._messages: list[StoredMessage] = []
        self._channels: dict[str, str] = {}  # name (without '#') -> id
        self._files: dict[str, dict[str, Any]] = {}
        self._scripted: dict[str, list[str]] = {}
        self._random: tuple[float, tuple[str, ...], random.Random, set[str] | None] | None = None
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True)

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL for WebClient(base_url=...): ends with '/' as slack-sdk requires."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    # --- scripting ------------------------------------------------------------------------------

    def fail_next(self, method: str, kind: str, count: int = 1) -> None:
        with self._lock:
            self._scripted.setdefault(method, []).extend([kind] * count)

    def fail_randomly(
        self,
        rate: float,
        kinds: tuple[str, ...] = NOT_POSTED_KINDS,
        *,
        seed: int = 0,
        methods: set[str] | None = None,
    ) -> None:
        """Fail a fraction of calls (to `methods`, default all), reproducibly for a given seed."""
        with self._lock:
            self._random = (rate, kinds, random.Random(seed), methods)

    def stop_failing(self) -> None:
        with self._lock:
            self._random = None
            self._scripted.clear()

    def channel_id(self, name_or_id: str) -> str:
        with self._lock:
            return self._channel_id(name_or_id)

    def add_reaction(self, channel: str, ts: str, name: str, user: str = "U0ANALYST") -> None:
        with self._lock:
            message = self._find(self._channel_id(channel), ts)
            if message is None:
                raise KeyError(f"no message {ts} in {channel}")
            for reaction in message.reactions:
                if reaction["name"] == name:
                    if user not in reaction["users"]:
                        reaction["users"].append(user)
                        reaction["count"] += 1
                    return
            message.reactions.append({"name": name, "users": [user], "count": 1})

    # --- inspection -----------------------------------------------------------------------------

    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._requests if method is None or r.method == method]

    def messages(self, channel: str | None = None) -> list[StoredMessage]:
        """Messages actually stored (what analysts would see), in posting order."""
        with self._lock:
            wanted = self._channel_id(channel) if channel else None
            return [m for m in self._messages if wanted is None or m.channel == wanted]

    def files(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {k: dict(v) for k, v in self._files.items()}

    # --- internals (call with the lock held) ----------------------------------------------------

    def _channel_id(self, name_or_id: str) -> str:
        if name_or_id[:1] in "CGD" and name_or_id[1:].isalnum() and name_or_id.upper() == name_or_id:
            return name_or_id
        name = name_or_id.lstrip("#")
        if name not in self._channels:
            self._channels[name] = f"C{len(self._channels) + 1:08d}"
        return self._channels[name]

    def _find(self, channel: str, ts: str) -> StoredMessage | None:
        return next((m for m in self._messages if m.channel == channel and m.ts == ts), None)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _failure_for(self, method: str) -> str | None:
        queue = self._scripted.get(method)
        if queue:
            return queue.pop(0)
        if self._random is not None:
            rate, kinds, rng, methods = self._random
            if (methods is None or method in methods) and rng.random() < rate:
                return rng.choice(kinds)
        return None

    def _handle(
        self, verb: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], Any]:
        parsed = urlparse(path)
        method = "upload" if parsed.path.startswith("/upload/") else parsed.path.removeprefix("/api/")
        # Uploads carry raw file bytes (urllib labels them as form data): never parse them as a form.
        body = {} if method == "upload" else _parse_body(headers.get("Content-Type", ""), raw, parsed.query)
        record = RecordedRequest(method, verb, path, headers, body, raw, time.monotonic())
        time.sleep(self.latency_s)
        with self._lock:
            self._requests.append(record)
            kind = self._failure_for(method)
            record.outcome = kind or "ok"
            if kind in ("ratelimited", "server_error", "hang"):
                return _failure(kind, self.retry_after_s)
            if kind and not kind.startswith("posted_then_"):
                return 200, {}, {"ok": False, "error": kind}
            status, extra, payload = self._dispatch(method, parsed.path, headers, body, raw)
            if kind and payload.get("ok"):
                return _failure(kind.removeprefix("posted_then_"), self.retry_after_s)
            return status, extra, payload

    def _dispatch(
        self, method: str, path: str, headers: dict[str, str], body: dict[str, Any], raw: bytes
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        if method == "upload":
            file_id = path.rsplit("/", 1)[-1]
            if file_id not in self._files:
                return 404, {}, {"ok": False}
            self._files[file_id]["content"] = raw
            return 200, {}, {"ok": True}
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip() or body.get("token", "")
        if not str(token).startswith("xox") or token in self.revoked_tokens:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = handler(body)
        return 200, {}, result

    def _channel_or_error(self, body: dict[str, Any]) -> str | dict[str, Any]:
        channel = str(body.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.missing_channels or channel.lstrip("#") in self.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        return self._channel_id(channel)

    def _api_auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.example/",
            "team": "Fake",
            "user": "cwatch",
            "team_id": "T0FAKE",
            "user_id": "UBOT",
            "bot_id": "B0FAKE",
        }

    def _api_chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_or_error(body)
        if isinstance(channel, dict):
            return channel
        blocks = body.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        text = body.get("text")
        if text is None and not blocks:
            return {"ok": False, "error": "no_text"}
        if text and len(text) > SLACK_TEXT_LIMIT:
            return {"ok": False, "error": "msg_too_long"}
        if blocks and (len(blocks) > SLACK_BLOCK_LIMIT or not _blocks_within_limits(blocks)):
            return {"ok": False, "error": "invalid_blocks"}
        thread_ts = body.get("thread_ts")
        if thread_ts and self._find(channel, str(thread_ts)) is None:
            return {"ok": False, "error": "thread_not_found"}
        metadata = body.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = StoredMessage(channel, self._next_ts(), text, blocks, thread_ts, metadata)
        self._messages.append(message)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": message.as_api(False)}

    def _api_conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_or_error(body)
        if isinstance(channel, dict):
            return channel
        if not str(body["channel"]).startswith("C"):
            return {"ok": False, "error": "channel_not_found"}  # like Slack: ids only, not names
        oldest = float(body.get("oldest") or 0)
        limit = int(body.get("limit") or 100)
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [
            m for m in self._messages if m.channel == channel and float(m.ts) >= oldest and not m.thread_ts
        ]  # like Slack: thread replies are not in the channel history
        found.reverse()  # newest first, like Slack
        start = int(body.get("cursor") or 0)
        page = found[start : start + limit]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": [m.as_api(with_metadata) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _api_conversations_replies(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_or_error(body)
        if isinstance(channel, dict):
            return channel
        parent = self._find(channel, str(body.get("ts")))
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        oldest = float(body.get("oldest") or 0)
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        thread = [parent] + [
            m
            for m in self._messages
            if m.channel == channel and m.thread_ts == parent.ts and float(m.ts) >= oldest
        ]
        return {
            "ok": True,
            "messages": [m.as_api(with_metadata) for m in thread],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _api_conversations_list(self, body: dict[str, Any]) -> dict[str, Any]:
        channels = [{"id": cid, "name": name, "is_channel": True} for name, cid in self._channels.items()]
        return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}

    def _api_reactions_get(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_or_error(body)
        if isinstance(channel, dict):
            return channel
        message = self._find(channel, str(body.get("timestamp")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "type": "message", "channel": channel, "message": message.as_api(False)}

    def _api_files_getUploadURLExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{len(self._files) + 1:08d}"
        self._files[file_id] = {
            "filename": body.get("filename"),
            "length": int(body.get("length") or 0),
            "content": None,
            "completed": False,
        }
        return {
            "ok": True,
            "upload_url": self.url.removesuffix("api/") + f"upload/{file_id}",
            "file_id": file_id,
        }

    def _api_files_completeUploadExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        files = body.get("files")
        files = json.loads(files) if isinstance(files, str) else (files or [])
        out = []
        for item in files:
            stored = self._files.get(item.get("id"))
            if stored is None or stored["content"] is None:
                return {"ok": False, "error": "file_not_found"}
            stored.update(
                completed=True,
                title=item.get("title"),
                channel=body.get("channel_id"),
                initial_comment=body.get("initial_comment"),
                thread_ts=body.get("thread_ts"),
            )
            out.append({"id": item["id"], "title": item.get("title"), "name": stored["filename"]})
        return {"ok": True, "files": out}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
                pass

            def _serve(self, verb: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, extra, payload = fake._handle(verb, self.path, dict(self.headers.items()), raw)
                if payload is _HANG:
                    time.sleep(fake.hang_s)  # the client times out first; then close without answering
                    self.close_connection = True
                    return
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in extra.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client died mid-request (the crash tests kill it)

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                self._serve("POST")

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

        return Handler


_HANG: Any = object()


def _failure(kind: str, retry_after_s: int) -> tuple[int, dict[str, str], Any]:
    if kind == "ratelimited":
        return 429, {"Retry-After": str(retry_after_s)}, {"ok": False, "error": "ratelimited"}
    if kind == "hang":
        return 0, {}, _HANG
    return 500, {}, {"ok": False, "error": "internal_error"}


def _parse_body(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    fields: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(query).items()}
    if "application/json" in content_type and raw:
        fields.update(json.loads(raw))
    elif "x-www-form-urlencoded" in content_type and raw:
        fields.update({k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode()).items()})
    return fields


def _blocks_within_limits(blocks: list[dict[str, Any]]) -> bool:
    """The limits Slack enforces that our renderer must respect (invalid_blocks otherwise)."""
    for block in blocks:
        text = block.get("text") or {}
        if block.get("type") == "header" and len(text.get("text", "")) > 150:
            return False
        if block.get("type") == "section":
            if len(text.get("text", "")) > 3000:
                return False
            fields = block.get("fields") or []
            if len(fields) > 10 or any(len(f.get("text", "")) > 2000 for f in fields):
                return False
        if block.get("type") == "context" and len(block.get("elements") or []) > 10:
            return False
    return True


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack; `fake_slack.url` is the base_url for WebClient."""
    with FakeSlack() as fake:
        yield fake
