"""guidebot in Slack, through the real bolt app: signed requests in, calls to a fake Slack out.

Every test dispatches a request the way Slack signs it and then waits for what the app sends
to the local fake of Slack's Web API or response_url. The engine is the real one over the
sample guidelines; a few tests use a real Engine subclass that records or fails on purpose.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.engine import Engine
from bot.limits import RateLimiter
from bot.models import Answer, Review, Turn
from bot.service import Guidebot
from bot.slack.app import create_app
from bot.store import open_store
from tests.slack_fake import (
    ADMIN,
    BOT_USER,
    SECRET,
    Call,
    FakeSlack,
    command_body,
    event_body,
    interaction_body,
    rendered,
    running_fake,
    signed_headers,
    slack_settings,
)

PHOTO_QUESTION = "May I post photos of the office?"
LEAKY_DRAFT = "Sneak peek: our new Polarstern sensor launches next month! &lt;!channel&gt;"


class RecordingEngine(Engine):
    """The real engine, remembering which history each question came with."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.asked: list[tuple[str, list[Turn]]] = []

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        self.asked.append((question, list(history)))
        return super().ask(question, history)


class BrokenReviewEngine(Engine):
    """The real engine with a review that crashes, quoting the draft in its error."""

    def review(self, text: str, account: str = "personal", platform: str | None = None) -> Review:
        raise RuntimeError(f"exploded on {text}")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with running_fake() as server:
        yield server


@pytest.fixture
def engine(sample_index, embedder) -> RecordingEngine:  # type: ignore[no-untyped-def]
    return RecordingEngine(sample_index, open_store(sample_index), embedder)


@pytest.fixture
def bot(engine, fake, tmp_path) -> tuple[App, Guidebot]:  # type: ignore[no-untyped-def]
    settings = slack_settings(engine.settings, fake, tmp_path)
    service = Guidebot(engine, settings)
    return create_app(service, settings, workers=1), service


def send(app: App, body: str, secret: str = SECRET, **headers: Any) -> BoltResponse:
    timestamp = headers.pop("timestamp", None)
    return app.dispatch(BoltRequest(body=body, headers=signed_headers(secret, body, timestamp,
                                                                        **headers)))  # fmt: skip


def mention(text: str, ts: str, thread_ts: str | None = None, user: str = "U1") -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
             "channel": "C1", "event_ts": ts}  # fmt: skip
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": text,
            "ts": ts, "event_ts": ts, **extra}  # fmt: skip


def all_text(call: Call) -> str:
    return json.dumps(call.args.get("blocks") or call.args.get("view"), ensure_ascii=False)


def click(action_id: str, value: str, **extra: Any) -> str:
    return interaction_body({
        "type": "block_actions", "user": {"id": "U1", "team_id": "T0001"},
        "trigger_id": "trig-2", "container": {"type": "message", "channel_id": "C1"},
        "channel": {"id": "C1"}, "actions": [{"type": "button", "action_id": action_id,
                                              "block_id": "b", "value": value}], **extra,
    })  # fmt: skip


# -- questions --------------------------------------------------------------------------------


def test_a_mention_is_answered_in_its_thread_with_sources_while_a_reaction_shows_work(bot, fake):
    app, _ = bot
    assert send(app, event_body(mention(PHOTO_QUESTION, "100.1"))).status == 200
    posted = fake.wait_for("chat.postMessage")[0]
    assert posted.args["channel"] == "C1" and posted.args["thread_ts"] == "100.1"
    assert "*Sources*" in all_text(posted) and "social-media-leitlinien.md" in all_text(posted)
    assert "Helpful" in all_text(posted) and len(posted.args["text"]) <= 300
    removed = fake.wait_for("reactions.remove")[0]
    added = fake.of("reactions.add")[0]
    for call in (added, removed):
        assert (call.args["channel"], call.args["timestamp"], call.args["name"]) == (
            "C1", "100.1", "mag")
    assert added.at <= posted.at <= removed.at


def test_a_follow_up_in_the_thread_is_asked_with_the_earlier_turn(bot, fake, engine):
    app, _ = bot
    send(app, event_body(mention(PHOTO_QUESTION, "100.1"), "Ev1"))
    first = fake.wait_for("chat.postMessage")[0]
    send(app, event_body(mention("And on LinkedIn?", "100.2", thread_ts="100.1"), "Ev2"))
    second = fake.wait_for("chat.postMessage", 2)[1]
    assert second.args["thread_ts"] == "100.1" and first.args["thread_ts"] == "100.1"
    question, history = engine.asked[1]
    assert question == "And on LinkedIn?"
    assert [t.question for t in history] == [PHOTO_QUESTION]
    assert history[0].answer.startswith("Here is what the guidelines say")


def test_after_a_restart_the_thread_is_read_back_from_slack(bot, fake, engine):
    app, _ = bot
    fake.seed_thread("C1", "90.1", [
        {"ts": "90.1", "user": "U1", "text": f"<@{BOT_USER}> {PHOTO_QUESTION}"},
        {"ts": "90.2", "user": BOT_USER, "bot_id": "BBOT", "text": "Photos are welcome."},
        {"ts": "90.3", "user": "U2", "text": "nice", "bot_id": "BOTHER"},
    ])  # fmt: skip
    send(app, event_body(mention("And videos?", "90.4", thread_ts="90.1")))
    fake.wait_for("chat.postMessage")
    assert fake.of("conversations.replies")[0].args["ts"] == "90.1"
    assert engine.asked[0][1] == [Turn(PHOTO_QUESTION, "Photos are welcome.")]


def test_a_german_direct_message_is_answered_in_its_thread_in_german(bot, fake):
    app, _ = bot
    send(app, event_body(dm("Darf ich Fotos vom Büro posten?", "200.1")))
    posted = fake.wait_for("chat.postMessage")[0]
    assert posted.args["channel"] == "D1" and posted.args["thread_ts"] == "200.1"
    assert "*Quellen*" in all_text(posted) and "Hilfreich" in all_text(posted)


def test_an_uncovered_question_names_the_contact_and_shows_up_for_admins_on_home(bot, fake):
    app, _ = bot
    send(app, event_body(dm("Wie bestelle ich Pizza für das Team?", "300.1"), "Ev1"))
    answer = all_text(fake.wait_for("chat.postMessage")[0])
    assert "#comms" in answer and "Quellen" not in answer
    assert "offene Frage" in answer  # told it was logged as a knowledge gap
    for user, event_id in ((ADMIN, "Ev2"), ("U1", "Ev3")):
        home = {"type": "app_home_opened", "user": user, "channel": "D9", "tab": "home"}
        send(app, event_body(home, event_id))
    views = {c.args["user_id"]: all_text(c) for c in fake.wait_for("views.publish", 2)}
    admin_view, user_view = views[ADMIN], views["U1"]
    assert "Pizza" in admin_view and "Knowledge gaps" in admin_view
    assert "Pizza" not in user_view and "employee-social-media-policy.md" in user_view


def test_a_repeated_event_and_messages_from_bots_are_not_answered(bot, fake):
    app, _ = bot
    body = event_body(mention(PHOTO_QUESTION, "400.1"), "EvSame")
    assert send(app, body).status == 200
    assert send(app, body, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
                ).status == 200  # fmt: skip
    send(app, event_body(dm("I am a bot", "400.2", bot_id="B999"), "EvBot"))
    send(app, event_body(dm("I am guidebot", "400.3", user=BOT_USER), "EvSelf"))
    send(app, event_body(dm("edited", "400.4", subtype="message_changed"), "EvEdit"))
    send(app, event_body(mention("Last one: may I share the logo?", "400.5"), "EvLast"))
    # One worker answers in order: once the last question is answered, a second answer to
    # any of the earlier events would already have been posted.
    posts = fake.wait_for("chat.postMessage", where=lambda c: c.args["thread_ts"] == "400.5")
    assert [c.args["thread_ts"] for c in fake.of("chat.postMessage")] == ["400.1", "400.5"]
    assert len(posts) == 1


# -- /review-post, the modal and the shortcut ---------------------------------------------------


def test_review_post_acks_at_once_and_replies_ephemerally_with_the_review(bot, fake):
    app, _ = bot
    started = time.monotonic()
    response = send(app, command_body("/review-post", LEAKY_DRAFT, fake.response_url("cmd")))
    assert response.status == 200 and time.monotonic() - started < 1.0
    assert "Checking your draft" in response.body
    reply = fake.wait_for("response_url")[0]
    assert reply.path == "/response/cmd" and reply.args["response_type"] == "ephemeral"
    text = all_text(reply)
    assert ":red_circle: *Do not post this*" in text and "&gt; Polarstern" in text
    shown = " ".join(rendered(reply.args["blocks"]))
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown  # quoted, never a ping
    assert "Edit and review again" in text


def test_review_post_without_text_opens_the_form_and_its_submission_replies_in_the_channel(
    bot, fake
):
    app, _ = bot
    assert send(app, command_body("/review-post", "", fake.response_url(), channel="C42")).status == 200
    opened = fake.wait_for("views.open")[0]
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "trig-1" and view["callback_id"] == "review_modal"
    view["state"] = {"values": {
        "draft": {"text": {"value": "Call me: +49 170 1234567"}},
        "account": {"value": {"selected_option": {"value": "company"}}},
        "platform": {"value": {"selected_option": {"value": "linkedin"}}},
    }}  # fmt: skip
    submit = {"type": "view_submission", "user": {"id": "U1", "team_id": "T0001"}, "view": view}
    response = send(app, interaction_body(submit))
    assert response.status == 200 and response.body == ""  # closes the modal
    reply = fake.wait_for("chat.postEphemeral")[0]
    assert (reply.args["channel"], reply.args["user"]) == ("C42", "U1")
    assert "+49 170 1234567" in all_text(reply) and "Do not post" in all_text(reply)
    again = json.loads(reply.args["blocks"][-1]["elements"][0]["value"])
    assert (again["account"], again["platform"]) == ("company", "linkedin")


def test_an_empty_form_is_refused_in_the_form_itself(bot, fake):
    app, _ = bot
    view = {"type": "modal", "callback_id": "review_modal", "private_metadata": "{}",
            "state": {"values": {"draft": {"text": {"value": "  "}}}}}  # fmt: skip
    response = send(app, interaction_body({"type": "view_submission", "user": {"id": "U1"},
                                           "view": view}))  # fmt: skip
    assert json.loads(response.body) == {"response_action": "errors",
                                         "errors": {"draft": "Please paste your draft."}}  # fmt: skip


def test_without_access_to_the_channel_the_review_arrives_as_a_direct_message(bot, fake):
    app, _ = bot
    fake.fail("chat.postEphemeral", 200, {"ok": False, "error": "not_in_channel"})
    view = {"type": "modal", "callback_id": "review_modal", "private_metadata": json.dumps({"channel": "C9"}),
            "state": {"values": {"draft": {"text": {"value": "Great day at the fair!"}}}}}
    send(app, interaction_body({"type": "view_submission", "user": {"id": "U1"}, "view": view}))
    dm_reply = fake.wait_for("chat.postMessage")[0]
    assert dm_reply.args["channel"] == "U1" and "Good to post" in all_text(dm_reply)


def test_the_message_shortcut_reviews_that_message_for_the_person_who_used_it(bot, fake):
    app, _ = bot
    payload = {"type": "message_action", "callback_id": "review_message", "trigger_id": "t3",
               "response_url": fake.response_url("short"), "user": {"id": "U1"},
               "channel": {"id": "C1"}, "message_ts": "5.1",
               "message": {"type": "message", "user": "U7", "ts": "5.1",
                           "text": "Our Q3 revenue grew 40%, numbers out next week!"}}
    assert send(app, interaction_body(payload)).status == 200
    reply = fake.wait_for("response_url")[0]
    assert reply.path == "/response/short" and reply.args["response_type"] == "ephemeral"
    assert "revenue grew 40%" in all_text(reply)


def test_feedback_buttons_are_recorded_and_thanked_privately(bot, fake):
    app, service = bot
    send(app, command_body("/review-post", LEAKY_DRAFT, fake.response_url("cmd")))
    buttons = fake.wait_for("response_url")[0].args["blocks"][-1]["elements"]
    unclear = next(b for b in buttons if b["action_id"] == "feedback_unclear_guideline")
    response = send(app, click(unclear["action_id"], unclear["value"],
                               response_url=fake.response_url("fb")))  # fmt: skip
    assert response.status == 200
    thanks = fake.wait_for("response_url", where=lambda c: c.path == "/response/fb")[0]
    assert thanks.args["response_type"] == "ephemeral" and not thanks.args["replace_original"]
    assert "guideline owners will see" in all_text(thanks)
    assert service.feedback_counts()["review"]["unclear_guideline"] == 1
    assert service.unclear_reports()[0].source.endswith(".md")


def test_edit_and_review_again_opens_the_form_with_the_draft(bot, fake):
    app, _ = bot
    value = json.dumps({"draft": "Fixed draft #NordlichtTeam", "account": "personal",
                        "platform": "x"})  # fmt: skip
    send(app, click("review_again", value, response_url=fake.response_url("ra")))
    view = fake.wait_for("views.open")[0].args["view"]
    draft = next(b for b in view["blocks"] if b.get("block_id") == "draft")
    assert draft["element"]["initial_value"] == "Fixed draft #NordlichtTeam"
    assert json.loads(view["private_metadata"])["channel"] == "C1"


# -- /guidelines --------------------------------------------------------------------------------


def test_guidelines_shows_usage_and_status_and_refuses_reindex_to_non_admins(bot, fake):
    app, _ = bot
    send(app, command_body("/guidelines", "", fake.response_url("help")))
    help_text = all_text(fake.wait_for("response_url")[0])
    assert "/review-post" in help_text and "5 documents" in help_text
    send(app, command_body("/guidelines", "reindex", fake.response_url("no")))
    refusal = fake.wait_for("response_url", where=lambda c: c.path == "/response/no")[0]
    assert "only guidebot admins" in all_text(refusal)


def test_an_admin_reindexes_in_the_background_and_hears_when_it_is_done(
    fake, tmp_path, embedder, sample_index
):  # type: ignore[no-untyped-def]
    import shutil

    knowledge = tmp_path / "knowledge"
    shutil.copytree(sample_index.knowledge_dir, knowledge)
    settings = slack_settings(sample_index, fake, tmp_path, knowledge_dir=knowledge,
                              store_dir=tmp_path / "store")  # fmt: skip
    app = create_app(Engine(settings, open_store(settings), embedder), settings)
    response = send(app, command_body("/guidelines", "reindex", fake.response_url("ri"),
                                      user=ADMIN))  # fmt: skip
    assert response.status == 200
    started, done = fake.wait_for("response_url", 2, timeout=30)
    assert "Re-indexing" in all_text(started)
    assert "Re-index done" in all_text(done) and "5 documents, 5 changed" in all_text(done)


# -- safety -----------------------------------------------------------------------------------


def test_a_bad_signature_or_a_stale_timestamp_gets_401_and_nothing_runs(bot, fake):
    app, _ = bot
    body = command_body("/review-post", LEAKY_DRAFT, fake.response_url("evil"))
    assert send(app, body, secret="wrong-secret").status == 401
    assert send(app, body, timestamp=int(time.time()) - 600).status == 401
    assert app.dispatch(BoltRequest(body=body, headers={})).status == 401
    send(app, event_body(mention(PHOTO_QUESTION, "500.1")))  # a good one, behind them
    fake.wait_for("chat.postMessage")
    assert not fake.of("response_url")


def test_slack_rate_limits_are_waited_out_and_the_answer_still_arrives(bot, fake):
    app, _ = bot
    fake.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"},
              headers={"Retry-After": "1"})  # fmt: skip
    send(app, event_body(mention(PHOTO_QUESTION, "600.1")))
    first, second = fake.wait_for("chat.postMessage", 2)
    assert second.at - first.at >= 0.9  # waited as told
    assert second.args["thread_ts"] == "600.1"


def test_a_crash_gives_a_friendly_message_and_never_logs_the_draft(
    fake, tmp_path, sample_index, embedder, caplog
):  # type: ignore[no-untyped-def]
    settings = slack_settings(sample_index, fake, tmp_path)
    app = create_app(BrokenReviewEngine(settings, open_store(settings), embedder), settings)
    caplog.set_level(logging.DEBUG)
    send(app, command_body("/review-post", "my secret draft about Kranich", fake.response_url()))
    reply = fake.wait_for("response_url")[0]
    assert "Sorry, something went wrong on my side" in all_text(reply)
    assert "#comms" in all_text(reply)
    assert "RuntimeError" in caplog.text and "Kranich" not in caplog.text


def test_a_user_over_the_rate_limit_is_told_when_to_come_back(bot, fake, engine, tmp_path):
    settings = slack_settings(engine.settings, fake, tmp_path)
    service = Guidebot(engine, settings, limiter=RateLimiter(1, 600))
    app = create_app(service, settings, workers=1)
    for name in ("one", "two"):
        send(app, command_body("/review-post", "Nice day at the fair", fake.response_url(name)))
    limited = fake.wait_for("response_url", where=lambda c: c.path == "/response/two")[0]
    assert "Please try again in 10 minutes" in all_text(limited)
