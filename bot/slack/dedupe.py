"""Answer each Slack event once, even when Slack delivers it twice.

Slack retries an event (with `X-Slack-Retry-Num`) when it thinks the first delivery failed,
and Socket Mode can redeliver after a reconnect; both carry the same `event_id`. The first
delivery claims the id, later ones are acknowledged and dropped. The memory is per process:
replicas behind a load balancer each keep their own, which covers Slack's retries to the same
URL only as well as the balancer is sticky (documented in slack/README.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

log = logging.getLogger("bot.slack")

TTL_S = 3600.0  # Slack retries within minutes; an hour is ample
MAX_IDS = 50_000


class EventDeduper:
    """A thread-safe set of recently seen ids with a time-to-live and a size cap."""

    def __init__(
        self,
        ttl_s: float = TTL_S,
        max_ids: int = MAX_IDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_ids = max_ids
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True exactly once per key within the TTL: claims the key atomically."""
        now = self._clock()
        with self._lock:
            while self._seen and (
                next(iter(self._seen.values())) <= now - self.ttl_s
                or len(self._seen) >= self.max_ids
            ):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


def event_key(body: dict[str, Any]) -> str | None:
    """The id that is the same on every delivery of one event (None for non-events)."""
    if body.get("type") != "event_callback":
        return None
    return body.get("event_id") or None


def dedupe_middleware(deduper: EventDeduper) -> Callable[..., Any]:
    """Bolt global middleware: a repeated event is acknowledged with 200 and goes no further."""

    def middleware(req: BoltRequest, body: dict[str, Any], next: Callable[[], Any]) -> Any:
        key = event_key(body)
        if key is None or deduper.first_time(key):
            return next()
        retry = (req.headers.get("x-slack-retry-num") or ["-"])[0]
        log.info("duplicate event %s dropped (retry %s)", key, retry)
        return BoltResponse(status=200, body="")

    return middleware
