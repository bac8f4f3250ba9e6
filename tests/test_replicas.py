"""Two `guidebot serve` replicas behind one load balancer share one real PostgreSQL.

Slack retries an event to whichever replica the balancer picks, an attacker can replay a
signed request to either, and a user's requests land on both: the event must be answered
once, the replay done once, and the rate limit counted once across both replicas.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.pg_fixtures import drop_database, new_database
from tests.slack_fake import FakeSlack, running_fake
from tests.slack_requests import SECRET, command_body, event_body, mention, signed_headers
from tests.test_slack_http import free_port, post

pytestmark = pytest.mark.slow  # without PostgreSQL binaries, postgres_server says what to install


def _start(tmp: Path, name: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (tmp / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}"


def _ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"{url} did not become ready"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)


@pytest.fixture(scope="module")
def replicas(
    sample_index, postgres_server, tmp_path_factory
) -> Iterator[tuple[str, str, FakeSlack]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("replicas")
    url = new_database(postgres_server)
    with running_fake() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GUIDEBOT_"))}
        env.update({
            "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url, "HF_HUB_OFFLINE": "1",
            "GUIDEBOT_DATABASE_URL": url, "GUIDEBOT_RATE_LIMIT": "3/1h",
            "GUIDEBOT_STORE_DIR": str(sample_index.store_dir),
            "GUIDEBOT_KNOWLEDGE_DIR": str(sample_index.knowledge_dir),
            "PYTHONPATH": str(REPO),
        })  # fmt: skip
        started = [_start(tmp, name, env) for name in ("a", "b")]  # both load at once
        try:
            for (process, address), name in zip(started, "ab", strict=True):
                _ready(process, address, tmp / f"{name}.log")
            yield started[0][1], started[1][1], fake
        finally:
            for process, _ in started:
                process.terminate()
            for process, _ in started:
                process.wait(15)
    drop_database(url)


def _answers(fake: FakeSlack, thread: str) -> list[str]:
    return [c.args.get("text", "") for c in fake.of("chat.postMessage")
            if c.args.get("thread_ts") == thread]  # fmt: skip


def test_an_event_retried_to_the_other_replica_is_answered_once(replicas):
    a, b, fake = replicas
    body = event_body(mention("May I post photos of the office?", "501.1", user="U-ret"), "EvR1")
    assert post(f"{a}/slack/events", body, signed_headers(SECRET, body))[0] == 200
    retry = signed_headers(SECRET, body, int(time.time()) + 1, **{"x-slack-retry-num": "1"})
    assert post(f"{b}/slack/events", body, retry)[0] == 200  # a new signature: not a replay
    fake.wait_for("chat.postMessage", where=lambda c: c.args.get("thread_ts") == "501.1")
    later = event_body(mention("Do I need #ad?", "502.1", user="U-ret2"), "EvR2")
    post(f"{b}/slack/events", later, signed_headers(SECRET, later))
    fake.wait_for("chat.postMessage", where=lambda c: c.args.get("thread_ts") == "502.1")
    assert len(_answers(fake, "501.1")) == 1


def test_a_request_replayed_to_the_other_replica_is_done_once(replicas):
    a, b, fake = replicas
    body = command_body("/review-post", "Great fair!", fake.response_url("rep"), user="U-rep")
    headers = signed_headers(SECRET, body)
    assert "Checking" in post(f"{a}/slack/events", body, headers)[1]
    assert post(f"{b}/slack/events", body, headers)[:2] == (200, "")


def test_the_rate_limit_is_shared_by_both_replicas(replicas):
    a, b, fake = replicas
    texts = []
    for n, replica in enumerate([a, b, a, b]):
        ts = f"60{n}.1"
        body = event_body(mention("May I post photos of the office?", ts, user="U-rl"), f"EvL{n}")
        post(f"{replica}/slack/events", body, signed_headers(SECRET, body))
        fake.wait_for("chat.postMessage", where=lambda c, ts=ts: c.args.get("thread_ts") == ts)
        texts.append(_answers(fake, ts)[0])
    limited = ["which is the limit" in text for text in texts]
    assert limited == [False, False, False, True]
