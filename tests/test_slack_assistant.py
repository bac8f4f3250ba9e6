"""Slack's AI-assistant surface: a new thread gets suggested prompts, a message in it gets a
status while guidebot works and the answer (or a review) in that thread."""

from __future__ import annotations

import json
from typing import Any

from tests.slack_requests import PHOTO_QUESTION, all_text, dm, event_body, send

THREAD = "500.1"


def _prompts(call: Any) -> list[dict[str, str]]:
    prompts = call.args["prompts"]
    return json.loads(prompts) if isinstance(prompts, str) else prompts


def test_a_new_assistant_thread_gets_bilingual_suggested_prompts(bot, fake):
    app, _ = bot
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "U1",
            "channel_id": "D1",
            "thread_ts": THREAD,
            "context": {"channel_id": "C1", "team_id": "T0001"},
        },
        "event_ts": THREAD,
    }
    assert send(app, event_body(started, "EvStart")).status == 200
    call = fake.wait_for("assistant.threads.setSuggestedPrompts")[0]
    assert (call.args["channel_id"], call.args["thread_ts"]) == ("D1", THREAD)
    messages = {p["message"] for p in _prompts(call)}
    assert {"Darf ich Fotos aus dem Büro posten?", "Review my draft"} <= messages
    changed = {**started, "type": "assistant_thread_context_changed"}
    assert send(app, event_body(changed, "EvChanged")).status == 200


def test_a_question_in_the_assistant_thread_shows_a_status_and_is_answered_there(bot, fake):
    app, _ = bot
    send(app, event_body(dm(PHOTO_QUESTION, "500.2", thread_ts=THREAD), "EvAsk"))
    status = fake.wait_for("assistant.threads.setStatus")[0]
    assert (status.args["channel_id"], status.args["thread_ts"]) == ("D1", THREAD)
    assert status.args["status"] == "is checking the guidelines…"
    answer = fake.wait_for("chat.postMessage")[0]
    assert (answer.args["channel"], answer.args["thread_ts"]) == ("D1", THREAD)
    assert "Sources" in all_text(answer) and not fake.of("reactions.add")
    assert answer.at > status.at


def test_review_in_the_assistant_thread_reviews_the_draft_there(bot, fake):
    app, _ = bot
    text = "Review: Sneak peek, our Polarstern sensor launches next month!"
    send(app, event_body(dm(text, "500.3", thread_ts=THREAD), "EvReview"))
    reply = fake.wait_for("chat.postMessage")[0]
    assert reply.args["thread_ts"] == THREAD and "Do not post this" in all_text(reply)
    assert reply.args["text"].startswith("Do not post this: ")
    send(app, event_body(dm("Review my draft", "500.4", thread_ts=THREAD), "EvHint"))
    hint = fake.wait_for("chat.postMessage", 2)[1]
    assert "Review:" in all_text(hint)
