"""Replies that must not vanish: response_url answering 429, 5xx or refusing outright.

The real bolt app over the fake Slack; the fake's response_url fails the way Slack does, and
the review must still reach the user (retried, or privately through the Web API), with the
failure in the log.
"""

from __future__ import annotations

import logging

from tests.slack_requests import LEAKY_DRAFT, all_text, command_body, send


def _review(app, fake, name: str) -> None:  # type: ignore[no-untyped-def]
    response = send(app, command_body("/review-post", LEAKY_DRAFT, fake.response_url(name)))
    assert response.status == 200


def test_a_reply_slack_answers_with_500_is_retried_until_it_arrives(bot, fake):
    app, _ = bot
    fake.fail("response_url", 500, {"ok": False}, times=2)
    _review(app, fake, "five-hundred")
    calls = fake.wait_for("response_url", 3, timeout=15)
    assert [c.path for c in calls] == ["/response/five-hundred"] * 3
    assert "Do not post this" in all_text(calls[-1])
    assert calls[1].at - calls[0].at >= 0.25  # backed off, not hammered
    assert not fake.of("chat.postEphemeral")


def test_a_rate_limited_reply_waits_as_long_as_retry_after_says(bot, fake):
    app, _ = bot
    fake.fail("response_url", 429, {"ok": False}, headers={"Retry-After": "1"})
    _review(app, fake, "limited")
    first, second = fake.wait_for("response_url", 2, timeout=15)
    assert second.at - first.at >= 1.0 and "Do not post this" in all_text(second)


def test_a_reply_the_response_url_refuses_arrives_privately_and_is_logged(bot, fake, caplog):
    app, _ = bot
    fake.fail("response_url", 404, {"ok": False, "error": "expired_url"})
    with caplog.at_level(logging.WARNING, logger="bot.slack"):
        _review(app, fake, "expired")
        ephemeral = fake.wait_for("chat.postEphemeral", timeout=15)[0]
    assert ephemeral.args["user"] == "U1" and ephemeral.args["channel"] == "C1"
    assert "Do not post this" in all_text(ephemeral)
    assert any("response_url failed (HTTP 404" in r.getMessage() for r in caplog.records)
    assert LEAKY_DRAFT not in caplog.text  # never the draft
