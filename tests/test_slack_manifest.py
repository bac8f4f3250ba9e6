"""The Slack app manifest declares everything the app listens for and every scope it uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.listeners.shortcuts import CALLBACK_ID

MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yaml"


def test_the_manifest_matches_what_the_app_handles():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert {c["command"] for c in features["slash_commands"]} == {"/review-post", "/guidelines"}
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("message", CALLBACK_ID)
    ]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert features["app_home"]["home_tab_enabled"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:read",
        "im:write",
        "reactions:write",
        "channels:history",
        "groups:history",
        "users:read",
    }
    urls = {c["url"] for c in features["slash_commands"]}
    urls |= {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert {url.rsplit("/", 2)[-2:] == ["slack", "events"] for url in urls} == {True}
