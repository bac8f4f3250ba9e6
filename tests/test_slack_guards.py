"""What keeps guidebot safe and polite in Slack: admin-only re-index, signature checks, Slack's
rate limits, crashes turned into friendly messages without logging drafts, per-user limits.
"""

from __future__ import annotations

import logging
import time

from slack_bolt import BoltRequest

from bot.engine import Engine
from bot.index.store import open_store
from bot.models import Review
from bot.ops.rate_limit import RateLimiter
from bot.service import Guidebot
from bot.slack.app import create_app
from tests.slack_requests import (
    ADMIN,
    LEAKY_DRAFT,
    PHOTO_QUESTION,
    all_text,
    command_body,
    event_body,
    mention,
    send,
    slack_settings,
)


class BrokenReviewEngine(Engine):
    """The real engine with a review that crashes, quoting the draft in its error."""

    def review(self, text: str, account: str = "personal", platform: str | None = None) -> Review:
        raise RuntimeError(f"exploded on {text}")


# -- /guidelines --------------------------------------------------------------------------------


def test_guidelines_shows_usage_and_status_and_refuses_reindex_to_non_admins(bot, fake):
    app, _ = bot
    send(app, command_body("/guidelines", "", fake.response_url("help")))
    help_text = all_text(fake.wait_for("response_url")[0])
    assert "/review-post" in help_text and "5 documents" in help_text
    send(app, command_body("/review-post", "help", fake.response_url("help2")))
    assert fake.wait_for("response_url", where=lambda c: c.path == "/response/help2")
    send(app, command_body("/guidelines", "reindex", fake.response_url("no")))
    refusal = fake.wait_for("response_url", where=lambda c: c.path == "/response/no")[0]
    assert "only guidebot admins" in all_text(refusal)


def test_the_admin_user_id_from_another_workspace_is_not_an_admin(bot, fake):
    app, _ = bot
    for name, team in (("home-team", "T0001"), ("other-team", "T0OTHER")):  # a shared channel
        body = command_body("/guidelines", "", fake.response_url(name), user=ADMIN)
        send(app, body.replace("team_id=T0001", f"team_id={team}"))
    shown = {
        name: all_text(fake.wait_for("response_url", where=lambda c, n=name: c.path == n)[0])
        for name in ("/response/home-team", "/response/other-team")
    }
    assert "/guidelines reindex" in shown["/response/home-team"]  # the admin's extra line
    assert "/guidelines reindex" not in shown["/response/other-team"]


def test_an_admin_reindexes_in_the_background_and_hears_when_it_is_done(
    fake, tmp_path, embedder, sample_index
):  # type: ignore[no-untyped-def]
    import shutil

    knowledge = tmp_path / "knowledge"
    shutil.copytree(sample_index.knowledge_dir, knowledge)
    settings = slack_settings(
        sample_index, fake, tmp_path, knowledge_dir=knowledge, store_dir=tmp_path / "store"
    )
    app = create_app(Engine(settings, open_store(settings), embedder), settings)
    response = send(
        app, command_body("/guidelines", "reindex", fake.response_url("ri"), user=ADMIN)
    )
    assert response.status == 200
    started, done = fake.wait_for("response_url", 2, timeout=30)
    assert "Re-indexing" in all_text(started)
    assert "Re-index done" in all_text(done) and "5 documents, 5 changed" in all_text(done)


# -- safety -----------------------------------------------------------------------------------


def test_a_bad_signature_or_a_stale_timestamp_gets_401_and_nothing_runs(bot, fake, caplog):
    app, _ = bot
    caplog.set_level(logging.DEBUG)
    body = command_body("/review-post", LEAKY_DRAFT, fake.response_url("evil"))
    assert send(app, body, secret="wrong-secret").status == 401
    assert send(app, body, timestamp=int(time.time()) - 600).status == 401
    assert app.dispatch(BoltRequest(body=body, headers={})).status == 401
    send(app, event_body(mention(PHOTO_QUESTION, "500.1")))  # a good one, behind them
    fake.wait_for("chat.postMessage")
    assert not fake.of("response_url")
    assert "Polarstern" not in caplog.text  # bolt would log the rejected body at INFO


def test_slack_rate_limits_are_waited_out_and_the_answer_still_arrives(bot, fake):
    app, _ = bot
    fake.fail(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, headers={"Retry-After": "1"}
    )
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
