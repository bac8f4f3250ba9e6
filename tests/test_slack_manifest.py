"""The Slack app manifest declares everything the app listens for and only the scopes it uses."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.slack.listeners.assistant import PROMPTS
from bot.slack.listeners.shortcuts import CALLBACK_ID, GLOBAL_CALLBACK_ID

MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yaml"
SLACK_CODE = Path(__file__).resolve().parent.parent / "bot" / "slack"
# Web API methods the code calls (as WebClient methods) and the scope each needs.
SCOPES_BY_CALL = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "reactions_add": "reactions:write",
    "conversations_replies": "channels:history",
    "users_info": "users:read",
}
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "assistant_thread_started": "assistant:write",
    "assistant_thread_context_changed": "assistant:write",
}


def test_the_manifest_matches_what_the_app_handles():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert {c["command"] for c in features["slash_commands"]} == {"/review-post", "/guidelines"}
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("message", CALLBACK_ID),
        ("global", GLOBAL_CALLBACK_ID),
    ]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", *EVENT_SCOPES}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert features["app_home"]["home_tab_enabled"]
    assert features["assistant_view"]["suggested_prompts"] == PROMPTS
    assert features["assistant_view"]["assistant_description"]
    urls = {c["url"] for c in features["slash_commands"]}
    urls |= {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert {url.rsplit("/", 2)[-2:] == ["slack", "events"] for url in urls} == {True}


def test_every_scope_is_used_by_the_code_and_says_which_call_needs_it():
    text = MANIFEST.read_text(encoding="utf-8")
    scopes = yaml.safe_load(text)["oauth_config"]["scopes"]["bot"]
    code = " ".join(p.read_text(encoding="utf-8") for p in SLACK_CODE.rglob("*.py"))
    called = {scope for call, scope in SCOPES_BY_CALL.items() if f".{call}(" in code}
    needed = called | set(EVENT_SCOPES.values()) | {"commands", "groups:history", "im:write"}
    assert set(scopes) == needed
    for scope in scopes:  # each scope line carries a comment naming its use
        assert re.search(rf"^\s+- {re.escape(scope)}\s+# \S", text, re.MULTILINE), scope
