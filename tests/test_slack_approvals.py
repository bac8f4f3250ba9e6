"""Approvals ("ask comms to check"): from a review to a recorded decision, via the bolt app.

A user reviews a draft, asks comms; the request appears in the review channel; someone outside
comms is refused; comms decides; the requester gets a DM, the request message is updated, the
audit row holds the decision (and no longer the draft), and "use as example" lands in
knowledge/review-examples.yaml. Expiry and the examples file are checked on their own.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.ops.approvals import ApprovalStore
from bot.ops.audit_schema import utcnow
from bot.ops.review_examples import append_example, example_item
from bot.slack.listeners.approvals import expire_requests
from tests.slack_requests import (
    LEAKY_DRAFT,
    all_text,
    click,
    command_body,
    interaction_body,
    make_bot,
    send,
)

REVIEW_CHANNEL, COMMS = "CREVIEW", "UCOMMS"


@pytest.fixture
def comms_bot(engine, fake, tmp_path):  # type: ignore[no-untyped-def]
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    return make_bot(
        engine, fake, tmp_path, review_channel=REVIEW_CHANNEL,
        comms_users=frozenset({COMMS}), knowledge_dir=knowledge,
    )  # fmt: skip


def _as(user: str, action_id: str, value: str, name: str, **extra: Any) -> str:
    return click(
        action_id, value, user={"id": user, "team_id": "T0001"},
        response_url=f"{name}", **extra,
    )  # fmt: skip


def _ask_comms(app, fake, draft: str = LEAKY_DRAFT):  # type: ignore[no-untyped-def]
    """Review `draft` as U1, click "Ask comms to check"; the request posted to comms."""
    send(app, command_body("/review-post", draft, fake.response_url("review")))
    reply = fake.wait_for("response_url", where=lambda c: c.path == "/response/review")[0]
    assert reply.args["replace_original"] is True  # the ":mag: Checking…" ack is replaced
    buttons = reply.args["blocks"][-1]["elements"]
    ask = next(b for b in buttons if b["action_id"] == "request_approval")
    assert ask["text"]["text"] == "Ask comms to check"
    assert "shown to the comms team" in ask["confirm"]["text"]["text"]
    send(app, _as("U1", "request_approval", ask["value"], fake.response_url("asked")))
    posted = fake.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == REVIEW_CHANNEL
    )[0]
    sent = fake.wait_for("response_url", where=lambda c: c.path == "/response/asked")[0]
    assert "Sent to comms" in all_text(sent)
    return posted


def _decision_buttons(posted) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {e["action_id"]: e for e in posted.args["blocks"][-1]["elements"]}


def test_a_request_is_refused_for_others_decided_by_comms_once_and_recorded(comms_bot, fake):
    app, service = comms_bot
    posted = _ask_comms(app, fake)
    shown = all_text(posted)
    assert "<@U1> asks comms to check" in shown and "Polarstern" in shown
    assert "Do not post this" in shown and "Rule:" in shown  # guidebot's verdict and rules
    buttons = _decision_buttons(posted)
    approval_id = buttons["approval_approve"]["value"]
    assert {"approval_approve", "approval_request_changes"} <= set(buttons)

    send(app, _as("U1", "approval_approve", approval_id, fake.response_url("denied")))
    denied = fake.wait_for("response_url", where=lambda c: c.path == "/response/denied")[0]
    assert "only the comms team" in all_text(denied) and not denied.args["replace_original"]
    assert service.approvals.get(approval_id).status == "open" and not fake.of("chat.update")

    send(app, _as(COMMS, "approval_request_changes", approval_id, fake.response_url("c")))
    view = fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == "approval_changes"
    view["state"] = {
        "values": {
            "comment": {"text": {"type": "plain_text_input", "value": "Drop the codename."}},
            "verdict": {"value": {"type": "radio_buttons",
                                  "selected_option": {"value": "do_not_post"}}},
            "example": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        }
    }  # fmt: skip
    submit = {"type": "view_submission", "user": {"id": COMMS}, "view": view}
    assert send(app, interaction_body(submit)).body == ""
    updated = fake.wait_for("chat.update")[0]
    assert updated.args["channel"] == REVIEW_CHANNEL and updated.args["ts"]
    assert "Do not post by <@UCOMMS>" in all_text(updated) and "Drop the codename." in all_text(
        updated
    )
    assert not [b for b in updated.args["blocks"] if b["type"] == "actions"]  # buttons gone
    dm = fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "U1")[0]
    assert "<@UCOMMS>" in all_text(dm) and "Drop the codename." in all_text(dm)

    row = service.approvals.rows()[0]
    assert (row.status, row.decision, row.decided_by, row.requested_by) == (
        "decided", "do_not_post", COMMS, "U1",
    )  # fmt: skip
    assert row.verdict_before == "do_not_post" and row.doc_hashes and row.comment_hash
    assert row.draft is None and row.draft_hash  # the draft is gone once decided
    examples = yaml.safe_load((Path(service.settings.knowledge_dir) / "review-examples.yaml")
                              .read_text(encoding="utf-8"))["examples"]  # fmt: skip
    assert examples[0]["text"] == LEAKY_DRAFT.replace("&lt;", "<").replace("&gt;", ">")
    assert (examples[0]["verdict"], examples[0]["source"], examples[0]["decided_by"]) == (
        "do_not_post", "slack-approval", COMMS,
    )  # fmt: skip
    assert "unreleased_product" in examples[0]["categories"]

    send(app, _as(COMMS, "approval_approve", approval_id, fake.response_url("again")))
    send(app, _as("U1", "feedback_helpful", json.dumps({"id": "x"}), fake.response_url("sync")))
    fake.wait_for("response_url", where=lambda c: c.path == "/response/sync")  # after the click
    assert len(fake.of("chat.update")) == 1 and service.approvals.get(approval_id).decision == (
        "do_not_post"
    )


def test_approving_with_use_as_example_records_an_ok_example(comms_bot, fake):
    app, service = comms_bot
    posted = _ask_comms(app, fake, "Great day at the trade fair with the team!")
    approval_id = _decision_buttons(posted)["approval_approve"]["value"]
    state = {"values": {"approval": {"approval_use_example": {
        "type": "checkboxes", "selected_options": [{"value": "yes"}]}}}}  # fmt: skip
    send(app, _as(COMMS, "approval_approve", approval_id, fake.response_url("ok"), state=state))
    assert "Approved by <@UCOMMS>" in all_text(fake.wait_for("chat.update")[0])
    fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "U1")
    path = Path(service.settings.knowledge_dir) / "review-examples.yaml"
    item = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"][-1]
    assert (item["verdict"], item["categories"]) == ("ok", [])


def test_an_open_request_expires_its_draft_is_deleted_and_the_requester_told(comms_bot, fake):
    app, service = comms_bot
    posted = _ask_comms(app, fake, "Great day at the trade fair!")
    approval_id = _decision_buttons(posted)["approval_approve"]["value"]
    assert service.approvals.get(approval_id).draft  # kept while comms has to read it
    later = ApprovalStore(service.audit, now=lambda: utcnow() + timedelta(days=15))
    assert expire_requests(later, app.client, service.settings) == 1
    told = fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "U1")[0]
    assert "expired after 14 days" in told.args["text"]
    assert "Expired" in all_text(fake.wait_for("chat.update")[0])
    assert service.approvals.get(approval_id).status == "expired"
    assert service.approvals.get(approval_id).draft is None


def test_without_a_review_channel_reviews_offer_no_approval(bot, fake):
    app, _ = bot
    send(app, command_body("/review-post", "Nice fair today!", fake.response_url("plain")))
    buttons = fake.wait_for("response_url")[0].args["blocks"][-1]["elements"]
    assert "request_approval" not in {b["action_id"] for b in buttons}


def test_examples_are_appended_keeping_the_file_and_its_comments_even_under_concurrency(
    tmp_path,
):  # type: ignore[no-untyped-def]
    path = tmp_path / "review-examples.yaml"
    original = "# Kept by comms. Do not remove.\nexamples:\n  - text: Old one\n    verdict: ok\n"
    path.write_text(original, encoding="utf-8")
    today = utcnow().date()

    def add(n: int) -> None:
        append_example(
            tmp_path, example_item(f"Draft {n}: ä", "needs_changes", [], "n", "U", today)
        )

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    examples = yaml.safe_load(text)["examples"]
    assert len(examples) == 9 and {e["text"] for e in examples[1:]} == {
        f"Draft {n}: ä" for n in range(8)
    }
    assert examples[1]["decided_at"] == today.isoformat()
    fresh = tmp_path / "new"
    fresh.mkdir()
    append_example(fresh, example_item("x", "ok", [], "", "U", today))
    assert (
        yaml.safe_load((fresh / "review-examples.yaml").read_text())["examples"][0]["text"] == "x"
    )


def test_two_replicas_clicking_at_once_decide_once(tmp_path):  # type: ignore[no-untyped-def]
    from bot.ops.approvals import NewRequest
    from bot.ops.audit import AuditLog
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, GUIDEBOT_APPROVAL_TTL_DAYS="3", GUIDEBOT_COMMS_USERS="")
    assert settings.approval_ttl_days == 3 and settings.comms_users == frozenset()
    replicas = [ApprovalStore(AuditLog(settings)) for _ in range(2)]
    approval_id = replicas[0].open(NewRequest("U1", None, "en", "Draft", "ok"))
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def click_on(store: ApprovalStore, n: int) -> None:
        barrier.wait()
        results.append(store.decide(approval_id, "ok", f"UC{n}"))

    threads = [threading.Thread(target=click_on, args=(replicas[n % 2], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].draft == "Draft"  # handed over once, for the example
    row = replicas[1].rows()[0]
    assert (row.status, row.decided_by, row.draft) == ("decided", winners[0].decided_by, None)


def test_a_draft_too_long_for_the_button_is_pasted_into_a_form_and_sent(comms_bot, fake):
    app, service = comms_bot
    draft = "Great day at the trade fair with the whole team. " * 50  # ~2,500 characters
    send(app, command_body("/review-post", draft, fake.response_url("long")))
    buttons = fake.wait_for("response_url")[0].args["blocks"][-1]["elements"]
    ask = next(b for b in buttons if b["action_id"] == "request_approval")
    assert json.loads(ask["value"])["draft"] is None and len(ask["value"]) <= 2000
    send(app, _as("U1", "request_approval", ask["value"], fake.response_url("paste")))
    view = fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == "approval_paste"
    view["state"] = {"values": {"draft": {"text": {"value": draft}}}}
    send(app, interaction_body({"type": "view_submission", "user": {"id": "U1"}, "view": view}))
    posted = fake.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == REVIEW_CHANNEL
    )[0]
    assert "trade fair" in all_text(posted)
    told = fake.wait_for("chat.postEphemeral")[0]
    assert told.args["channel"] == "C1" and "Sent to comms" in all_text(told)
    assert service.approvals.rows()[0].draft_length == len(draft)
