"""Slack listeners, one module per kind of request; each has `register(app, deps)`."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.context import Deps
from bot.slack.listeners import (
    actions,
    approvals,
    assistant,
    commands,
    events,
    home,
    shortcuts,
    views,
)


def register_all(app: App, deps: Deps) -> None:
    # The assistant first: its middleware takes DM thread messages before the DM listener.
    for module in (assistant, events, commands, shortcuts, views, actions, approvals, home):
        module.register(app, deps)
