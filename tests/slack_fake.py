"""A local stand-in for Slack's servers: the Web API and response_url, on 127.0.0.1.

Tests (and bench/slack_ack.py) point the app's WebClient at `FakeSlack.api_url` and put
`FakeSlack.response_url(...)` into payloads, then wait for the calls the app makes (signed
requests are built by tests/slack_requests.py). The fake answers like Slack does for the
methods guidebot uses, records every call, and can be told to fail a method (e.g. a 429 with
Retry-After) a number of times or for a number of seconds.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0001"


@dataclass
class Call:
    """One request the app made: the API method (or "response_url") and its arguments."""

    method: str
    args: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)
    status: int = 200  # what the fake answered (a scripted failure, or 200)


class FakeSlack:
    """Records Web API calls and response_url posts; answers them like Slack would."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.replies: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode)
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._outages: dict[str, tuple[float, int, Any, dict[str, str]]] = {}
        self._changed = threading.Condition()
        self._ts = 1_700_000_000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base_url}/response/{name}"

    # -- scripting ---------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this status and body."""
        self._failures.setdefault(method, []).extend([(status, body, headers or {})] * times)

    def fail_for(
        self,
        method: str,
        seconds: float,
        status: int = 500,
        body: Any = "internal_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer every call of `method` with this status for the next `seconds` (an outage)."""
        with self._changed:
            self._outages[method] = (time.monotonic() + seconds, status, body, headers or {})

    def seed_thread(self, channel: str, thread_ts: str, messages: list[dict[str, Any]]) -> None:
        """Messages conversations.replies returns for a thread (e.g. from before a restart)."""
        self.replies[(channel, thread_ts)] = list(messages)

    # -- assertions --------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Call], bool] = lambda call: True,
    ) -> list[Call]:
        """Block until `count` matching calls arrived; fail the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} x {method} within {timeout}s; saw {seen}"
                    )
                self._changed.wait(remaining)

    # -- the server side ---------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(request.path)
        length = int(request.headers.get("content-length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        args: dict[str, Any] = dict(urllib.parse.parse_qsl(parsed.query))
        if raw and "json" in (request.headers.get("content-type") or ""):
            args.update(json.loads(raw))
        elif raw:
            args.update(dict(urllib.parse.parse_qsl(raw)))
        for key in ("blocks", "view"):  # form-encoded calls send these as JSON strings
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        if parsed.path.startswith("/response/"):
            method = "response_url"
        else:
            method = parsed.path.removeprefix("/api/")
        status, body, headers = self._answer(method, args)
        with self._changed:
            self.calls.append(Call(method, args, parsed.path, status=status))
            self._changed.notify_all()
        payload = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        request.send_response(status)
        request.send_header(
            "content-type", "application/json" if isinstance(body, dict) else "text/plain"
        )
        request.send_header("content-length", str(len(payload)))
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(payload)

    def _answer(self, method: str, args: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self._changed:
            queued = self._failures.get(method)
            if queued:
                return queued.pop(0)
            outage = self._outages.get(method)
            if outage and time.monotonic() < outage[0]:
                return outage[1], outage[2], outage[3]
            self._ts += 1
            ts = f"{self._ts}.000100"
        if method == "response_url":
            return 200, "ok", {}
        if method == "auth.test":
            return (
                200,
                {
                    "ok": True,
                    "user_id": BOT_USER,
                    "bot_id": BOT_ID,
                    "team_id": TEAM,
                    "user": "guidebot",
                    "team": "Test",
                    "url": "https://test.slack.com/",
                },
                {},
            )
        if method == "chat.postMessage":
            message = {"ts": ts, "text": args.get("text", ""), "bot_id": BOT_ID, "user": BOT_USER}
            thread = args.get("thread_ts")
            if thread:
                self.replies.setdefault((args["channel"], thread), []).append(message)
            return (
                200,
                {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message},
                {},
            )
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": ts}, {}
        if method in {"views.open", "views.publish", "views.update"}:
            return 200, {"ok": True, "view": {"id": f"V{ts}", **args.get("view", {})}}, {}
        if method == "conversations.replies":
            messages = self.replies.get((args.get("channel", ""), args.get("ts", "")), [])
            return 200, {"ok": True, "messages": messages, "has_more": False}, {}
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.socket_url}, {}
        if method == "users.info":
            user = self.users.get(args.get("user", ""), {"id": args.get("user"), "locale": "en-US"})
            return 200, {"ok": True, "user": user}, {}
        return 200, {"ok": True}, {}


@contextmanager
def running_fake() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()
