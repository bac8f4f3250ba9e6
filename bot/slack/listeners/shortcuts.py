"""Shortcuts: "Review this post" on any message, and "Review a post" from anywhere.

The message shortcut reviews that message's text, privately for the clicker. The global
shortcut opens the review form; with no channel to answer in, the result comes as a DM.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.language import detect_language
from bot.slack.context import Deps, actor
from bot.slack.listeners.commands import review_later
from bot.slack.mrkdwn import plain_text
from bot.slack.reply import private_deliver
from bot.slack.surfaces import review_modal
from bot.slack.texts import label

CALLBACK_ID = "review_message"
GLOBAL_CALLBACK_ID = "review_post"


def register(app: App, deps: Deps) -> None:
    @app.shortcut(CALLBACK_ID)
    def review_message(ack: Ack, shortcut: dict[str, Any], respond: Respond) -> None:
        ack()
        message = shortcut.get("message") or {}
        draft = plain_text(message.get("text") or "").strip()
        user = shortcut.get("user") or {}
        if not draft:  # e.g. a message that is only a file or an image
            language = "de" if str(user.get("locale", "")).startswith("de") else "en"
            key = "only_files" if message.get("files") else "nothing_to_review"
            respond(text=label(key, language), response_type="ephemeral")
            return
        team = user.get("team_id") or (shortcut.get("team") or {}).get("id")
        review_later(deps, respond, draft, actor(user.get("id"), team), detect_language(draft))

    @app.shortcut(GLOBAL_CALLBACK_ID)
    def review_form(ack: Ack, shortcut: dict[str, Any], client: Any) -> None:
        ack()  # then open the form at once: the trigger_id expires after three seconds
        user = (shortcut.get("user") or {}).get("id") or ""
        language = deps.language_of(client, user)
        deps.guarded(
            "open review form",
            language,
            private_deliver(client, user, None),
            lambda: client.views_open(
                trigger_id=shortcut["trigger_id"], view=review_modal(language, channel=None)
            ),
        )
