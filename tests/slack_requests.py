"""Requests as Slack sends them (signed), the fixtures that build guidebot's app over the fake,
and small helpers to read what the app sent back.

Every Slack test builds its app the same way (`make_bot`): the real engine over the sample
guidelines, a service with its own audit database, and a WebClient pointed at the fake.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.engine import Engine
from bot.models import Answer, Turn
from bot.service import Guidebot
from bot.slack.app import create_app
from tests.slack_fake import BOT_USER, TEAM, Call, FakeSlack

SECRET = "test-signing-secret"
ADMIN = "UADMIN"
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


def make_bot(engine: Engine, fake: FakeSlack, tmp: Any, **settings: Any) -> tuple[App, Guidebot]:
    """guidebot's app over `engine`, talking to `fake`, with one worker (answers in order)."""
    config = slack_settings(engine.settings, fake, tmp, **settings)
    service = Guidebot(engine, config)
    return create_app(service, config, workers=1), service


# -- signed requests as Slack sends them ------------------------------------------------------


def signed_headers(
    secret: str, body: str, timestamp: int | None = None, **extra: str
) -> dict[str, str]:
    """Headers of a request Slack signed with `secret` (a stale timestamp makes it invalid)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    content_type = (
        "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    )
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
        **extra,
    }


def command_body(
    command: str,
    text: str,
    response_url: str,
    *,
    user: str = "U1",
    channel: str = "C1",
    trigger_id: str = "trig-1",
) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "someone",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def event_body(event: dict[str, Any], event_id: str = "Ev1") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    base = {"team": {"id": TEAM, "domain": "test"}, "api_app_id": "A1", "token": "legacy"}
    return urllib.parse.urlencode({"payload": json.dumps({**base, **payload})})


def rendered(blocks: Any) -> list[str]:
    """Every string Slack renders from blocks or a view (texts, not button values)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return found


def slack_settings(base: Any, fake: FakeSlack, tmp: Any, **overrides: Any) -> Any:
    """`base` Settings pointed at the fake, with an audit database of the test's own."""
    values = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "database_url": f"sqlite:///{tmp}/audit.db",
        "admins": frozenset({f"{TEAM}:{ADMIN}"}),
        **overrides,
    }
    return replace(base, **values)


def send(app: App, body: str, secret: str = SECRET, **headers: Any) -> BoltResponse:
    timestamp = headers.pop("timestamp", None)
    return app.dispatch(
        BoltRequest(body=body, headers=signed_headers(secret, body, timestamp, **headers))
    )


def mention(text: str, ts: str, thread_ts: str | None = None, user: str = "U1") -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": "C1",
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


def all_text(call: Call) -> str:
    return json.dumps(call.args.get("blocks") or call.args.get("view"), ensure_ascii=False)


def click(action_id: str, value: str, **extra: Any) -> str:
    return interaction_body(
        {
            "type": "block_actions",
            "user": {"id": "U1", "team_id": "T0001"},
            "trigger_id": "trig-2",
            "container": {"type": "message", "channel_id": "C1"},
            "channel": {"id": "C1"},
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": "b", "value": value}
            ],
            **extra,
        }
    )
