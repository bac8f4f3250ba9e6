"""Earlier turns of a Slack thread, so a follow-up question is read in its context.

A small in-process memory answers most follow-ups without an API call. After a restart, or
on another replica, the memory is empty: then the thread is read back with
conversations.replies, pairing each user message with the bot's answer after it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from bot.models import Turn
from bot.slack.mrkdwn import plain_text, unescape

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
MAX_THREADS = 2000
MAX_TURNS = 20


def clean_question(text: str) -> str:
    """The question as typed: mentions removed, links as their text, escaping undone."""
    return plain_text(_MENTION.sub(" ", text or "")).strip()


class ThreadMemory:
    """(channel, thread_ts) -> earlier turns, least recently used threads forgotten first."""

    def __init__(self, max_threads: int = MAX_THREADS) -> None:
        self.max_threads = max_threads
        self._turns: OrderedDict[tuple[str, str], list[Turn]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, channel: str, thread_ts: str, turn: Turn) -> None:
        with self._lock:
            turns = self._turns.setdefault((channel, thread_ts), [])
            turns.append(turn)
            del turns[:-MAX_TURNS]
            self._turns.move_to_end((channel, thread_ts))
            while len(self._turns) > self.max_threads:
                self._turns.popitem(last=False)

    def recall(self, channel: str, thread_ts: str) -> list[Turn] | None:
        with self._lock:
            turns = self._turns.get((channel, thread_ts))
            return list(turns) if turns is not None else None

    def history(
        self,
        client: Any,
        channel: str,
        thread_ts: str,
        current_ts: str,
        bot_user: str | None,
        bot_id: str | None,
    ) -> list[Turn]:
        """Earlier turns of the thread; [] for a new conversation."""
        remembered = self.recall(channel, thread_ts)
        if remembered is not None or thread_ts == current_ts:
            return remembered or []
        response = client.conversations_replies(channel=channel, ts=thread_ts, limit=100)
        turns = turns_from_replies(response.get("messages") or [], current_ts, bot_user, bot_id)
        with self._lock:
            self._turns[(channel, thread_ts)] = turns[-MAX_TURNS:]
        return turns


def turns_from_replies(
    messages: list[dict[str, Any]], current_ts: str, bot_user: str | None, bot_id: str | None
) -> list[Turn]:
    """Pair each user question with the bot answer that follows it; other chatter is skipped."""
    turns: list[Turn] = []
    question: str | None = None
    for message in messages:
        if message.get("ts") == current_ts:
            break
        from_bot = (bot_id and message.get("bot_id") == bot_id) or (
            bot_user and message.get("user") == bot_user
        )
        if from_bot and question is not None:
            turns.append(Turn(question, unescape(message.get("text") or "")))
            question = None
        elif not from_bot and not message.get("bot_id") and not message.get("subtype"):
            question = clean_question(message.get("text") or "") or question
    return turns
