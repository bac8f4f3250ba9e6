"""Keys seen recently (Slack event ids, request signatures), so repeats are dropped.

Memory by default (one process); with a PostgreSQL database the claim is shared by every
replica (bot.ops.shared_state), with this process's memory as the first check and as the
fallback when the database does not answer in time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.config import Settings
from bot.ops.shared_state import SharedState, SharedStateUnavailable, shared_state

MAX_IDS = 50_000


class SeenKeys(Protocol):
    def first_time(self, key: str) -> bool: ...


class MemorySeenKeys:
    """A thread-safe set of recently seen keys with a time-to-live and a size cap."""

    def __init__(
        self,
        ttl_s: float,
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


class SharedSeenKeys:
    """Claims in the shared database; this process's memory answers repeats it saw itself."""

    def __init__(self, state: SharedState, namespace: str, ttl_s: float) -> None:
        self.state = state
        self.namespace = namespace
        self.ttl_s = ttl_s
        self.memory = MemorySeenKeys(ttl_s)

    def first_time(self, key: str) -> bool:
        if not self.memory.first_time(key):
            return False
        try:
            return self.state.first_time(self.namespace, key, self.ttl_s)
        except SharedStateUnavailable:  # logged by SharedState; this process's memory decides
            return True


def seen_keys(settings: Settings, namespace: str, ttl_s: float) -> SeenKeys:
    """Shared between replicas on PostgreSQL, else in this process's memory."""
    state = shared_state(settings)
    return MemorySeenKeys(ttl_s) if state is None else SharedSeenKeys(state, namespace, ttl_s)
