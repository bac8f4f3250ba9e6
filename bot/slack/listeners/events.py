"""Questions: a mention in a channel or a direct message, answered in the question's thread.

Bolt acknowledges events before these listeners run; the answer is computed on the work pool
while a :mag: reaction on the question shows that guidebot is on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext

from bot.language import detect_language
from bot.models import Turn
from bot.slack.blocks import answer_blocks, answer_fallback
from bot.slack.context import Deps, actor
from bot.slack.reply import post_in_thread, react, thread_deliver
from bot.slack.texts import label
from bot.slack.threads import clean_question

QUESTION_SUBTYPES = {None, "file_share", "thread_broadcast"}  # a user writing something new


def from_bot(event: dict[str, Any]) -> bool:
    """Messages by any bot (guidebot included) are never questions: no bot-to-bot loops."""
    return bool(
        event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message"
    )


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: Any, context: BoltContext) -> None:
        if not from_bot(event):
            answer_question(deps, client, context, event)

    @app.event("message")
    def on_message(event: dict[str, Any], client: Any, context: BoltContext) -> None:
        # Edits, deletions and joins are not new questions. In channels, a new question needs a
        # mention, except a follow-up in a thread guidebot answered (a mention there arrives as
        # app_mention too, so it is left to that handler).
        if event.get("subtype") not in QUESTION_SUBTYPES or from_bot(event):
            return
        if event.get("channel_type") == "im" or _follow_up(deps, event, context.bot_user_id):
            answer_question(deps, client, context, event)


def _follow_up(deps: Deps, event: dict[str, Any], bot_user: str | None) -> bool:
    """A reply in a channel thread guidebot already answered, not addressed to it by mention."""
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return False
    if bot_user and f"<@{bot_user}" in (event.get("text") or ""):
        return False
    return deps.threads.recall(event["channel"], thread_ts) is not None


Working = Callable[[bool], None]  # shows (True) or clears (False) "guidebot is on it"


def reaction(client: Any, channel: str, ts: str) -> Working:
    """The :mag: reaction on the question: the sign of work in channels and plain DMs."""
    return lambda on: react(client, on, channel, ts)


def answer_question(
    deps: Deps,
    client: Any,
    context: BoltContext,
    event: dict[str, Any],
    working: Working | None = None,
) -> None:
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts") or ts
    question = clean_question(event.get("text") or "")
    language = detect_language(question) if question else "en"
    deliver = thread_deliver(client, channel, thread_ts)
    if not question:
        deps.guarded("greet", language, deliver, lambda: deliver(label("empty_question", language)))
        return
    show = working or reaction(client, channel, ts)

    def work() -> None:
        show(True)
        try:
            history = deps.threads.history(
                client, channel, thread_ts, ts, context.bot_user_id, context.bot_id
            )
            answer = deps.service.ask(
                question, history, actor(event.get("user"), context.team_id or event.get("team"))
            )
            gap = (
                answer.kind == "not_covered" and bool(answer.audit_id) and deps.settings.record_gaps
            )
            blocks = answer_blocks(answer, indexed_at=deps.indexed_at(), gap_logged=gap)
            # remembered first: a follow-up arriving while the answer posts is already known
            deps.threads.remember(channel, thread_ts, Turn(question, answer.answer))
            post_in_thread(client, channel, thread_ts, answer_fallback(answer), blocks)
        finally:
            show(False)

    deps.later("ask", language, deliver, work)
