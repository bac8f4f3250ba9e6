"""Submission of the review modal: validate, close the modal, review, reply privately.

The reply goes ephemerally into the channel the command came from (kept in the modal's
private_metadata), or as a DM from the bot when there is no channel or the bot is not in it.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack.blocks import review_blocks, review_fallback
from bot.slack.context import Deps, actor
from bot.slack.reply import post_private, private_deliver
from bot.slack.surfaces import MODAL_CALLBACK, parse_submission
from bot.slack.texts import label


def register(app: App, deps: Deps) -> None:
    @app.view(MODAL_CALLBACK)
    def submit_review(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        form = parse_submission(view)
        if not form.draft.strip():
            ack(response_action="errors", errors={"draft": label("modal_empty", form.language)})
            return
        ack()
        user = body["user"]["id"]
        team = body["user"].get("team_id") or (body.get("team") or {}).get("id")
        who = actor(user, team)

        def work() -> None:
            review = deps.service.review(form.draft, form.account, form.platform, who)
            blocks = review_blocks(
                review,
                form.draft,
                account=form.account,
                platform=form.platform,
                indexed_at=deps.indexed_at(),
                approval=deps.approvals_on,
            )
            post_private(client, user, form.channel, review_fallback(review), blocks)

        deps.later("review", form.language, private_deliver(client, user, form.channel), work)
