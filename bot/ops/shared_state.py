"""State that several replicas must agree on, kept in their shared PostgreSQL database.

One process keeps "seen" keys (Slack event ids for retry de-duplication, request signatures
for replay protection) and rate-limit counts in memory. Behind a load balancer each replica
would keep its own, so a retried event could be answered twice and a user would get N times
the rate limit. With GUIDEBOT_DATABASE_URL on PostgreSQL they live in two small tables there;
each check is one short statement, run with a deadline (these checks sit on Slack's
three-second ack path), and a database that does not answer in time makes the caller fall back
to its own memory instead of stalling; after a failure the database is left alone for
RETRY_AFTER_S, so a stalled database costs one deadline, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, ProgrammingError

from bot.config import Settings
from bot.ops.audit_schema import open_database

log = logging.getLogger(__name__)
T = TypeVar("T")

DEADLINE_S = 0.5  # a healthy database answers these in milliseconds
RETRY_AFTER_S = 15.0
_metadata = MetaData()
Table(
    "guidebot_seen_keys",
    _metadata,
    Column("namespace", String(16), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)
Table(
    "guidebot_rate_hits",
    _metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("key", String(160), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# A key is claimed by inserting it, or by taking over a row whose time ran out: one statement,
# so two replicas claiming the same key at once cannot both succeed.
_CLAIM = text(
    "INSERT INTO guidebot_seen_keys (namespace, key, expires_at) "
    "VALUES (:ns, :key, now() + make_interval(secs => :ttl)) "
    "ON CONFLICT (namespace, key) DO UPDATE SET expires_at = EXCLUDED.expires_at "
    "WHERE guidebot_seen_keys.expires_at < now()"
)
_SWEEP_SEEN = text("DELETE FROM guidebot_seen_keys WHERE expires_at < now()")
# Per-key advisory lock: the count and the insert of one user's request are not interleaved
# with another replica's.
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
_EXPIRE = text(
    "DELETE FROM guidebot_rate_hits WHERE key = :key AND at <= now() - make_interval(secs => :w)"
)
_COUNT = text(
    "SELECT count(*), EXTRACT(EPOCH FROM (min(at) + make_interval(secs => :w) - now())) "
    "FROM guidebot_rate_hits WHERE key = :key"
)
_HIT = text("INSERT INTO guidebot_rate_hits (key, at) VALUES (:key, now())")
_SWEEP_EVERY = 1000


class SharedStateUnavailable(Exception):
    """The shared database did not answer in time (or failed); use local memory instead."""


class SharedState:
    """Claims and rate-limit counts in PostgreSQL, each bounded by a deadline."""

    def __init__(self, url: str, deadline_s: float = DEADLINE_S) -> None:
        self.engine = open_database(url)
        self.deadline_s = deadline_s
        self._pool = ThreadPoolExecutor(8, thread_name_prefix="guidebot-shared")
        self._ready = threading.Event()
        self._ready_lock = threading.Lock()
        self._calls = 0
        self._down_until = 0.0
        self._pool.submit(self._create_tables)  # before the first request needs them

    def _create_tables(self) -> None:
        if self._ready.is_set():
            return
        with self._ready_lock:
            if self._ready.is_set():
                return
            try:
                _metadata.create_all(self.engine, checkfirst=True)
            except (IntegrityError, ProgrammingError):  # another replica created them just now
                _metadata.create_all(self.engine, checkfirst=True)
            self._ready.set()

    def first_time(self, namespace: str, key: str, ttl_s: float) -> bool:
        """True for exactly one caller across all replicas per key and TTL."""

        def claim() -> bool:
            with self.engine.begin() as connection:
                claimed = connection.execute(_CLAIM, {"ns": namespace, "key": key[:128],
                                                      "ttl": ttl_s}).rowcount  # fmt: skip
                if self._sweep_due():
                    connection.execute(_SWEEP_SEEN)
            return bool(claimed)

        return self._bounded(claim)

    def take(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one request for `key`: None if accepted, else seconds until the next one is."""

        def hit() -> float | None:
            values = {"key": key[:160], "w": window_s}
            with self.engine.begin() as connection:
                connection.execute(_LOCK, values)
                connection.execute(_EXPIRE, values)
                count, wait = connection.execute(_COUNT, values).one()
                if count >= limit:
                    return max(0.0, float(wait or 0.0))
                connection.execute(_HIT, values)
            return None

        return self._bounded(hit)

    def _sweep_due(self) -> bool:
        self._calls += 1
        return self._calls % _SWEEP_EVERY == 0

    def _bounded(self, call: Callable[[], T]) -> T:
        def run() -> T:
            self._create_tables()
            return call()

        if time.monotonic() < self._down_until:
            raise SharedStateUnavailable("failed recently; retried later")
        try:
            return self._pool.submit(run).result(timeout=self.deadline_s)
        except FutureTimeout:
            raise self._went_down("no answer in time") from None
        except Exception as error:  # by type only: statements may carry user ids
            raise self._went_down(type(error).__name__) from None

    def _went_down(self, reason: str) -> SharedStateUnavailable:
        self._down_until = time.monotonic() + RETRY_AFTER_S
        log.warning("shared state database failed (%s): this replica uses its own memory for "
                    "de-duplication and rate limits for %.0f s", reason, RETRY_AFTER_S)  # fmt: skip
        return SharedStateUnavailable(reason)

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until


def is_shared(url: str) -> bool:
    """Only PostgreSQL is shared between replicas; SQLite is one machine's file."""
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except Exception:
        return False


@lru_cache(maxsize=4)
def _state_for(url: str) -> SharedState:
    return SharedState(url)


def shared_state(settings: Settings) -> SharedState | None:
    """The process's one SharedState for a PostgreSQL database URL, else None (memory)."""
    return _state_for(settings.database_url) if is_shared(settings.database_url) else None
