"""The factory for guidebot's bolt App: it takes its collaborators and holds no globals.

`create_app(service_or_engine, settings, client=None)` wires the listeners to a `Guidebot`
service (an `Engine` is wrapped in one, so every request passes the same limits, rate limit
and audit trail). Tests hand in a WebClient pointed at a local fake of Slack; production
builds one from the settings, with retries on 429 (honouring Retry-After) and on 5xx.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.errors import ConfigError
from bot.ops.seen import seen_keys
from bot.service import Guidebot
from bot.slack.announce import announcer
from bot.slack.context import Deps, WorkPool
from bot.slack.dedupe import TTL_S, dedupe_middleware
from bot.slack.listeners import register_all
from bot.slack.reply import reliable_respond_middleware, reply_retry_handlers

log = logging.getLogger("bot.slack")

LISTENER_THREADS = 32  # acks and quick calls only; slow work goes to the work pool
MAX_PENDING = 200  # requests waiting for a worker before guidebot says "busy"


def make_client(settings: Settings) -> WebClient:
    """A WebClient for SLACK_API_URL that retries rate limits and server errors by itself."""
    if not settings.slack_bot_token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token "
            "(xoxb-...) from your Slack app's OAuth & Permissions page."
        )
    base_url = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else (settings.slack_api_url + "/")
    )
    return WebClient(
        token=settings.slack_bot_token,
        base_url=base_url,
        timeout=15,
        retry_handlers=reply_retry_handlers(),  # outlasts ~10 s of 429s or 5xx
    )


class _DropTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client wins; that is intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


def bolt_logger(settings: Settings) -> logging.Logger:
    """The base logger bolt copies to its internal loggers.

    Bolt logs whole request bodies at INFO (a request with a bad signature, for one), and a
    replayed request carries a real user's draft. Below WARNING only when text may be logged.
    """
    logger = logging.getLogger("bot.slack.bolt")
    logger.setLevel(logging.NOTSET if settings.log_text else logging.WARNING)
    if not any(isinstance(f, _DropTokenNotice) for f in logger.filters):
        logger.addFilter(_DropTokenNotice())
    return logger


def work_threads(settings: Settings) -> int:
    """Enough workers to keep the CPU busy, or to wait on as many LLM calls as allowed."""
    return max(2, os.cpu_count() or 2, settings.llm_max_concurrency)


def create_app(
    service_or_engine: Any,
    settings: Settings,
    client: WebClient | None = None,
    *,
    verify_token: bool = True,
    workers: int | None = None,
) -> App:
    """The bolt App with every listener registered; `verify_token` calls auth.test at once."""
    service = (
        service_or_engine
        if isinstance(service_or_engine, Guidebot)
        else Guidebot(service_or_engine, settings)
    )
    client = client if client is not None else make_client(settings)
    app = App(
        name="guidebot",
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        token_verification_enabled=verify_token,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="guidebot-ack"),
        logger=bolt_logger(settings),
    )
    deps = Deps(service, settings, WorkPool(workers or work_threads(settings), MAX_PENDING))
    app.use(dedupe_middleware(seen_keys(settings, "event", TTL_S)))
    app.use(reliable_respond_middleware())
    register_all(app, deps)
    service.on_guidelines_changed(announcer(service, client, settings))

    @app.error
    def on_unhandled(error: Exception, body: dict[str, Any]) -> None:
        # The payload holds user text: log what kind of request failed and how, nothing more.
        kind = body.get("type") or ("command" if "command" in body else "unknown")
        log.error("unhandled %s while handling a %s request", type(error).__name__, kind)

    return app
