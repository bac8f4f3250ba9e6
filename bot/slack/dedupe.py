"""Answer each Slack event once, even when Slack delivers it twice.

Slack retries an event (with `X-Slack-Retry-Num`) when it thinks the first delivery failed,
and Socket Mode can redeliver after a reconnect; both carry the same `event_id`. The first
delivery claims the id, later ones are acknowledged and dropped. The memory is per process,
unless GUIDEBOT_DATABASE_URL is PostgreSQL: then every replica claims ids in the database
(bot.ops.seen), so a retry that lands on another replica is dropped too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.ops.seen import MAX_IDS, MemorySeenKeys, SeenKeys

log = logging.getLogger("bot.slack")

TTL_S = 3600.0  # Slack retries within minutes; an hour is ample


class EventDeduper(MemorySeenKeys):
    """The one-process memory of event ids (the default when no PostgreSQL is configured)."""

    def __init__(
        self,
        ttl_s: float = TTL_S,
        max_ids: int = MAX_IDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ttl_s, max_ids, clock)


def event_key(body: dict[str, Any]) -> str | None:
    """The id that is the same on every delivery of one event (None for non-events)."""
    if body.get("type") != "event_callback":
        return None
    return body.get("event_id") or None


def dedupe_middleware(deduper: SeenKeys) -> Callable[..., Any]:
    """Bolt global middleware: a repeated event is acknowledged with 200 and goes no further."""

    def middleware(req: BoltRequest, body: dict[str, Any], next: Callable[[], Any]) -> Any:
        key = event_key(body)
        if key is None or deduper.first_time(key):
            return next()
        retry = (req.headers.get("x-slack-retry-num") or ["-"])[0]
        log.info("duplicate event %s dropped (retry %s)", key, retry)
        return BoltResponse(status=200, body="")

    return middleware
