"""Slack's AI-assistant surface ("Agents & AI Apps" side panel), through bolt's Assistant.

A new assistant thread gets bilingual suggested prompts; each message in it is answered in
that thread, with `assistant.threads.setStatus` ("is checking the guidelines…") instead of the
:mag: reaction while guidebot works (Slack clears the status when the reply arrives). A message
starting with "Review:" / "Prüfe:" is reviewed as a draft instead of answered. The middleware
only takes DM messages inside threads; mentions and top-level DMs keep their own listeners.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext
from slack_bolt.middleware.assistant import Assistant

from bot.language import detect_language
from bot.slack.blocks import review_blocks, review_fallback
from bot.slack.context import Deps, actor
from bot.slack.listeners.events import answer_question, from_bot
from bot.slack.reply import post_in_thread, thread_deliver
from bot.slack.texts import label
from bot.slack.threads import clean_question

log = logging.getLogger("bot.slack")

PROMPTS = [
    {"title": "Fotos aus dem Büro?", "message": "Darf ich Fotos aus dem Büro posten?"},
    {"title": "Review my draft", "message": "Review my draft"},
    {"title": "Name a customer?", "message": "May I name a customer in a post?"},
    {"title": "Wer spricht für uns?", "message": "Wer darf für die Firma sprechen?"},
]
_REVIEW = re.compile(
    r"^\s*(?:review(?: my)?(?: draft| post)?|prüf(?:e|en)?(?: meinen| mein)?(?: entwurf| post)?)"
    r"\s*(?:[:\-–]\s*(?P<draft>.*))?$",
    re.IGNORECASE | re.DOTALL,
)


def draft_to_review(text: str) -> str | None:
    """The draft after "Review:" / "Prüfe:" ("" for the bare prompt); None for a question."""
    match = _REVIEW.match(text)
    if not match:
        return None
    return (match.group("draft") or "").strip()


def register(app: App, deps: Deps) -> None:
    assistant = Assistant(logger=log)

    @assistant.thread_started
    def started(event: dict[str, Any], set_suggested_prompts: Any, client: Any) -> None:
        user = (event.get("assistant_thread") or {}).get("user_id")
        language = deps.language_of(client, user)
        try:
            set_suggested_prompts(prompts=PROMPTS, title=label("assistant_title", language))
        except Exception as error:  # the thread works without prompts
            log.warning("setSuggestedPrompts failed: %s", type(error).__name__)

    @assistant.thread_context_changed
    def context_changed() -> None:
        """The channel the user looks at does not change what the guidelines say."""

    @assistant.user_message
    def message(event: dict[str, Any], set_status: Any, client: Any, context: BoltContext) -> None:
        if from_bot(event):
            return
        text = clean_question(event.get("text") or "")
        draft = draft_to_review(text)
        language = detect_language(draft or text) if (draft or text) else "en"

        def working(on: bool) -> None:
            try:
                set_status(label("assistant_status", language) if on else "")
            except Exception as error:  # a missing scope must not cost the answer
                log.warning("setStatus failed: %s", type(error).__name__)

        if draft is None:
            answer_question(deps, client, context, event, working)
        else:
            review_in_thread(deps, client, context, event, draft, working)

    app.assistant(assistant)


def review_in_thread(deps: Deps, client: Any, context: BoltContext, event: dict[str, Any],
                     draft: str, working: Any) -> None:  # fmt: skip
    """Review a draft sent in the assistant thread and reply in that thread."""
    channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
    language = detect_language(draft) if draft else "en"
    deliver = thread_deliver(client, channel, thread_ts)
    if not draft:
        deps.guarded(
            "hint", language, deliver, lambda: deliver(label("assistant_review_hint", language))
        )
        return
    who = actor(event.get("user"), context.team_id or event.get("team"))

    def work() -> None:
        working(True)
        try:
            review = deps.service.review(draft, "personal", None, who)
            blocks = review_blocks(
                review, draft, indexed_at=deps.indexed_at(), approval=deps.approvals_on
            )
            post_in_thread(client, channel, thread_ts, review_fallback(review), blocks)
        finally:
            working(False)

    deps.later("review", language, deliver, work)
