"""The App Home tab: published fresh each time a user opens it.

Everyone sees how to use guidebot, which documents are indexed and the last "what changed"
digests; admins also
see the knowledge gaps, feedback counts and unclear-guideline reports from the audit trail.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.announce import home_digest_blocks
from bot.slack.context import Deps
from bot.slack.mrkdwn import section
from bot.slack.surfaces import AdminData, home_view

log = logging.getLogger("bot.slack")


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], client: Any, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        language = deps.language_of(client, user)

        def show_error(text: str) -> None:
            client.views_publish(user_id=user, view={"type": "home", "blocks": [section(text)]})

        def publish() -> None:
            admin = None
            if deps.is_admin(user, context.team_id):
                admin = AdminData(
                    deps.service.gaps(20),
                    deps.service.feedback_counts(),
                    deps.service.unclear_reports(10),
                )
            digests = home_digest_blocks(recent_digests(deps), language)
            describe = deps.service.documents.get
            view = home_view(deps.status(), language, admin, digests, describe)
            client.views_publish(user_id=user, view=view)

        deps.guarded("home", language, show_error, publish)


def recent_digests(deps: Deps) -> list[Any]:
    """The last digests; none (not a broken Home tab) when the database cannot be read."""
    try:
        return deps.service.digests.latest(3)
    except Exception as error:
        log.warning("could not read the digests: %s", type(error).__name__)
        return []
