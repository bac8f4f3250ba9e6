"""Draft reviews in Slack: /review-post, the review form, the message shortcut, the buttons.

Signed requests go through the real bolt app; replies are read from the fake Slack (Web API
and response_url). Reviews come from the real engine over the sample guidelines.
"""

from __future__ import annotations

import json
import time

from tests.slack_requests import (
    ADMIN,
    LEAKY_DRAFT,
    all_text,
    click,
    command_body,
    event_body,
    interaction_body,
    rendered,
    send,
)

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
    assert (
        send(app, command_body("/review-post", "", fake.response_url(), channel="C42")).status
        == 200
    )
    opened = fake.wait_for("views.open")[0]
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "trig-1" and view["callback_id"] == "review_modal"
    view["state"] = {
        "values": {
            "draft": {"text": {"value": "Call me: +49 170 1234567"}},
            "account": {"value": {"selected_option": {"value": "company"}}},
            "platform": {"value": {"selected_option": {"value": "linkedin"}}},
        }
    }
    submit = {"type": "view_submission", "user": {"id": "U1", "team_id": "T0001"}, "view": view}
    response = send(app, interaction_body(submit))
    assert response.status == 200 and response.body == ""  # closes the modal
    reply = fake.wait_for("chat.postEphemeral")[0]
    assert (reply.args["channel"], reply.args["user"]) == ("C42", "U1")
    assert "+49 170 1234567" in all_text(reply) and "Do not post" in all_text(reply)
    again = json.loads(reply.args["blocks"][-1]["elements"][0]["value"])
    assert (again["account"], again["platform"]) == ("company", "linkedin")


def _submit_form(app, draft: str, metadata: dict):  # type: ignore[no-untyped-def]
    """Submit the review form as user U1 would, with only the draft filled in."""
    view = {
        "type": "modal",
        "callback_id": "review_modal",
        "private_metadata": json.dumps(metadata),
        "state": {"values": {"draft": {"text": {"value": draft}}}},
    }
    body = {"type": "view_submission", "user": {"id": "U1"}, "view": view}
    return send(app, interaction_body(body))


def test_an_empty_form_is_refused_in_the_form_itself(bot, fake):
    app, _ = bot
    response = _submit_form(app, "  ", {})
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {"draft": "Please paste your draft."},
    }


def test_without_access_to_the_channel_the_review_arrives_as_a_direct_message(bot, fake):
    app, _ = bot
    fake.fail("chat.postEphemeral", 200, {"ok": False, "error": "not_in_channel"})
    _submit_form(app, "Great day at the fair!", {"channel": "C9"})
    dm_reply = fake.wait_for("chat.postMessage")[0]
    assert dm_reply.args["channel"] == "U1" and "Good to post" in all_text(dm_reply)


def _shortcut(fake, message: dict) -> dict:
    return {
        "type": "message_action",
        "callback_id": "review_message",
        "trigger_id": "t3",
        "response_url": fake.response_url("short"),
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "message_ts": "5.1",
        "message": {"type": "message", "user": "U7", "ts": "5.1", **message},
    }


def test_the_message_shortcut_reviews_that_message_for_the_person_who_used_it(bot, fake):
    app, _ = bot
    payload = _shortcut(fake, {"text": "Our Q3 revenue grew 40%, numbers out next week!"})
    assert send(app, interaction_body(payload)).status == 200
    reply = fake.wait_for("response_url")[0]
    assert reply.path == "/response/short" and reply.args["response_type"] == "ephemeral"
    assert "revenue grew 40%" in all_text(reply)


def test_the_message_shortcut_reviews_what_people_see_not_slack_markup(bot, fake):
    app, _ = bot
    text = "Thanks <@U0ABC> for the demo, details in <https://wiki.example/x|our wiki> :tada:"
    assert send(app, interaction_body(_shortcut(fake, {"text": text}))).status == 200
    shown = all_text(fake.wait_for("response_url")[0])
    assert "our wiki" in shown and "<https://" not in shown and "U0ABC" not in shown


def test_a_message_that_is_only_a_file_says_there_is_nothing_to_review(bot, fake):
    app, _ = bot
    message = {"text": "", "files": [{"id": "F1", "name": "roadmap.png"}]}
    assert send(app, interaction_body(_shortcut(fake, message))).status == 200
    reply = fake.wait_for("response_url")[0]
    assert "only files" in reply.args["text"] and "empty" not in reply.args["text"]


def test_feedback_buttons_are_recorded_and_thanked_privately(bot, fake):
    app, service = bot
    send(app, command_body("/review-post", LEAKY_DRAFT, fake.response_url("cmd")))
    buttons = fake.wait_for("response_url")[0].args["blocks"][-1]["elements"]
    unclear = next(b for b in buttons if b["action_id"] == "feedback_unclear_guideline")
    response = send(
        app, click(unclear["action_id"], unclear["value"], response_url=fake.response_url("fb"))
    )
    assert response.status == 200
    thanks = fake.wait_for("response_url", where=lambda c: c.path == "/response/fb")[0]
    assert thanks.args["response_type"] == "ephemeral" and not thanks.args["replace_original"]
    assert "guideline owners will see" in all_text(thanks)
    assert service.feedback_counts()["review"]["unclear_guideline"] == 1
    home = {"type": "app_home_opened", "user": ADMIN, "channel": "D9", "tab": "home"}
    send(app, event_body(home, "EvHome"))
    admin_home = " ".join(rendered(fake.wait_for("views.publish")[0].args["view"]))
    reported = admin_home.split("*Reported as unclear*")[1]
    assert "employee-social-media-policy.md" in reported or "leitlinien.md" in reported
    assert "Reviews: :thumbsup: 0 · :thumbsdown: 0 · :grey_question: 1" in admin_home


def test_edit_and_review_again_opens_the_form_with_the_draft(bot, fake):
    app, _ = bot
    value = json.dumps(
        {"draft": "Fixed draft #NordlichtTeam", "account": "personal", "platform": "x"}
    )
    send(app, click("review_again", value, response_url=fake.response_url("ra")))
    view = fake.wait_for("views.open")[0].args["view"]
    draft = next(b for b in view["blocks"] if b.get("block_id") == "draft")
    assert draft["element"]["initial_value"] == "Fixed draft #NordlichtTeam"
    assert json.loads(view["private_metadata"])["channel"] == "C1"
