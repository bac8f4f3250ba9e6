"""The draft around a review: the corrected version and what "edit and review again" carries.

Kept apart from bot.slack.blocks, which renders; these are the pure text operations on the
draft itself.
"""

from __future__ import annotations

import json

from bot.models import Review

BUTTON_VALUE_LIMIT = 2000  # Block Kit's limit for a button's value


def suggested_draft(review: Review, draft: str) -> str | None:
    """The draft with every finding's suggestion put in place of its excerpt, if any."""
    explicit = getattr(review, "suggested_draft", None)
    if explicit:
        return str(explicit)
    edits = sorted(
        (
            f
            for f in review.findings
            if f.suggestion is not None and draft[f.start : f.end] == f.excerpt
        ),
        key=lambda f: f.start,
    )
    corrected, position = [], 0
    for finding in edits:
        if finding.start < position:
            continue  # overlapping findings: the first one wins
        before = draft[position : finding.start]
        if not finding.suggestion:  # a deletion: do not leave a double space or " ," behind
            after = draft[finding.end : finding.end + 1]
            before = before.rstrip(" ") + (" " if after.isalnum() and before[-1:] == " " else "")
        corrected += [before, finding.suggestion or ""]
        position = finding.end
    if not corrected:
        return None
    return "".join([*corrected, draft[position:]])


def rereview_value(draft: str, account: str, platform: str | None) -> str:
    """Button value for "edit and review again": the draft itself when it fits, else none."""
    value = json.dumps({"draft": draft, "account": account, "platform": platform})
    if len(value) <= BUTTON_VALUE_LIMIT:
        return value
    return json.dumps({"draft": None, "account": account, "platform": platform})
