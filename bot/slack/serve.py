"""Run the Slack app: Socket Mode (behind a firewall) or HTTP under uvicorn.

HTTP mode serves one ASGI app: POST /slack/events for events, commands and interactivity,
GET /healthz for load balancers. The signature is checked on the raw bytes before anything
parses the body, so a forged or malformed request gets 401/400 and never reaches bolt; a
correctly signed request seen before (a replay inside Slack's five-minute window) is dropped.

Bolt's own ASGI adapter calls the synchronous `App.dispatch` on the event loop, which would
make concurrent requests wait for each other; here dispatch runs on a thread pool, so one slow
request never delays another's ack.

Startup loads the models, opens the index and answers one question before anything says
"ready"; the reviewer is built on a thread alongside (a review that arrives first waits for that
build). A background thread picks up an index another process (`guidebot index`, a cron job)
has built since.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.errors import ConfigError
from bot.ops.seen import SeenKeys, seen_keys
from bot.service import Guidebot

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000  # Slack payloads are far smaller; anything bigger is not Slack
DISPATCH_THREADS = 64
REFRESH_EVERY_S = 30.0
REPLAY_WINDOW_S = 6 * 60.0  # Slack's signatures are valid for 5 minutes; a margin for clocks


class SlackAsgi:
    """ASGI app: Slack requests dispatched on threads, plus a health check."""

    def __init__(
        self,
        app: App,
        health: Callable[[], dict[str, Any]],
        on_startup: Callable[[], None] = lambda: None,
        *,
        signing_secret: str | None = None,
        replays: SeenKeys | None = None,
    ) -> None:
        self.app = app
        self.health = health
        self.on_startup = on_startup
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.replays = replays
        self._pool = ThreadPoolExecutor(DISPATCH_THREADS, thread_name_prefix="guidebot-http")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            status, headers, body = await self._http(scope, receive)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.on_startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self._pool.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict[str, Any], receive: Any) -> tuple[int, list[Any], bytes]:
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            return _json(200, self.health())
        if path != EVENTS_PATH:
            return _json(404, {"error": "not found"})
        if method != "POST":
            return _json(405, {"error": "use POST"})
        body = await _read_body(receive)
        if body is None:
            return _json(413, {"error": "request too large"})
        headers: dict[str, str | Sequence[str]] = {}
        for name, value in scope["headers"]:
            headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        refused = self._refuse(body, headers)
        if refused is not None:
            return refused
        try:
            request = BoltRequest(
                body=body.decode("utf-8"),
                query=scope.get("query_string", b"").decode("latin-1"),
                headers=headers,
            )
        except (ValueError, TypeError, KeyError) as error:  # signed, but not a Slack payload
            log.warning("malformed signed request refused: %s", type(error).__name__)
            return _json(400, {"error": "malformed request"})
        loop = asyncio.get_running_loop()
        response: BoltResponse = await loop.run_in_executor(self._pool, self.app.dispatch, request)
        out = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        ]
        data = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        return response.status, out, data

    def _refuse(
        self, body: bytes, headers: dict[str, str | Sequence[str]]
    ) -> tuple[int, list[Any], bytes] | None:
        """401 unless Slack signed exactly this body in the last five minutes, checked before
        anything parses the body; a repeat of a signature already served is dropped (200)."""
        if self.verifier is None:
            return None
        timestamp = str(headers.get("x-slack-request-timestamp") or "")
        signature = str(headers.get("x-slack-signature") or "")
        try:
            valid = self.verifier.is_valid(body, timestamp, signature)
        except ValueError:  # a timestamp that is not a number
            valid = False
        if not valid:
            return _json(401, {"error": "invalid signature"})
        if self.replays is not None and not self.replays.first_time(signature):
            log.warning("replayed request dropped (same signature within the window)")
            return 200, [], b""
        return None


async def _read_body(receive: Any) -> bytes | None:
    chunks = bytearray()
    while True:
        message = await receive()
        chunks.extend(message.get("body", b""))
        if len(chunks) > MAX_BODY:
            return None
        if not message.get("more_body"):
            return bytes(chunks)


def _json(status: int, data: dict[str, Any]) -> tuple[int, list[Any], bytes]:
    return status, [(b"content-type", b"application/json")], json.dumps(data).encode()


def start_refresher(service: Guidebot, every_s: float = REFRESH_EVERY_S) -> threading.Event:
    """Switch to a newer index built elsewhere; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            try:
                if service.refresh():
                    info = service.snapshot_info()
                    log.info("switched to index generation %s", info and info.generation)
            except Exception as error:  # a broken store must not take the app down
                log.warning("index refresh failed: %s", type(error).__name__)

    threading.Thread(target=loop, name="guidebot-refresh", daemon=True).start()
    return stop


def run_http(
    app: App, service: Guidebot, settings: Settings, host: str, port: int, generation: str
) -> None:
    import uvicorn

    def ready() -> None:
        print(
            f"guidebot: ready on http://{host}:{port}{EVENTS_PATH} (index generation {generation})",
            flush=True,
        )

    asgi = SlackAsgi(
        app,
        service.health,
        on_startup=ready,
        signing_secret=settings.slack_signing_secret,
        replays=seen_keys(settings, "replay", REPLAY_WINDOW_S),
    )
    uvicorn.run(
        asgi,
        host=host,
        port=port,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )


def run_socket(app: App, settings: Settings, generation: str,
               stop: threading.Event | None = None) -> None:  # fmt: skip
    """Connect to Slack over a WebSocket and serve until `stop` is set (forever by default)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, settings.slack_app_token)
    handler.connect()
    print(f"guidebot: ready over Socket Mode (index generation {generation})", flush=True)
    try:
        (stop or threading.Event()).wait()
    finally:
        handler.close()


def connect_app(service: Guidebot, settings: Settings) -> App:
    """The bolt app, after auth.test: a bad token and an unreachable Slack are told apart."""
    from bot.slack.app import create_app

    where = f"auth.test at {settings.slack_api_url}"
    try:
        return create_app(service, settings)
    except SlackApiError as error:
        reason = error.response.get("error")
        raise ConfigError(f"Slack did not accept SLACK_BOT_TOKEN ({where}): {reason}") from None
    except BoltError as error:
        raise ConfigError(f"Slack did not accept SLACK_BOT_TOKEN ({where}): {error}") from None
    except OSError as error:  # urllib's URLError included: DNS, refused, timeout, TLS
        cause = getattr(error, "reason", error)
        raise ConfigError(
            f"Cannot reach Slack ({where}): {type(cause).__name__}: {cause}. The token was not "
            "checked; is this machine online (or is HTTPS_PROXY / SLACK_API_URL right)?"
        ) from None


def serve(
    service: Guidebot,
    settings: Settings,
    *,
    http: bool,
    host: str,
    port: int,
    prepare: Callable[[], None] = lambda: None,
) -> int:
    """Check tokens with Slack, `prepare` (build a missing index), load everything, serve."""
    socket_mode = bool(settings.slack_app_token) and not http
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (the xoxb-... Bot User OAuth Token).")
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify that "
            "requests come from Slack (Basic Information > App Credentials). "
            "Or set SLACK_APP_TOKEN to use Socket Mode."
        )
    if socket_mode and not str(settings.slack_app_token).startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-.")
    app = connect_app(service, settings)  # calls auth.test: a bad token stops us here
    prepare()
    info = service.warm_up()
    generation = info.generation if info else "none"
    # Ready for questions now; the reviewer is built alongside (a review meanwhile waits).
    threading.Thread(target=service.warm_up_review, name="guidebot-warm-up", daemon=True).start()
    stop = start_refresher(service)
    try:
        if socket_mode:
            run_socket(app, settings, generation)
        else:
            run_http(app, service, settings, host, port, generation)
    finally:
        stop.set()
        service.close()
    return 0
