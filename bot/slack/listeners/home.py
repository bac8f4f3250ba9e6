"""The App Home tab: published fresh each time a user opens it.

Everyone sees how to use guidebot and which documents are indexed (with dates); admins also
see the knowledge gaps, feedback counts and unclear-guideline reports from the audit trail.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.context import Deps
from bot.slack.mrkdwn import section
from bot.slack.surfaces import AdminData, home_view


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
            client.views_publish(user_id=user, view=home_view(deps.status(), language, admin))

        deps.guarded("home", language, show_error, publish)
