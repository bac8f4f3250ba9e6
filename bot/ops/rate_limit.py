"""The per-user sliding-window rate limit that stops a runaway script from draining a budget.

One process counts in memory. With GUIDEBOT_DATABASE_URL on PostgreSQL every replica counts in
the shared database (bot.ops.shared_state), so two replicas behind a load balancer give a user
the limit once, not twice; if that database does not answer in time, this replica's own memory
decides for that request.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from bot.config import Settings
from bot.errors import RateLimitedError
from bot.ops.shared_state import SharedState, SharedStateUnavailable, shared_state


class RateLimitExceededError(RateLimitedError):
    """RateLimitedError that also says, in seconds, when the next request will be accepted."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def humanize_seconds(seconds: float) -> str:
    """ "45 seconds", "3 minutes", "2 hours": rounded up, so the user never retries too early."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"


class RateLimiter:
    """At most `requests` per `window_s` seconds per key, counted over a sliding window.

    Only accepted requests count, so a user who keeps retrying while blocked is not punished
    further. Thread-safe: the Slack app handles events on a thread pool.
    """

    _SWEEP_EVERY = 1000  # calls between sweeps of keys whose window has run out

    def __init__(
        self, requests: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if requests < 1 or window_s <= 0:
            raise ValueError("a rate limit needs at least one request per positive window")
        self.requests = requests
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """Shared between replicas on PostgreSQL, else in memory."""
        state = shared_state(settings)
        if state is not None:
            return SharedRateLimiter(state, settings.rate_limit_requests,
                                     settings.rate_limit_window_s)  # fmt: skip
        return cls(settings.rate_limit_requests, settings.rate_limit_window_s)

    def check(self, key: str) -> None:
        """Count one request for `key`, or raise RateLimitExceededError saying when to retry."""
        with self._lock:
            now = self._clock()
            self._calls += 1
            if self._calls % self._SWEEP_EVERY == 0:
                self._sweep(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.requests:
                retry_after = hits[0] + self.window_s - now
                raise RateLimitExceededError(self._message(retry_after), retry_after)
            hits.append(now)

    def _message(self, retry_after: float) -> str:
        return (
            f"You've sent {self.requests} requests in the last "
            f"{humanize_seconds(self.window_s)}, which is the limit. "
            f"Please try again in {humanize_seconds(retry_after)}."
        )

    def _sweep(self, now: float) -> None:
        stale = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window_s]
        for key in stale:
            del self._hits[key]


class SharedRateLimiter(RateLimiter):
    """The same limit, counted in the database every replica shares."""

    def __init__(self, state: SharedState, requests: int, window_s: float) -> None:
        super().__init__(requests, window_s)
        self.state = state

    def check(self, key: str) -> None:
        try:
            retry_after = self.state.take(key, self.requests, self.window_s)
        except SharedStateUnavailable:  # logged by SharedState: count here for now
            super().check(key)
            return
        if retry_after is not None:
            raise RateLimitExceededError(self._message(retry_after), retry_after)
