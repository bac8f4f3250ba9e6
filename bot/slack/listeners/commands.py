"""/review-post and /guidelines.

Both acknowledge first, always: Slack shows an error after three seconds without an ack, and
a trigger_id for the modal is only valid for three seconds too, so nothing slow happens
before `ack()`. The review itself runs on the work pool and answers via the response_url,
which only the person who typed the command sees.
"""

from __future__ import annotations

import threading
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.index.report import IndexReport
from bot.language import detect_language
from bot.slack.blocks import answer_blocks, answer_fallback, review_blocks, review_fallback
from bot.slack.context import Deps, actor
from bot.slack.mrkdwn import escape, plain_text
from bot.slack.reply import respond_deliver, respond_ephemeral
from bot.slack.surfaces import help_blocks, review_modal
from bot.slack.texts import label

HELP_WORDS = {"help", "hilfe", "?", "-h", "--help"}


def register(app: App, deps: Deps) -> None:
    @app.command("/review-post")
    def review_post(ack: Ack, command: dict[str, Any], client: Any, respond: Respond) -> None:
        draft = plain_text(command.get("text") or "")
        user, channel = command["user_id"], command.get("channel_id")
        if draft.strip().lower() in HELP_WORDS:
            ack()
            show_help(deps, client, respond, user, command.get("team_id"))
            return
        if not draft.strip():
            ack()  # then open the form at once: the trigger_id expires after three seconds
            language = deps.language_of(client, user)

            def open_form() -> None:
                view = review_modal(language, channel=channel)
                client.views_open(trigger_id=command["trigger_id"], view=view)

            deps.guarded("open review form", language, respond_deliver(respond), open_form)
            return
        language = detect_language(draft)
        ack(text=label("reviewing", language))
        who = actor(user, command.get("team_id"))
        review_later(deps, respond, draft, who, language, replace=True)

    @app.command("/guidelines")
    def guidelines(ack: Ack, command: dict[str, Any], client: Any, respond: Respond) -> None:
        ack()
        user = command["user_id"]
        text = plain_text(command.get("text") or "").strip()
        if text and text.lower() not in HELP_WORDS | {"reindex"}:
            ask_privately(deps, respond, text, actor(user, command.get("team_id")))
            return
        if text.lower() == "reindex":
            language = deps.language_of(client, user)
            deps.guarded(
                "reindex",
                language,
                respond_deliver(respond),
                lambda: start_reindex(deps, respond, user, command.get("team_id"), language),
            )
            return
        show_help(deps, client, respond, user, command.get("team_id"))


def review_later(
    deps: Deps,
    respond: Respond,
    draft: str,
    who: Any,
    language: str,
    account: str = "personal",
    platform: str | None = None,
    replace: bool = False,
) -> None:
    """Review on the work pool and send the result ephemerally to the response_url;
    `replace` puts it in place of the ":mag: Checking…" acknowledgement."""

    def work() -> None:
        review = deps.service.review(draft, account, platform, who)
        blocks = review_blocks(
            review,
            draft,
            account=account,
            platform=platform,
            indexed_at=deps.indexed_at(),
            approval=deps.approvals_on,
        )
        text = review_fallback(review)
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=replace)

    deps.later("review", language, respond_deliver(respond), work)


def ask_privately(deps: Deps, respond: Respond, question: str, who: Any) -> None:
    """`/guidelines <question>`: the answer only the asker sees, with "Share in channel"."""
    language = detect_language(question)

    def work() -> None:
        answer = deps.service.ask(question, (), who)
        blocks = answer_blocks(answer, indexed_at=deps.indexed_at(), share=question)
        respond_ephemeral(respond, answer_fallback(answer), blocks)

    deps.later("ask", language, respond_deliver(respond), work)


def show_help(deps: Deps, client: Any, respond: Respond, user: str, team: str | None) -> None:
    language = deps.language_of(client, user)

    def work() -> None:
        blocks = help_blocks(
            deps.status(),
            language,
            is_admin=deps.is_admin(user, team),
            describe=deps.service.documents.get,
        )
        respond_ephemeral(respond, label("help_fallback", language), blocks)

    deps.later("help", language, respond_deliver(respond), work)


def start_reindex(deps: Deps, respond: Respond, user: str, team: str | None, language: str) -> None:
    """Admins only: an incremental re-index in the background, reported when done."""
    say = respond_deliver(respond)
    if not deps.is_admin(user, team):
        say(label("admin_only", language, contact=escape(deps.settings.contact)))
        return
    if not deps.try_reindex():
        say(label("reindex_running", language))
        return
    say(label("reindex_started", language))

    def work() -> None:
        try:
            report = deps.service.reindex()
        finally:
            deps.reindex_done()
        say(reindex_text(report, language))

    thread = threading.Thread(
        target=deps.guarded,
        args=("reindex", language, say, work),
        name="guidebot-reindex",
        daemon=True,
    )
    thread.start()


def reindex_text(report: IndexReport, language: str) -> str:
    documents = sum(f.status != "removed" for f in report.files)
    changed = sum(f.status in {"indexed", "removed"} for f in report.files)
    text = label(
        "reindex_done",
        language,
        seconds=report.seconds,
        documents=documents,
        changed=changed,
        chunks=report.total_chunks,
    )
    failed = [f"`{escape(f.source)}` ({escape(f.reason)})" for f in report.warnings]
    if failed:
        text += "\n" + label("reindex_warnings", language, files=", ".join(failed[:10]))
    if report.rules == "invalid":
        text += f"\n:warning: review-rules.yaml: {escape(report.rules_error)}"
    return text
