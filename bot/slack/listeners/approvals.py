"""Approvals ("ask comms to check"): a reviewed draft goes to comms, who decide in Slack.

Request: the draft travels in the button's value (the review reply is ephemeral, so Slack
does not send its content back; a draft too long for a button is pasted into a form); it is
reviewed again for the findings comms sees, stored with the open request and posted to
GUIDEBOT_REVIEW_CHANNEL. Decision: only comms users
(GUIDEBOT_COMMS_USERS, else the admins) may click; the store decides once (a second click,
on any replica, finds nothing open), then the request message is updated, the requester gets
a DM, and "use as example" appends the decision to knowledge/review-examples.yaml. Open
requests older than GUIDEBOT_APPROVAL_TTL_DAYS are expired by an hourly background sweep
(which requests and decisions also trigger, at most hourly per process); requesters are told.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.config import Settings
from bot.ops.approvals import Approval, ApprovalStore, NewRequest
from bot.ops.review_examples import append_example, example_item
from bot.slack.approval import (
    APPROVE_ACTION,
    CHANGES_ACTION,
    CHANGES_CALLBACK,
    EXAMPLE_ACTION,
    PASTE_CALLBACK,
    changes_modal,
    decided_blocks,
    decision_dm,
    decision_text,
    example_ticked,
    paste_modal,
    request_blocks,
)
from bot.slack.context import Deps, actor
from bot.slack.drafts import REQUEST_ACTION
from bot.slack.listeners.actions import parse_value
from bot.slack.mrkdwn import escape, fallback
from bot.slack.reply import private_deliver, respond_deliver
from bot.slack.texts import label

log = logging.getLogger("bot.slack")
SWEEP_EVERY_S = 3600.0


def register(app: App, deps: Deps) -> None:
    sweeper = Sweeper(deps)
    if deps.approvals_on:  # also when nobody clicks: expired drafts must not linger
        sweeper.start(app.client)

    @app.action(REQUEST_ACTION)
    def request(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any,
                respond: Respond) -> None:  # fmt: skip
        ack()
        data = parse_value(action.get("value"))
        language = data.get("lang") or "en"
        say = respond_deliver(respond)
        user = body.get("user") or {}
        who = actor(user.get("id"), user.get("team_id") or (body.get("team") or {}).get("id"))
        if not deps.approvals_on:
            say(label("approval_off", language, contact=escape(deps.settings.contact)))
            return
        if not data.get("draft"):  # too long for the button: the user pastes it into a form
            channel = (body.get("channel") or {}).get("id")
            view = paste_modal(language, {**data, "channel": channel})

            def open_form() -> None:
                client.views_open(trigger_id=body["trigger_id"], view=view)

            deps.guarded("open approval form", language, say, open_form)
            return

        def work() -> None:
            open_request(deps, client, who, data)
            say(label("approval_sent", language))
            sweeper.maybe_sweep(client)

        deps.later("approval request", language, say, work)

    @app.view(PASTE_CALLBACK)
    def submit_draft(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        data = parse_value(view.get("private_metadata"))
        language = data.get("lang") or "en"
        values = (view.get("state") or {}).get("values") or {}
        draft = ((values.get("draft") or {}).get("text") or {}).get("value") or ""
        if not draft.strip():
            ack(response_action="errors", errors={"draft": label("modal_empty", language)})
            return
        ack()
        user = body.get("user") or {}
        who = actor(user.get("id"), user.get("team_id") or (body.get("team") or {}).get("id"))
        tell = private_deliver(client, who.user, data.get("channel"))

        def work() -> None:
            open_request(deps, client, who, {**data, "draft": draft})
            tell(label("approval_sent", language))

        deps.later("approval request", language, tell, work)

    @app.action(EXAMPLE_ACTION)
    def tick(ack: Ack) -> None:
        ack()  # the checkbox's state arrives with the decision click

    @app.action(APPROVE_ACTION)
    def approve(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any,
                respond: Respond) -> None:  # fmt: skip
        ack()
        decider = (body.get("user") or {}).get("id")
        if not _allowed(deps, client, body, respond):
            return
        ticked = example_ticked(body.get("state"))
        approval_id = str(action.get("value") or "")

        def work() -> None:
            decide(deps, client, approval_id, "ok", str(decider), None, ticked)
            sweeper.maybe_sweep(client)

        deps.later("approval decision", "en", respond_deliver(respond), work)

    @app.action(CHANGES_ACTION)
    def request_changes(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any,
                        respond: Respond) -> None:  # fmt: skip
        ack()  # then open the form at once: the trigger_id expires after three seconds
        decider = (body.get("user") or {}).get("id")
        if not _allowed(deps, client, body, respond):
            return
        approval_id = str(action.get("value") or "")
        language = deps.language_of(client, decider)
        view = changes_modal(approval_id, language, example_ticked(body.get("state")))
        deps.guarded(
            "open changes form",
            language,
            respond_deliver(respond),
            lambda: client.views_open(trigger_id=body["trigger_id"], view=view),
        )

    @app.view(CHANGES_CALLBACK)
    def submit_changes(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        meta = parse_value(view.get("private_metadata"))
        language = meta.get("lang") or "en"
        values = (view.get("state") or {}).get("values") or {}
        comment = ((values.get("comment") or {}).get("text") or {}).get("value") or ""
        verdict = ((values.get("verdict") or {}).get("value") or {}).get("selected_option") or {}
        decider = (body.get("user") or {}).get("id")
        if not deps.is_comms(decider, _team(body)):
            ack(
                response_action="errors", errors={"comment": label("approval_only_comms", language)}
            )
            return
        if not comment.strip():
            ack(response_action="errors", errors={"comment": label("changes_empty", language)})
            return
        ack()
        decision = "do_not_post" if verdict.get("value") == "do_not_post" else "needs_changes"

        def work() -> None:
            decide(deps, client, str(meta.get("id") or ""), decision, str(decider),
                   comment.strip(), example_ticked(view.get("state")))  # fmt: skip

        deps.later("approval decision", language, private_deliver(client, str(decider), None), work)


def _team(body: dict[str, Any]) -> str | None:
    user = body.get("user") or {}
    return user.get("team_id") or (body.get("team") or {}).get("id")


def _allowed(deps: Deps, client: Any, body: dict[str, Any], respond: Respond) -> bool:
    """Comms users may decide; anyone else is told so, privately, and nothing changes."""
    user = (body.get("user") or {}).get("id")
    if deps.is_comms(user, _team(body)):
        return True
    language = deps.language_of(client, user)
    respond_deliver(respond)(label("approval_only_comms", language))
    return False


def open_request(deps: Deps, client: Any, who: Any, data: dict[str, Any]) -> str:
    """Review the draft again (for the findings), store the request, post it to comms."""
    draft, account, platform = str(data["draft"]), data.get("account"), data.get("platform")
    review = deps.service.review(draft, account or "personal", platform, who)
    hashes = {s.source: s.doc_hash for f in review.findings for s in f.sources if s.doc_hash}
    hashes |= {s.source: s.doc_hash for s in review.sources if s.doc_hash}
    store = deps.service.approvals
    approval_id = store.open(
        NewRequest(
            user=who.user, team=who.team, language=review.language, draft=draft,
            verdict=review.verdict, categories=[f.category for f in review.findings],
            doc_hashes=hashes, account=account, platform=platform,
            review_record=data.get("id") or review.audit_id,
        )
    )  # fmt: skip
    approval = store.get(approval_id)
    assert approval is not None
    try:
        posted = client.chat_postMessage(
            channel=deps.settings.review_channel,
            text=label("approval_request", approval.language, user=escape(who.user)),
            blocks=request_blocks(approval, review),
            unfurl_links=False,
            unfurl_media=False,
        )
    except Exception:
        store.withdraw(approval_id)  # comms never saw it: no open request, no stored draft
        raise
    store.posted(approval_id, str(posted["channel"]), str(posted["ts"]))
    return approval_id


def decide(deps: Deps, client: Any, approval_id: str, decision: str, decider: str,
           comment: str | None, use_as_example: bool) -> None:  # fmt: skip
    """Decide once; then the example, the updated request message and the requester's DM."""
    decided = deps.service.approvals.decide(approval_id, decision, decider, comment, use_as_example)
    if decided is None:
        log.info("approval %s was already decided or expired", approval_id)
        return
    if use_as_example and decided.draft:
        _add_example(deps, decided, comment)
    if decided.channel and decided.message_ts:
        client.chat_update(
            channel=decided.channel,
            ts=decided.message_ts,
            text=decision_text(decision, decider, decided.language),
            blocks=decided_blocks(decided, comment),
        )
    text, blocks = decision_dm(decided, comment)
    client.chat_postMessage(channel=decided.requested_by, text=text, blocks=blocks)


def _add_example(deps: Deps, decided: Approval, comment: str | None) -> None:
    from bot.review.categories import CATEGORIES

    categories = (
        [] if decided.decision == "ok" else [c for c in decided.categories if c in CATEGORIES]
    )
    note = comment or f"{decided.decision} by comms (guidebot said {decided.verdict_before})"
    item = example_item(
        decided.draft or "", str(decided.decision), categories, note,
        str(decided.decided_by), datetime.now(UTC).date(),
    )  # fmt: skip
    try:
        append_example(deps.settings.knowledge_dir, item)
    except Exception as error:  # the decision stands even if the file cannot be written
        log.error("could not add the example to review-examples.yaml: %s", type(error).__name__)


def expire_requests(store: ApprovalStore, client: Any, settings: Settings) -> int:
    """Expire overdue requests: drafts deleted, message updated, requesters told."""
    expired = store.expire()
    for approval in expired:
        days = settings.approval_ttl_days
        contact = escape(settings.contact)
        text = label("expired_dm", approval.language, days=days, contact=contact)
        try:
            if approval.channel and approval.message_ts:
                client.chat_update(
                    channel=approval.channel,
                    ts=approval.message_ts,
                    text=fallback(label("decision_expired", approval.language)),
                    blocks=decided_blocks(_without_draft(approval)),
                )
            client.chat_postMessage(channel=approval.requested_by, text=text)
        except Exception as error:  # one unreachable user must not stop the sweep
            log.warning("could not tell about an expired request: %s", type(error).__name__)
    return len(expired)


def _without_draft(approval: Approval) -> Approval:
    return Approval(**{**approval.__dict__, "draft": None})


class Sweeper:
    """Runs `expire_requests` at most once per SWEEP_EVERY_S in this process."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._last = 0.0
        self._lock = threading.Lock()

    def start(self, client: Any) -> None:
        """Sweep in the background every SWEEP_EVERY_S (a daemon thread: ends with the app)."""

        def loop() -> None:
            while True:
                time.sleep(SWEEP_EVERY_S)
                self.maybe_sweep(client)

        threading.Thread(target=loop, name="guidebot-approval-sweep", daemon=True).start()

    def maybe_sweep(self, client: Any) -> None:
        with self._lock:
            if time.monotonic() - self._last < SWEEP_EVERY_S:
                return
            self._last = time.monotonic()
        try:
            expire_requests(self.deps.service.approvals, client, self.deps.settings)
        except Exception as error:
            log.warning("approval sweep failed: %s", type(error).__name__)
