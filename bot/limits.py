"""Abuse limits: a per-user sliding-window rate limit and size checks on what users send.

The rate limiter lives in process memory: with several replicas behind a load balancer each
replica counts on its own, so a user can reach up to N x the limit. That is acceptable for its
purpose (stop a runaway script or a stuck Slack workflow from draining an LLM budget); a shared
limit would need Redis or the database and is not built.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.config import Settings
from bot.errors import InputError, RateLimitedError

T = TypeVar("T")


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


def _require_text(text: str, what: str) -> None:
    if not text or not text.strip():
        raise InputError(f"The {what} is empty: please write something to check.")
    if "\x00" in text:
        raise InputError(f"The {what} contains binary data (NUL characters): paste plain text.")


def check_question(text: str, settings: Settings) -> str:
    """The question without surrounding whitespace; InputError when empty or too long."""
    _require_text(text, "question")
    question = text.strip()
    if len(question) > settings.max_question_chars:
        raise InputError(
            f"Your question is {len(question):,} characters long; the limit is "
            f"{settings.max_question_chars:,}. Please shorten it to the essential point."
        )
    return question


def check_draft(text: str, settings: Settings) -> str:
    """The draft unchanged (finding offsets refer to it); InputError when empty or too long."""
    _require_text(text, "draft")
    if len(text) > settings.max_draft_chars:
        raise InputError(
            f"Your draft is {len(text):,} characters long; the limit is "
            f"{settings.max_draft_chars:,}. Please review it in parts."
        )
    return text


def check_turns(history: Sequence[T], settings: Settings) -> tuple[list[T], str | None]:
    """Keep the last `max_turns` earlier turns of a conversation, with a note when trimmed.

    A long Slack thread is not the user's fault, so it is trimmed rather than refused; the
    oldest turns matter least for a follow-up question.
    """
    turns = list(history)
    if len(turns) <= settings.max_turns:
        return turns, None
    kept = turns[len(turns) - settings.max_turns :] if settings.max_turns else []
    if not kept:
        return [], "Earlier messages in this conversation were not taken into account."
    return kept, (
        f"Only the last {len(kept)} of {len(turns)} earlier messages in this conversation "
        "were taken into account."
    )
