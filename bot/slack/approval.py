"""Block Kit for "ask comms to check": the button on reviews, the request in the review
channel, its decided form, the "request changes" modal and the requester's DM.

Pure functions like bot.slack.blocks. The action ids are a contract other tools depend on
(`request_approval`, `approval_approve`, `approval_request_changes`): change them only with
slack/README.md and the tools that read them.
"""

from __future__ import annotations

from typing import Any

from bot.models import Review
from bot.ops.approvals import Approval
from bot.slack.blocks import (
    VERDICT_EMOJI,
    Block,
    category_title,
    source_line,
)
from bot.slack.mrkdwn import MESSAGE_BLOCKS, clip, context, escape, fit, plain, quote, section
from bot.slack.mrkdwn import sections as text_sections
from bot.slack.surfaces import ACCOUNTS, PLATFORMS, input_field, modal, text_box
from bot.slack.texts import label

APPROVE_ACTION = "approval_approve"
CHANGES_ACTION = "approval_request_changes"
EXAMPLE_ACTION = "approval_use_example"  # the checkbox; its clicks are only acknowledged
ACTIONS_BLOCK = "approval"
CHANGES_CALLBACK = "approval_changes"
PASTE_CALLBACK = "approval_paste"  # a draft too long for a button is pasted into a form
MAX_LISTED = 8
COMMENT_LIMIT = 2000


def _head(approval: Approval) -> Block:
    lang = approval.language
    text = label("approval_request", lang, user=escape(approval.requested_by))
    details = [label(f"from_{approval.account}", lang)] if approval.account in ACCOUNTS else []
    if approval.platform:
        details.append(escape(PLATFORMS.get(approval.platform, approval.platform)))
    return section(text + (f" ({' · '.join(details)})" if details else ""))


def _verdict(approval: Approval, review: Review | None) -> list[Block]:
    lang = approval.language
    verdict = approval.verdict_before
    line = f"*{label('approval_guidebot', lang)}:* {VERDICT_EMOJI.get(verdict, '')} "
    line += label(f"verdict_{verdict}", lang)
    items: list[str] = []
    if review is not None:
        for finding in review.findings[:MAX_LISTED]:
            item = f"• *{escape(category_title(finding.category, lang))}*: “"
            item += f"{escape(clip(finding.excerpt, 120))}”"
            if finding.sources:
                item += f" — {label('rule', lang)}: {source_line(finding.sources[0])}"
            items.append(item)
    else:
        items = [f"• {escape(category_title(c, lang))}" for c in approval.categories[:MAX_LISTED]]
    return text_sections("\n".join([line, *items]))


def request_blocks(approval: Approval, review: Review | None = None) -> list[Block]:
    """The request as comms sees it: who, the draft, guidebot's findings, and the decision."""
    lang = approval.language
    blocks = [_head(approval), *text_sections(quote(approval.draft or ""))]
    blocks += _verdict(approval, review)
    example = {"text": plain(label("approval_use_example", lang)), "value": "yes"}
    blocks.append(
        {
            "type": "actions",
            "block_id": ACTIONS_BLOCK,
            "elements": [
                {
                    "type": "button",
                    "action_id": APPROVE_ACTION,
                    "style": "primary",
                    "text": plain(label("approval_approve", lang)),
                    "value": approval.id,
                },
                {
                    "type": "button",
                    "action_id": CHANGES_ACTION,
                    "text": plain(label("approval_request_changes", lang)),
                    "value": approval.id,
                },
                {"type": "checkboxes", "action_id": EXAMPLE_ACTION, "options": [example]},
            ],
        }
    )
    return fit(blocks, MESSAGE_BLOCKS, keep_tail=1)


def decision_text(decision: str, decider: str, language: str) -> str:
    what = label(f"decision_{decision}", language)
    return label("decided_by", language, decision=what, user=escape(decider))


def decided_blocks(approval: Approval, comment: str | None = None) -> list[Block]:
    """The request after the decision (or expiry): no buttons, the decision and who took it."""
    lang = approval.language
    blocks = [_head(approval)]
    if approval.draft:
        blocks += text_sections(quote(approval.draft))
    blocks += _verdict(approval, None)
    if approval.decision and approval.decided_by:
        line = f"*{decision_text(approval.decision, approval.decided_by, lang)}*"
        if comment:
            line += f"\n*{label('comment', lang)}:* {escape(clip(comment, COMMENT_LIMIT))}"
        blocks += text_sections(line)
    else:
        blocks.append(context(label("decision_expired", lang)))
    return fit(blocks, MESSAGE_BLOCKS)


def decision_dm(approval: Approval, comment: str | None) -> tuple[str, list[Block]]:
    """What the requester is told: the decision, who took it, the comment, their draft."""
    lang = approval.language
    assert approval.decision and approval.decided_by
    what = label(f"decision_{approval.decision}", lang)
    text = label("decision_dm", lang, decision=what, user=escape(approval.decided_by))
    blocks = [section(text)]
    if comment:
        blocks += text_sections(
            f"*{label('comment', lang)}:* {escape(clip(comment, COMMENT_LIMIT))}"
        )
    if approval.draft:
        blocks.append(context(quote(clip(approval.draft, 280))))
    return text, fit(blocks, MESSAGE_BLOCKS)


def changes_modal(approval_id: str, language: str, use_as_example: bool) -> dict[str, Any]:
    """The "request changes" form: a comment (required), the verdict, "use as example"."""
    options = [
        {"text": plain(label(f"decision_{d}", language)), "value": d}
        for d in ("needs_changes", "do_not_post")
    ]
    example = {"text": plain(label("approval_use_example", language)), "value": "yes"}
    checkbox: Block = {"type": "checkboxes", "action_id": "value", "options": [example]}
    if use_as_example:
        checkbox["initial_options"] = [example]
    verdict: Block = {"type": "radio_buttons", "action_id": "value", "options": options,
                      "initial_option": options[0]}  # fmt: skip
    blocks = [
        input_field(
            "comment", text_box(COMMENT_LIMIT), language, "comment", "changes_comment_hint"
        ),
        input_field("verdict", verdict, language, "changes_verdict"),
        input_field("example", checkbox, language, "approval_use_example", optional=True),
    ]
    keys = ("changes_title", "changes_submit", "cancel")
    return modal(CHANGES_CALLBACK, language, keys, {"id": approval_id, "lang": language}, blocks)


def paste_modal(language: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The form for a draft too long to travel in the button: paste it, send it to comms."""
    draft = input_field("draft", text_box(3000), language, "modal_draft", "approval_paste_hint")
    return modal(PASTE_CALLBACK, language, ("ask_comms", "ask_comms_send", "cancel"), meta,
                 [draft])  # fmt: skip


def example_ticked(state: dict[str, Any] | None) -> bool:
    """Whether "use as example" is ticked in a message's or modal's state."""
    for block in ((state or {}).get("values") or {}).values():
        for action_id, element in block.items():
            ticked = element.get("type") == "checkboxes" and element.get("selected_options")
            if action_id in {EXAMPLE_ACTION, "value"} and ticked:
                return True
    return False
