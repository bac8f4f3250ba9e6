"""The ways guidebot talks back: in a thread, ephemerally via response_url, or privately.

Each helper returns or takes plain blocks from bot.slack.blocks; the `*_deliver` functions
build the one-argument callbacks `Deps.guarded` uses to report a failure in the same place
the answer would have gone.

A response_url POST that Slack answers with 429 or 5xx is not an error to bolt's `respond()`:
the reply is simply gone. `ReliableRespond` (installed for every request by
`reliable_respond_middleware`) retries with backoff, honouring Retry-After, for about 15 s, then
sends the same message ephemerally (or as a DM) through the Web API, and logs what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from bot.slack.blocks import Block, text_blocks
from bot.slack.context import Deliver
from bot.slack.mrkdwn import fallback

log = logging.getLogger("bot.slack")

WORKING_REACTION = "mag"


def post_in_thread(
    client: Any, channel: str, thread_ts: str, text: str, blocks: list[Block]
) -> None:
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
    )


def thread_deliver(client: Any, channel: str, thread_ts: str) -> Deliver:
    return lambda text: post_in_thread(
        client, channel, thread_ts, fallback(text), text_blocks(text)
    )


def respond_ephemeral(respond: Any, text: str, blocks: list[Block]) -> None:
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def respond_deliver(respond: Any) -> Deliver:
    return lambda text: respond_ephemeral(respond, fallback(text), text_blocks(text))


def post_private(
    client: Any, user: str, channel: str | None, text: str, blocks: list[Block]
) -> None:
    """Ephemeral to `user` in `channel`; a DM from the bot when there is no usable channel."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
            return
        except SlackApiError as error:  # e.g. not_in_channel, channel_not_found
            log.info("ephemeral reply failed (%s); sending a DM", error.response.get("error"))
    client.chat_postMessage(
        channel=user, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
    )


def private_deliver(client: Any, user: str, channel: str | None) -> Deliver:
    return lambda text: post_private(client, user, channel, fallback(text), text_blocks(text))


def react(client: Any, add: bool, channel: str, ts: str) -> None:
    """Show or clear the "looking it up" reaction; never let a reaction failure stop an answer."""
    try:
        if add:
            client.reactions_add(channel=channel, timestamp=ts, name=WORKING_REACTION)
        else:
            client.reactions_remove(channel=channel, timestamp=ts, name=WORKING_REACTION)
    except SlackApiError as error:
        log.info("reaction %s failed: %s", "add" if add else "remove", error.response.get("error"))
    except OSError as error:  # the network; the answer itself will retry or report
        log.info("reaction %s failed: %s", "add" if add else "remove", type(error).__name__)


# 0.25, 0.5, 1, 2, 4, 8 s (+ up to 1 s jitter each): outlasts 10 s of 5xx from Slack.
REPLY_RETRIES = 6
_BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.25)


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """Retries every 5xx: a proxy in front of Slack answers 502 and 504 as well as 500/503."""

    def _can_retry(self, *, state: Any, request: Any, response: Any = None,
                   error: Any = None) -> bool:  # fmt: skip
        return response is not None and 500 <= response.status_code < 600


CONNECTION_RETRIES = 2  # no route to Slack at all is said within a second or two, not 15 s


def reply_retry_handlers(retries: int = REPLY_RETRIES) -> list[RetryHandler]:
    """Retries that outlast a short Slack outage (429, 5xx); a dead network fails fast."""
    return [
        ConnectionErrorRetryHandler(
            max_retry_count=CONNECTION_RETRIES, interval_calculator=_BACKOFF
        ),
        RateLimitErrorRetryHandler(max_retry_count=retries),
        AnyServerErrorRetryHandler(max_retry_count=retries, interval_calculator=_BACKOFF),
    ]


class ReliableRespond(Respond):
    """bolt's `respond()` with retries, and a fallback to the Web API when the URL fails."""

    def __init__(
        self,
        *,
        response_url: str | None,
        client: Any,
        user: str | None,
        channel: str | None,
        proxy: str | None = None,
        ssl: Any = None,
    ) -> None:
        super().__init__(response_url=response_url, proxy=proxy, ssl=ssl)
        self.client = client
        self.user = user
        self.channel = channel

    # Options pass through to Slack unchanged; None (not a WebhookResponse) after a fallback.
    def __call__(self, text: Any = "", blocks: Any = None, **options: Any) -> Any:  # type: ignore[override]
        if not isinstance(text, str) or self.response_url is None:
            return super().__call__(text, blocks, **options)
        message = {"text": text, **({"blocks": blocks} if blocks is not None else {})}
        message.update({k: v for k, v in options.items() if v is not None})
        webhook = WebhookClient(
            url=self.response_url,
            proxy=self.proxy,
            ssl=self.ssl,
            timeout=10,
            retry_handlers=reply_retry_handlers(),
        )
        try:
            response = webhook.send_dict(message)
            if 200 <= response.status_code < 300:
                return response
            reason = f"HTTP {response.status_code} {str(response.body)[:40]}"
        except OSError as error:  # the network, after the connection retries
            reason = type(error).__name__
        return self._fall_back(message, reason)

    def _fall_back(self, message: dict[str, Any], reason: str) -> None:
        """Send the reply privately through the Web API; log a reply that is lost for good."""
        # A reply meant to replace the "Checking…" line still arrives, as a new private message.
        if message.get("delete_original") or not self.user:
            log.error("reply lost: response_url failed (%s) and there is no fallback", reason)
            return
        log.warning("response_url failed (%s); sending the reply through the Web API", reason)
        try:
            post_private(self.client, self.user, self.channel, message["text"],
                         message.get("blocks") or [])  # fmt: skip
        except (SlackApiError, OSError) as error:
            log.error("reply lost: response_url failed (%s), then %s", reason,
                      type(error).__name__)  # fmt: skip
            raise


def reliable_respond_middleware() -> Callable[..., Any]:
    """Bolt global middleware: every listener's `respond` retries and falls back."""

    def middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
        if context.response_url:
            context["respond"] = ReliableRespond(
                response_url=context.response_url,
                client=context.client,
                user=context.user_id,
                channel=context.channel_id,
                proxy=context.client.proxy if context.client else None,
                ssl=context.client.ssl if context.client else None,
            )
        return next()

    return middleware
