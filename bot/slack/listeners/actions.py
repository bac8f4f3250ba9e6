"""Buttons on answers and reviews: feedback, "share in channel", "edit and review again".

Feedback is recorded on the audit record the result came from (its id travels in the button
value) and acknowledged with an ephemeral thank-you only the clicker sees.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.blocks import (
    FEEDBACK_ACTIONS,
    REREVIEW_ACTION,
    SHARE_ACTION,
    answer_blocks,
    answer_fallback,
)
from bot.slack.context import Deps, actor
from bot.slack.reply import respond_deliver
from bot.slack.surfaces import review_modal
from bot.slack.texts import label

_FEEDBACK_BY_ACTION = {action: value for value, action in FEEDBACK_ACTIONS.items()}


def register(app: App, deps: Deps) -> None:
    @app.action(re.compile("^feedback_"))
    def feedback(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        value = _FEEDBACK_BY_ACTION.get(action.get("action_id", ""))
        data = parse_value(action.get("value"))
        language = data.get("lang") or "en"
        say = respond_deliver(respond)
        user = body.get("user") or {}

        def record() -> None:
            if value is None:
                return
            who = actor(user.get("id"), user.get("team_id") or (body.get("team") or {}).get("id"))
            deps.service.feedback(str(data.get("id") or ""), value, who)
            say(label("thanks_unclear" if value == "unclear_guideline" else "thanks", language))

        deps.guarded("feedback", language, say, record)

    @app.action(SHARE_ACTION)
    def share(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = parse_value(action.get("value"))
        question, language = str(data.get("q") or ""), data.get("lang") or "en"
        user = body.get("user") or {}
        who = actor(user.get("id"), user.get("team_id") or (body.get("team") or {}).get("id"))

        def post() -> None:
            # The private answer is not sent back with the click: answer again, for everyone.
            answer = deps.service.ask(question, (), who)
            blocks = answer_blocks(answer, indexed_at=deps.indexed_at(), shared_by=who.user)
            text = answer_fallback(answer)
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)

        deps.later("share", language, respond_deliver(respond), post)

    @app.action(REREVIEW_ACTION)
    def review_again(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()  # then open the form at once: the trigger_id expires after three seconds
        data = parse_value(action.get("value"))
        user = (body.get("user") or {}).get("id")
        language = deps.language_of(client, user)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        draft = data.get("draft")
        note = None if draft is not None else label("draft_not_kept", language)

        def open_form() -> None:
            view = review_modal(
                language,
                draft=draft or "",
                account=data.get("account") or "personal",
                platform=data.get("platform"),
                channel=channel,
                note=note,
            )
            client.views_open(trigger_id=body["trigger_id"], view=view)

        deps.guarded("open review form", language, respond_deliver(respond), open_form)


def parse_value(raw: Any) -> dict[str, Any]:
    """A button's JSON value as a dict ({} for anything else)."""
    try:
        data = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
