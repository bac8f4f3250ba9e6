"""guidebot over real HTTP: uvicorn on 127.0.0.1, signed requests, a fake Slack behind it.

One part runs `guidebot serve --http` as users start it (a subprocess with the environment
variables from slack/README.md); the other serves the same ASGI app in-process with an engine
whose review takes two seconds, to show that Slack gets its 200 long before the review is done.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.engine import Engine
from bot.errors import ConfigError
from bot.index.store import open_store
from bot.models import Review
from bot.service import Guidebot
from bot.slack.app import create_app
from bot.slack.serve import SlackAsgi, serve
from tests.slack_fake import BOT_USER, FakeSlack, running_fake
from tests.slack_requests import (
    SECRET,
    command_body,
    event_body,
    rendered,
    signed_headers,
    slack_settings,
)

REPO = Path(__file__).resolve().parent.parent
REVIEW_SECONDS = 2.0


class SlowReviewEngine(Engine):
    """The real engine, but every review first takes two seconds (think: a slow LLM)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.reviewing = threading.Event()

    def review(self, text: str, account: str = "personal", platform: str | None = None) -> Review:
        self.reviewing.set()
        time.sleep(REVIEW_SECONDS)
        return super().review(text, account, platform)


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str, float]:
    """(status, body, seconds) of one POST; HTTP errors are results, not exceptions."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving_in_thread(asgi: Any) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(asgi, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_slow_review_is_acknowledged_at_once_even_while_another_one_runs(
    sample_index, embedder, tmp_path
):  # type: ignore[no-untyped-def]
    with running_fake() as fake:
        settings = slack_settings(sample_index, fake, tmp_path)
        engine = SlowReviewEngine(settings, open_store(settings), embedder)
        service = Guidebot(engine, settings)
        app = create_app(service, settings, workers=1)  # one worker: the second review waits
        with serving_in_thread(SlackAsgi(app, service.health)) as url:
            acks = []
            for name in ("first", "second"):
                body = command_body(
                    "/review-post",
                    "Polarstern ships soon",
                    fake.response_url(name),
                    user=f"U-{name}",
                )
                acks.append(post(f"{url}/slack/events", body, signed_headers(SECRET, body)))
                if name == "first":
                    assert engine.reviewing.wait(5)  # the only worker is now busy for 2 s
            replies = fake.wait_for("response_url", 2, timeout=15)
        assert [status for status, _, _ in acks] == [200, 200]
        assert all(seconds < 1.0 for _, _, seconds in acks), acks
        assert all("Checking your draft" in text for _, text, _ in acks)
        assert {r.path for r in replies} == {"/response/first", "/response/second"}
        assert all("Unreleased product" in " ".join(rendered(r.args["blocks"])) for r in replies)


def test_http_mode_refuses_to_start_without_a_signing_secret(sample_index, embedder, tmp_path):  # type: ignore[no-untyped-def]
    with running_fake() as fake:
        settings = slack_settings(sample_index, fake, tmp_path, slack_signing_secret=None)
        service = Guidebot(Engine(settings, open_store(settings), embedder), settings)
        with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
            serve(service, settings, http=True, host="127.0.0.1", port=free_port())
        assert not fake.calls  # failed before talking to Slack


def test_a_token_slack_rejects_stops_the_server_with_a_clear_message(
    sample_index, embedder, tmp_path
):  # type: ignore[no-untyped-def]
    with running_fake() as fake:
        fake.fail("auth.test", 200, {"ok": False, "error": "invalid_auth"})
        settings = slack_settings(sample_index, fake, tmp_path)
        service = Guidebot(Engine(settings, open_store(settings), embedder), settings)
        indexed: list[bool] = []  # what `guidebot serve` does next when there is no index
        with pytest.raises(ConfigError, match=r"SLACK_BOT_TOKEN.*invalid_auth"):
            serve(service, settings, http=True, host="127.0.0.1", port=free_port(),
                  prepare=lambda: indexed.append(True))  # fmt: skip
        assert indexed == []  # a bad token is said before any index is built


# -- `guidebot serve --http` as a real process -------------------------------------------------


@pytest.fixture(scope="module")
def served(sample_index, tmp_path_factory) -> Iterator[tuple[str, FakeSlack]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    with running_fake() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GUIDEBOT_"))}
        env.update(
            {
                "SLACK_BOT_TOKEN": "xoxb-x",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "HF_HUB_OFFLINE": "1",
                "GUIDEBOT_DATABASE_URL": f"sqlite:///{tmp / 'audit.db'}",
                "PYTHONPATH": str(REPO),  # this checkout's code, whatever is installed
            }
        )
        command = [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--http",
            "--port",
            str(port),
            "--store",
            str(sample_index.store_dir),
            "--knowledge",
            str(sample_index.knowledge_dir),
        ]
        log = (tmp / "serve.log").open("w+")
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp / "serve.log").read_text()
            assert time.monotonic() < deadline, "guidebot serve did not become ready"
            try:
                if get(f"{url}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)  # not listening yet
        try:
            yield url, fake
        finally:
            process.terminate()
            process.wait(15)
            log.close()


def test_health_reports_the_index_generation(served):
    url, _ = served
    status, body = get(f"{url}/healthz")
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok" and data["generation"] and data["chunks"] > 0
    assert get(f"{url}/nope")[0] == 404 and get(f"{url}/slack/events")[0] == 405


def test_served_review_post_is_acked_fast_and_the_review_goes_to_the_response_url(served):
    url, fake = served
    body = command_body(
        "/review-post",
        "Meet me at Polarstern HQ, IBAN DE89 3704 0044 0532 0130 00",
        fake.response_url("served"),
        user="U-served",
    )
    status, text, seconds = post(f"{url}/slack/events", body, signed_headers(SECRET, body))
    assert status == 200 and seconds < 1.0 and "Checking your draft" in text
    reply = fake.wait_for("response_url", where=lambda c: c.path == "/response/served")[0]
    shown = " ".join(rendered(reply.args["blocks"]))
    assert reply.args["response_type"] == "ephemeral" and ":red_circle:" in shown


def test_served_mention_is_answered_in_its_thread(served):
    url, fake = served
    event = {
        "type": "app_mention",
        "user": "U-mention",
        "channel": "C5",
        "ts": "77.1",
        "text": f"<@{BOT_USER}> May I post photos of the office?",
    }
    body = event_body(event, "EvServed")
    assert post(f"{url}/slack/events", body, signed_headers(SECRET, body))[0] == 200
    posted = fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "C5")[0]
    assert posted.args["thread_ts"] == "77.1" and "Sources" in " ".join(
        rendered(posted.args["blocks"])
    )


def test_served_requests_without_a_valid_signature_get_401_and_do_nothing(served):
    url, fake = served
    body = command_body("/review-post", "Polarstern", fake.response_url("forged"))
    forged = signed_headers("not-the-secret", body)
    stale = signed_headers(SECRET, body, timestamp=int(time.time()) - 3600)
    unsigned = {"content-type": "application/x-www-form-urlencoded"}
    assert [post(f"{url}/slack/events", body, h)[0] for h in (forged, stale, unsigned)] == [401] * 3
    good = command_body("/review-post", "Nice fair today!", fake.response_url("after-forged"))
    post(f"{url}/slack/events", good, signed_headers(SECRET, good))
    fake.wait_for("response_url", where=lambda c: c.path == "/response/after-forged")
    assert not [c for c in fake.of("response_url") if c.path == "/response/forged"]


def test_malformed_or_forged_requests_get_400_or_401_never_500(served):
    url, _ = served
    events = f"{url}/slack/events"
    broken_json = '{"type": "event_callback", "event": '
    unsigned = {"content-type": "application/json"}
    bad_timestamp = {**signed_headers(SECRET, broken_json), "x-slack-request-timestamp": "abc"}
    signed_broken = signed_headers(SECRET, broken_json)
    broken_form = "payload=%7Bnot-json"
    statuses = [
        post(events, broken_json, unsigned)[0],
        post(events, broken_json, bad_timestamp)[0],
        post(events, broken_json, signed_broken)[0],
        post(events, broken_form, signed_headers(SECRET, broken_form))[0],
    ]
    assert statuses == [401, 401, 400, 400]


def test_a_replayed_signed_request_is_done_once(served):
    url, fake = served
    body = command_body("/review-post", "Great fair today!", fake.response_url("replayed"))
    headers = signed_headers(SECRET, body)
    acks = [post(f"{url}/slack/events", body, headers)[:2] for _ in range(3)]
    assert acks[0][0] == 200 and "Checking your draft" in acks[0][1]
    assert acks[1:] == [(200, ""), (200, "")]
    after = command_body("/review-post", "Nice weather!", fake.response_url("after-replay"))
    post(f"{url}/slack/events", after, signed_headers(SECRET, after))
    fake.wait_for("response_url", where=lambda c: c.path == "/response/after-replay")
    fake.wait_for("response_url", where=lambda c: c.path == "/response/replayed")
    assert len([c for c in fake.of("response_url") if c.path == "/response/replayed"]) == 1


def test_an_unreachable_slack_is_not_called_a_bad_token(sample_index, embedder, tmp_path):  # type: ignore[no-untyped-def]
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there: like no network
    with running_fake() as fake:
        settings = replace(slack_settings(sample_index, fake, tmp_path), slack_api_url=closed)
    service = Guidebot(Engine(settings, open_store(settings), embedder), settings)
    with pytest.raises(ConfigError, match=r"Cannot reach Slack .*ConnectionRefusedError") as error:
        serve(service, settings, http=True, host="127.0.0.1", port=free_port())
    assert "did not accept" not in str(error.value)
