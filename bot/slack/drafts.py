"""The draft around a review: what "edit and review again" and "ask comms to check" carry.

Kept apart from bot.slack.blocks, which renders; these are the pure text operations on the
draft itself.
"""

from __future__ import annotations

import json
from typing import Any

from bot.models import Review
from bot.slack.mrkdwn import plain
from bot.slack.texts import label

BUTTON_VALUE_LIMIT = 2000  # Block Kit's limit for a button's value
REQUEST_ACTION = "request_approval"  # a contract: other tools depend on this action id


def rereview_value(draft: str, account: str, platform: str | None) -> str:
    """Button value for "edit and review again": the draft itself when it fits, else none."""
    value = json.dumps({"draft": draft, "account": account, "platform": platform})
    if len(value) <= BUTTON_VALUE_LIMIT:
        return value
    return json.dumps({"draft": None, "account": account, "platform": platform})


def request_button(
    draft: str, review: Review, account: str, platform: str | None
) -> dict[str, Any]:
    """The "Ask comms to check" button under a review, with a confirm dialog."""
    lang = review.language
    data = {"draft": draft, "account": account, "platform": platform, "lang": lang}
    value = json.dumps({**data, "id": review.audit_id}, ensure_ascii=False)
    if len(value) > BUTTON_VALUE_LIMIT:
        value = json.dumps({**data, "draft": None, "id": review.audit_id}, ensure_ascii=False)
    return {
        "type": "button",
        "action_id": REQUEST_ACTION,
        "text": plain(label("ask_comms", lang)),
        "value": value,
        "confirm": {
            "title": plain(label("ask_comms_confirm_title", lang), 100),
            "text": plain(label("ask_comms_confirm", lang), 300),
            "confirm": plain(label("ask_comms_send", lang), 30),
            "deny": plain(label("cancel", lang), 30),
        },
    }
