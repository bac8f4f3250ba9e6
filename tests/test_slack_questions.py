"""Questions in Slack, through the real bolt app: mentions, direct messages, threads, Home.

Each test dispatches a request signed the way Slack signs it and waits for what the app sends
to the local fake of Slack's Web API. The engine is the real one over the sample guidelines,
recording which history each question came with.
"""

from __future__ import annotations

from bot.models import Turn
from tests.slack_fake import BOT_USER
from tests.slack_requests import (
    ADMIN,
    PHOTO_QUESTION,
    all_text,
    dm,
    event_body,
    mention,
    send,
)

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
            "C1",
            "100.1",
            "mag",
        )
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
    assert "> “" in history[0].answer  # the earlier answer, with its quote, is in the history


def test_after_a_restart_the_thread_is_read_back_from_slack(bot, fake, engine):
    app, _ = bot
    fake.seed_thread(
        "C1",
        "90.1",
        [
            {"ts": "90.1", "user": "U1", "text": f"<@{BOT_USER}> {PHOTO_QUESTION}"},
            {"ts": "90.2", "user": BOT_USER, "bot_id": "BBOT", "text": "Photos are welcome."},
            {"ts": "90.3", "user": "U2", "text": "nice", "bot_id": "BOTHER"},
        ],
    )
    send(app, event_body(mention("And videos?", "90.4", thread_ts="90.1")))
    fake.wait_for("chat.postMessage")
    assert fake.of("conversations.replies")[0].args["ts"] == "90.1"
    assert engine.asked[0][1] == [Turn(PHOTO_QUESTION, "Photos are welcome.")]


def test_a_bare_mention_gets_a_hint_what_to_ask(bot, fake):
    app, _ = bot
    send(app, event_body(mention("", "150.1")))
    hint = fake.wait_for("chat.postMessage")[0]
    assert hint.args["thread_ts"] == "150.1" and "May I post photos" in all_text(hint)


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
    assert (
        send(app, body, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}).status
        == 200
    )
    send(app, event_body(dm("I am a bot", "400.2", bot_id="B999"), "EvBot"))
    send(app, event_body(dm("I am guidebot", "400.3", user=BOT_USER), "EvSelf"))
    send(app, event_body(dm("edited", "400.4", subtype="message_changed"), "EvEdit"))
    send(app, event_body(mention("Last one: may I share the logo?", "400.5"), "EvLast"))
    # One worker answers in order: once the last question is answered, a second answer to
    # any of the earlier events would already have been posted.
    posts = fake.wait_for("chat.postMessage", where=lambda c: c.args["thread_ts"] == "400.5")
    assert [c.args["thread_ts"] for c in fake.of("chat.postMessage")] == ["400.1", "400.5"]
    assert len(posts) == 1


def test_a_draft_pasted_into_a_mention_gets_its_review(bot, fake):
    app, _ = bot
    draft = "Polarstern is going to change everything, our pilot with Hafenwerk starts next week!"
    send(app, event_body(mention(f"can I post this: {draft}", "100.1")))
    posted = fake.wait_for("chat.postMessage")[0]
    text = all_text(posted)
    assert "/review-post" in text and "Polarstern" in text  # the review, with the excerpt
    assert "Do not post" in posted.args["text"]  # the notification says the verdict


def test_a_greeting_gets_help_and_is_no_knowledge_gap(bot, fake):
    app, service = bot
    send(app, event_body(mention("hi", "100.1")))
    posted = fake.wait_for("chat.postMessage")[0]
    assert "/review-post" in all_text(posted) and "> “" not in all_text(posted)
    assert service.gaps() == []


def _channel_reply(text: str, ts: str, thread_ts: str) -> dict:
    return {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1",
            "text": text, "ts": ts, "event_ts": ts, "thread_ts": thread_ts}  # fmt: skip


def test_a_follow_up_in_a_thread_guidebot_answered_needs_no_new_mention(bot, fake, engine):
    app, _ = bot
    send(app, event_body(_channel_reply("And on LinkedIn?", "700.2", "700.1"), "EvF0"))
    send(app, event_body(mention(PHOTO_QUESTION, "700.1"), "EvF1"))
    fake.wait_for("chat.postMessage")
    send(app, event_body(_channel_reply("And on LinkedIn?", "700.3", "700.1"), "EvF2"))
    second = fake.wait_for("chat.postMessage", 2)[1]
    assert second.args["thread_ts"] == "700.1"
    assert [question for question, _ in engine.asked] == [PHOTO_QUESTION, "And on LinkedIn?"]
