"""The Slack shell: the only part of guidebot that knows Slack exists.

`create_app` builds the bolt App over the `Guidebot` service; `serve` runs it over Socket Mode
or HTTP. Rendering (`blocks`, `views`) is pure; listeners only translate between Slack
payloads and service calls.
"""

from bot.slack.app import create_app

__all__ = ["create_app"]
