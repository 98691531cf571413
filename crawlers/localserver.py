"""A threaded HTTP server on 127.0.0.1 that serves a folder of recorded pages, with scriptable faults.

Used three ways: the bundled demo sample (`cwatch crawl --sample`), the spider tests and the benchmark.
`python -m http.server` has a listen backlog of 5 and stalls under a crawler, so this one queues 1024.

Layout of the served folder: ``<slug>/<host>/<path>`` — the replay middleware maps
``https://host/path?q`` of spider ``slug`` to ``http://127.0.0.1:PORT/slug/host/path?q``.
Query strings select files through an optional ``_routes.json`` beside the file::

    {"documents.json": [{"query": {"page": "2"}, "file": "documents.page2.json",
                         "headers": {"Content-Type": "text/html"}, "status": 200}]}

The most specific matching route (most query keys) wins; without a match the plain file is served.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}


def content_type(file: Path | None, body: bytes) -> str:
    """The type a recorded file is served with. A page recorded in a legacy encoding (Shift_JIS, GB18030)
    is served as bare text/html, as those sites do, so the spider must find the charset as it would live."""
    declared = CONTENT_TYPES.get(file.suffix if file else "", "text/plain")
    if "charset=utf-8" in declared:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return declared.split(";")[0]
    return declared


@dataclass
class Fault:
    """What to do instead of serving the file at a path; `times`: how many requests (None: all)."""

    status: int = 200
    body: bytes | None = None  # None: the file's own body
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait before answering (timeouts)
    drip_s: float = 0.0  # pause between chunks of `drip_chunk` bytes (slow drip)
    drip_chunk: int = 16
    truncate_to: int | None = None  # announce the full length, send only this many bytes, close
    times: int | None = None


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True


class FixtureServer:
    def __init__(self, root: Path | str, *, port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.faults: dict[str, Fault] = {}
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), self._handler_class())
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fixture-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scripting ----------------------------------------------------------------------------

    def fault(self, path: str, fault: Fault | None = None, **kwargs: Any) -> None:
        """Script a fault for requests to `path` (the server path, e.g. '/slug/host/feed.atom')."""
        self.faults[path] = fault or Fault(**kwargs)

    def paths(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [r.path for r in self.requests if r.path.startswith(prefix)]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # --- serving ------------------------------------------------------------------------------

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            fault = self.faults.get(path)
            if fault is None or fault.times == 0:
                return None
            if fault.times is not None:
                fault.times -= 1
            return fault

    def _resolve(self, path: str, query: str) -> tuple[Path | None, int, dict[str, str]]:
        target = (self.root / unquote(path).lstrip("/")).resolve()
        if not target.is_relative_to(self.root):
            return None, 403, {}
        if target.is_dir():
            target = target / "index.html"
        status, headers = 200, {}
        routes_file = target.parent / "_routes.json"
        if query and routes_file.is_file():
            params = dict(parse_qsl(query, keep_blank_values=True))
            routes = json.loads(routes_file.read_text("utf-8")).get(target.name, [])
            matching = [r for r in routes if all(params.get(k) == v for k, v in r.get("query", {}).items())]
            if matching:
                route = max(matching, key=lambda r: len(r.get("query", {})))
                target = target.parent / route["file"]
                status = int(route.get("status", 200))
                headers = dict(route.get("headers", {}))
        return (target if target.is_file() else None), status, headers

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read `requests`
                return

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _serve(self, *, head: bool) -> None:
                parts = urlsplit(self.path)
                with server._lock:
                    server.requests.append(
                        LoggedRequest(
                            self.command, parts.path, parts.query, {k: v for k, v in self.headers.items()}
                        )
                    )
                fault = server._take_fault(parts.path)
                file, status, headers = server._resolve(parts.path, parts.query)
                body = file.read_bytes() if file else None
                if fault:
                    status = fault.status
                    headers = {**headers, **fault.headers}
                    body = fault.body if fault.body is not None else body
                    if fault.delay_s:
                        time.sleep(fault.delay_s)
                if body is None:
                    status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self._head(304, {"ETag": etag}, 0)
                    return
                headers.setdefault("Content-Type", content_type(file, body))
                if status == 200:
                    headers.setdefault("ETag", etag)
                self._head(status, headers, len(body))
                if head:
                    return
                # The crawler may give up mid-body (timeout, size cap).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._write(body, fault)

            def _head(self, status: int, headers: dict[str, str], length: int) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(length))
                self.end_headers()

            def _write(self, body: bytes, fault: Fault | None) -> None:
                if fault and fault.truncate_to is not None:
                    self.wfile.write(body[: fault.truncate_to])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if fault and fault.drip_s:
                    for start in range(0, len(body), fault.drip_chunk):
                        self.wfile.write(body[start : start + fault.drip_chunk])
                        self.wfile.flush()
                        time.sleep(fault.drip_s)
                    return
                self.wfile.write(body)

        return Handler
