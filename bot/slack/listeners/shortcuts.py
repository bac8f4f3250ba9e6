"""Message shortcut "Review this post": review any message's text, privately for the clicker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.language import detect_language
from bot.slack.context import Deps, actor
from bot.slack.listeners.commands import review_later
from bot.slack.mrkdwn import unescape

CALLBACK_ID = "review_message"


def register(app: App, deps: Deps) -> None:
    @app.shortcut(CALLBACK_ID)
    def review_message(ack: Ack, shortcut: dict[str, Any], respond: Respond) -> None:
        ack()
        draft = unescape((shortcut.get("message") or {}).get("text") or "")
        user = shortcut.get("user") or {}
        team = user.get("team_id") or (shortcut.get("team") or {}).get("id")
        review_later(deps, respond, draft, actor(user.get("id"), team), detect_language(draft))
