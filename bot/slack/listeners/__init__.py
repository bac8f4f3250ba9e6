"""Slack listeners, one module per kind of request; each has `register(app, deps)`."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.context import Deps
from bot.slack.listeners import actions, commands, events, home, shortcuts, views


def register_all(app: App, deps: Deps) -> None:
    for module in (events, commands, shortcuts, views, actions, home):
        module.register(app, deps)
