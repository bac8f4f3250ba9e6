"""Socket Mode: guidebot connects out to Slack over a WebSocket and gets the same requests.

A local WebSocket server plays Slack's Socket Mode endpoint (handed out by the fake Web API's
apps.connections.open): it delivers envelopes and collects the app's acknowledgements.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from bot.engine import Engine
from bot.index.store import open_store
from bot.service import Guidebot
from bot.slack.app import create_app
from bot.slack.serve import run_socket
from tests.slack_fake import BOT_USER, running_fake
from tests.slack_requests import event_body, rendered, slack_settings


class FakeSocketMode:
    """Slack's side of a Socket Mode connection: envelopes out, acknowledgements in."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self._outbox: queue.Queue[str] = queue.Queue()
        self._acks: dict[str, dict[str, Any]] = {}
        self._acked = threading.Condition()
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._count = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _session(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        while True:
            with contextlib.suppress(queue.Empty):
                ws.send(self._outbox.get(timeout=0.02))
            try:
                message = json.loads(ws.recv(timeout=0.02))
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
            with self._acked:
                self._acks[message["envelope_id"]] = message
                self._acked.notify_all()

    def deliver(self, kind: str, payload: dict[str, Any], wants_payload: bool = False) -> str:
        self._count += 1
        envelope_id = f"env-{self._count}"
        self._outbox.put(json.dumps({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": wants_payload, "retry_attempt": 0, "retry_reason": "",
        }))  # fmt: skip
        return envelope_id

    def ack_for(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        with self._acked:
            assert self._acked.wait_for(lambda: envelope_id in self._acks, timeout)
            return self._acks[envelope_id]

    def close(self) -> None:
        self._server.shutdown()


def test_socket_mode_answers_a_mention_and_acks_a_command_at_once(sample_index, embedder, tmp_path):  # type: ignore[no-untyped-def]
    socket_mode = FakeSocketMode()
    with running_fake() as fake:
        fake.socket_url = socket_mode.url
        settings = slack_settings(sample_index, fake, tmp_path, slack_app_token="xapp-1-test",
                                  slack_signing_secret=None)  # fmt: skip
        app = create_app(Guidebot(Engine(settings, open_store(settings), embedder), settings),
                         settings)  # fmt: skip
        stop = threading.Event()
        thread = threading.Thread(target=run_socket, args=(app, settings, "g1", stop), daemon=True)
        thread.start()
        try:
            assert socket_mode.connected.wait(10)
            event = {"type": "app_mention", "user": "U1", "channel": "C3", "ts": "9.1",
                     "text": f"<@{BOT_USER}> May I post photos of the office?"}  # fmt: skip
            mention = socket_mode.deliver("events_api", json.loads(event_body(event)))
            assert socket_mode.ack_for(mention)["envelope_id"] == mention
            posted = fake.wait_for("chat.postMessage")[0]
            assert posted.args["thread_ts"] == "9.1"
            assert "Sources" in " ".join(rendered(posted.args["blocks"]))
            command = {"command": "/review-post", "text": "Polarstern launches soon",
                       "user_id": "U1", "channel_id": "C3", "team_id": "T0001",
                       "trigger_id": "t", "response_url": fake.response_url("sock")}  # fmt: skip
            envelope = socket_mode.deliver("slash_commands", command, wants_payload=True)
            assert "Checking your draft" in socket_mode.ack_for(envelope)["payload"]["text"]
            reply = fake.wait_for("response_url")[0]
            assert "Unreleased product" in " ".join(rendered(reply.args["blocks"]))
        finally:
            stop.set()
            thread.join(10)
            socket_mode.close()
