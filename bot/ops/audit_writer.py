"""Audit writes off the reply path: a bounded queue and one worker thread per process.

A slow, locked or unreachable audit database must never delay an answer: the service hands
each record, knowledge gap and retention run to `AuditWriter` and returns at once (the record's
id is chosen before it is written, for the feedback buttons). The worker retries a failed write
with backoff for about 15 s, then logs it as lost and counts it; a full queue counts as lost
too. `health()` tells a load balancer or an operator how far behind the trail is and whether
the database answers, so a stalled database shows as "degraded" instead of "ok".
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.ops.audit import AuditEntry, AuditLog

log = logging.getLogger(__name__)

MAX_BACKLOG = 1000  # ~a minute of a busy workspace; beyond it records are counted as lost
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0, 8.0)
STALL_S = 2.0  # a write in progress for longer than this means the database is not answering
CLOSE_WAIT_S = 10.0


@dataclass(frozen=True)
class _Job:
    what: str  # "write audit record", "record gap", "apply retention": for the log
    call: Callable[[], Any]
    record_id: str | None = None


class AuditWriter:
    """Queue audit writes for a worker thread; never blocks and never raises to the caller."""

    def __init__(
        self,
        audit: AuditLog,
        max_backlog: int = MAX_BACKLOG,
        retry_delays_s: tuple[float, ...] = RETRY_DELAYS_S,
    ) -> None:
        self.audit = audit
        self._jobs: queue.Queue[_Job | None] = queue.Queue(max_backlog)
        self._delays = retry_delays_s
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)  # a queued record was written or lost
        self._pending: set[str] = set()
        self._busy_since: float | None = None
        self._last_error: str | None = None
        self.lost = 0
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="guidebot-audit", daemon=True)
        self._thread.start()

    def record(self, entry: AuditEntry) -> str:
        """Queue one audit record and return the id it will be stored under."""
        record_id = uuid.uuid4().hex
        with self._lock:
            self._pending.add(record_id)
        job = _Job("write audit record", lambda: self.audit.record(entry, record_id), record_id)
        self._submit(job)
        return record_id

    def wait_for(self, record_id: str, wait_s: float) -> bool:
        """Wait until one queued record is written (or lost); False if still queued."""
        with self._settled:
            return self._settled.wait_for(lambda: record_id not in self._pending, wait_s)

    def record_gap(self, question: str, language: str | None) -> None:
        self._submit(_Job("record gap", lambda: self.audit.record_gap(question, language)))

    def purge(self) -> None:
        self._submit(_Job("apply retention", self.audit.purge))

    def _submit(self, job: _Job) -> None:
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            self._count_lost(job, "the audit backlog is full")

    def health(self) -> dict[str, Any]:
        """{"state": ok|failing|stalled, "backlog": n, "lost": n} for /healthz."""
        with self._lock:
            busy_for = time.monotonic() - self._busy_since if self._busy_since else 0.0
            state = "ok"
            if self._last_error:
                state = "failing"
            if busy_for > STALL_S:
                state = "stalled"
            return {
                "state": state,
                "backlog": self._jobs.qsize() + (self._busy_since is not None),
                "lost": self.lost,
                **({"error": self._last_error} if self._last_error else {}),
            }

    @property
    def healthy(self) -> bool:
        return self.health()["state"] == "ok"

    def close(self, wait_s: float = CLOSE_WAIT_S) -> None:
        """Write what is queued (at most `wait_s`), then count the rest as lost."""
        deadline = time.monotonic() + wait_s
        with contextlib.suppress(queue.Full):  # the end marker, after everything queued
            self._jobs.put(None, timeout=wait_s)
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self._stop.set()  # a worker stuck in a write stops retrying
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            self._jobs.task_done()
            if job is not None:
                self._count_lost(job, "the database did not answer before exit")
        if self._thread.is_alive() and self._busy_since is not None:
            self._count_lost(_Job("finish a write", lambda: None), "still waiting at exit")

    def flush(self, wait_s: float = CLOSE_WAIT_S) -> bool:
        """Wait until everything queued so far is written (or lost); False on timeout."""
        deadline = time.monotonic() + wait_s
        with self._jobs.all_tasks_done:
            while self._jobs.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._jobs.all_tasks_done.wait(remaining)
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self._jobs.get()
            try:
                if job is None:
                    return
                self._do(job)
            finally:
                self._jobs.task_done()

    def _do(self, job: _Job) -> None:
        for attempt, delay in enumerate((0.0, *self._delays)):
            if delay and self._stop.wait(delay):
                break
            with self._lock:
                self._busy_since = time.monotonic()
            try:
                job.call()
            except Exception as error:  # by type only: messages may quote the draft
                with self._lock:
                    self._busy_since = None
                    self._last_error = type(error).__name__
                log.warning("could not %s (attempt %d): %s", job.what, attempt + 1,
                            type(error).__name__)  # fmt: skip
                continue
            with self._lock:
                self._busy_since = None
                self._last_error = None
                self.written += 1
                self._settle(job)
            return
        self._count_lost(job, self._last_error or "stopped")

    def _settle(self, job: _Job) -> None:
        """Called with the lock held: whoever waits for this record may go on."""
        if job.record_id is not None:
            self._pending.discard(job.record_id)
            self._settled.notify_all()

    def _count_lost(self, job: _Job, reason: str) -> None:
        with self._lock:
            self.lost += 1
            self._settle(job)
        log.error("audit: could not %s, lost (%s)", job.what, reason)
