"""What every listener shares: the service, settings, a bounded work pool and small caches.

Listeners acknowledge Slack in bolt's listener pool and hand slow work (ask, review, reindex)
to `Deps.work`, a separate, bounded pool. That split is what keeps `ack()` fast while reviews
run: if the work shared bolt's pool, twenty slow reviews would queue the twenty-first ack
behind them and Slack would give up after three seconds.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.errors import BusyError, GuidebotError
from bot.models import IndexStatus
from bot.service import Actor, Guidebot
from bot.slack.blocks import error_text
from bot.slack.threads import ThreadMemory

log = logging.getLogger("bot.slack")

Deliver = Callable[[str], None]  # sends one escaped mrkdwn message to the user


class WorkPool:
    """A fixed number of workers with a cap on waiting tasks, so overload is said, not hidden."""

    def __init__(self, workers: int, max_pending: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="guidebot-work")
        self._slots = threading.BoundedSemaphore(workers + max_pending)

    def submit(self, task: Callable[[], None]) -> None:
        """Run `task` later; BusyError at once when too much is already waiting."""
        if not self._slots.acquire(blocking=False):
            raise BusyError("Too many requests are waiting; please try again in a minute.")

        def run() -> None:
            try:
                task()
            finally:
                self._slots.release()

        self._pool.submit(run)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Deps:
    service: Guidebot
    settings: Settings
    work: WorkPool
    threads: ThreadMemory = field(default_factory=ThreadMemory)
    status_ttl_s: float = 30.0
    _status: tuple[float, IndexStatus] | None = None
    _locales: dict[str, str] = field(default_factory=dict)
    _reindex_lock: threading.Lock = field(default_factory=threading.Lock)

    def is_admin(self, user: str | None, team: str | None) -> bool:
        """Admins are configured as TEAM_ID:USER_ID: the same user id in another workspace
        (a shared channel) is someone else."""
        return bool(user and team) and f"{team}:{user}" in self.settings.admins

    @property
    def approvals_on(self) -> bool:
        """ "Ask comms to check" is offered only when a review channel is configured."""
        return bool(self.settings.review_channel)

    def is_comms(self, user: str | None, team: str | None) -> bool:
        """GUIDEBOT_COMMS_USERS (user ids) decide approval requests; without it, the admins."""
        if self.settings.comms_users:
            return bool(user) and user in self.settings.comms_users
        return self.is_admin(user, team)

    def status(self, fresh: bool = False) -> IndexStatus:
        """Index status, cached briefly: it scans the knowledge folder for changed files."""
        cached = self._status
        if not fresh and cached and time.monotonic() - cached[0] < self.status_ttl_s:
            return cached[1]
        status = self.service.status()
        self._status = (time.monotonic(), status)
        return status

    def indexed_at(self) -> float | None:
        """When the index answering right now was built, for the version line on answers."""
        info = self.service.snapshot_info()
        return info.indexed_at if info else None

    def language_of(self, client: Any, user: str | None) -> str:
        """The user's Slack locale as 'de' or 'en' (for texts that have no question to go by)."""
        if not user:
            return "en"
        if user not in self._locales:
            try:
                info = client.users_info(user=user, include_locale=True)
                locale = str((info.get("user") or {}).get("locale") or "en")
            except Exception as error:  # a missing scope must not break the feature
                log.warning("users.info failed: %s", type(error).__name__)
                locale = "en"
            self._locales[user] = "de" if locale.lower().startswith("de") else "en"
        return self._locales[user]

    def guarded(self, what: str, language: str, deliver: Deliver, task: Callable[[], None]) -> None:
        """Run `task`; on failure tell the user in a friendly way and log without user text."""
        try:
            task()
        except GuidebotError as error:
            log.info("%s refused: %s", what, type(error).__name__)
            self._tell(what, deliver, error_text(error, language, self.settings.contact))
        except Exception as error:
            frames = "".join(traceback.format_tb(error.__traceback__))
            log.error("%s failed: %s\n%s", what, type(error).__name__, frames)
            self._tell(what, deliver, error_text(error, language, self.settings.contact))

    def later(self, what: str, language: str, deliver: Deliver, task: Callable[[], None]) -> None:
        """Queue `task` on the work pool (guarded); say "busy" at once when the pool is full."""
        try:
            self.work.submit(lambda: self.guarded(what, language, deliver, task))
        except BusyError as error:
            log.warning("%s rejected: work queue full", what)
            self._tell(what, deliver, error_text(error, language, self.settings.contact))

    @staticmethod
    def _tell(what: str, deliver: Deliver, text: str) -> None:
        try:
            deliver(text)
        except Exception as error:  # nothing more we can do than log it
            log.error("%s: could not tell the user about a failure: %s", what, type(error).__name__)

    def try_reindex(self) -> bool:
        """Claim the one re-index slot; False when a re-index is already running."""
        return self._reindex_lock.acquire(blocking=False)

    def reindex_done(self) -> None:
        self._status = None
        self._reindex_lock.release()


def actor(user: str | None, team: str | None) -> Actor:
    return Actor(user=user or "unknown", team=team)
