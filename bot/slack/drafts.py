"""The draft around a review: what "edit and review again" carries.

Kept apart from bot.slack.blocks, which renders; these are the pure text operations on the
draft itself.
"""

from __future__ import annotations

import json

BUTTON_VALUE_LIMIT = 2000  # Block Kit's limit for a button's value


def rereview_value(draft: str, account: str, platform: str | None) -> str:
    """Button value for "edit and review again": the draft itself when it fits, else none."""
    value = json.dumps({"draft": draft, "account": account, "platform": platform})
    if len(value) <= BUTTON_VALUE_LIMIT:
        return value
    return json.dumps({"draft": None, "account": account, "platform": platform})
