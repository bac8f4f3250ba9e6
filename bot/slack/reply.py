"""The ways guidebot talks back: in a thread, ephemerally via response_url, or privately.

Each helper returns or takes plain blocks from bot.slack.blocks; the `*_deliver` functions
build the one-argument callbacks `Deps.guarded` uses to report a failure in the same place
the answer would have gone.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

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
