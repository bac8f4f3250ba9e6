"""The one entry to the core for every edge: the CLI and the Slack app both call `Guidebot`.

Each request goes through the same steps in the same order, so no edge can forget one: input
limits (cheap, before anything else), the per-user rate limit (not for the local CLI), the
engine, timing, the audit record, knowledge-gap recording. The result comes back with its
`audit_id` so the edge can attach feedback buttons.

Around that, the facade holds what the edges share but the engine does not know: approval
requests and announced digests (tables beside the audit trail), the documents' links and
versions for citations, and the watch that turns a new index generation into a digest.

The audit trail fails open and never delays an answer: records are written by a worker
(bot.ops.audit_writer) with bounded retries; a failure is logged by type only (SQLAlchemy
messages quote statement parameters, which may hold the draft text) and counted in `health()`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from bot.config import Settings
from bot.errors import GuidebotError, InputError
from bot.index.digest import Digest, IndexWatch
from bot.index.docinfo import DocumentInfoIndex
from bot.models import Answer, IndexStatus, Review, SnapshotInfo, Source, Turn
from bot.ops.approvals import ApprovalStore
from bot.ops.audit import AuditEntry, AuditLog, Gap, UnclearReport
from bot.ops.audit_writer import AuditWriter
from bot.ops.digests import DigestLog
from bot.ops.limits import check_draft, check_question, check_turns
from bot.ops.logging_setup import describe_text
from bot.ops.rate_limit import RateLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")

CLI_USER = "cli"
_PURGE_EVERY_S = 24 * 3600
_MAX_CITED = 10
_FEEDBACK_WAIT_S = 2.0  # a feedback click may come before its record is written
_READ_WAIT_S = 1.0  # admin views show what was just queued


@dataclass(frozen=True)
class Actor:
    """Who is asking: a Slack user in a team, or the local command line."""

    user: str = CLI_USER
    team: str | None = None

    @property
    def is_cli(self) -> bool:
        return self.user == CLI_USER and self.team is None

    @property
    def key(self) -> str:
        return f"{self.team or '-'}:{self.user}"


CLI = Actor()


class EngineLike(Protocol):
    """What the facade needs from bot.engine.Engine (and what test stand-ins provide)."""

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer: ...

    def review(
        self, text: str, account: str = "personal", platform: str | None = None
    ) -> Review: ...

    def status(self) -> IndexStatus: ...

    def reindex(self, *, rebuild: bool = False, progress: Any = None) -> Any: ...

    def reload(self) -> Any: ...

    def refresh_if_changed(self) -> bool: ...

    def snapshot_info(self) -> SnapshotInfo | None: ...


def _doc_hashes(sources: Iterable[Source]) -> dict[str, str]:
    return {s.source: s.doc_hash for s in sources if s.doc_hash}


def _cited(sources: Iterable[Source]) -> list[dict[str, str]]:
    cited: list[dict[str, str]] = []
    for s in sources:
        entry = {"source": s.source, "section": s.section}
        if entry not in cited:
            cited.append(entry)
    return cited[:_MAX_CITED]


class Guidebot:
    """Limits, engine, timing and audit trail around `ask` and `review`."""

    def __init__(
        self,
        engine: EngineLike,
        settings: Settings,
        audit: AuditLog | None = None,
        limiter: RateLimiter | None = None,
        timer: Callable[[], float] = time.perf_counter,
        writes: AuditWriter | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.audit = audit if audit is not None else AuditLog(settings, connect=False)
        self.writes = writes if writes is not None else AuditWriter(self.audit)
        self.limiter = limiter if limiter is not None else RateLimiter.from_settings(settings)
        self._timer = timer
        self._last_purge: float | None = None
        self.documents = DocumentInfoIndex(settings.knowledge_dir)
        self.index_watch = IndexWatch(engine, self.documents)
        self._approvals: ApprovalStore | None = None
        self._digests: DigestLog | None = None

    @property
    def approvals(self) -> ApprovalStore:
        """Approval requests, in the audit database (opened on first use)."""
        if self._approvals is None:
            self._approvals = ApprovalStore(self.audit)
        return self._approvals

    @property
    def digests(self) -> DigestLog:
        """The "what changed" digests announced so far (opened on first use)."""
        if self._digests is None:
            self._digests = DigestLog(self.audit)
        return self._digests

    def on_guidelines_changed(self, listener: Callable[[Digest], None]) -> None:
        """Call `listener` with a digest whenever the index answering here changes content."""
        self.index_watch.listeners.append(listener)
        self.index_watch.baseline()  # what answers now is what the next digest compares to

    def _described(self, sources: list[Source]) -> list[Source]:
        """Sources with the document's URL and own version (see bot/index/docinfo.py)."""
        try:
            return self.documents.describe(sources)
        except Exception as error:  # a broken sources.yaml must not cost the answer
            log.error("could not read document info: %s", type(error).__name__)
            return sources

    def close(self) -> None:
        self.writes.close()
        self.audit.close()

    def ask(self, question: str, history: Sequence[Turn] = (), actor: Actor = CLI) -> Answer:
        """Answer a question from the guidelines; the Answer carries its audit_id."""
        question = check_question(question, self.settings)
        turns, trimmed = check_turns(history, self.settings)
        self._admit(actor)
        entry = AuditEntry(kind="ask", user=actor.user, team=actor.team, text=question)
        answer, latency_ms = self._timed(entry, lambda: self.engine.ask(question, turns))
        if trimmed:
            answer.note = f"{answer.note} {trimmed}" if answer.note else trimmed
        answer.sources = self._described(answer.sources)
        answer.audit_id = self._record(
            replace(
                entry,
                mode=answer.mode,
                language=answer.language,
                answered=answer.answered,
                doc_hashes=_doc_hashes(answer.sources),
                sources=_cited(answer.sources),
                latency_ms=latency_ms,
            )
        )
        if answer.kind == "not_covered" and self.settings.record_gaps:
            self.writes.record_gap(question, answer.language)
        log.info(
            "ask actor=%s question=%s answered=%s mode=%s latency_ms=%d audit=%s",
            actor.key,
            describe_text(question, self.settings),
            answer.answered,
            answer.mode,
            latency_ms,
            answer.audit_id,
        )
        return answer

    def review(
        self,
        text: str,
        account: str = "personal",
        platform: str | None = None,
        actor: Actor = CLI,
    ) -> Review:
        """Review a draft post; the Review carries its audit_id."""
        text = check_draft(text, self.settings)
        self._admit(actor)
        entry = AuditEntry(
            kind="review",
            user=actor.user,
            team=actor.team,
            text=text,
            account=account,
            platform=platform,
        )
        result, latency_ms = self._timed(entry, lambda: self.engine.review(text, account, platform))
        result.sources = self._described(result.sources)
        for finding in result.findings:
            finding.sources = self._described(finding.sources)
        sources = [*result.sources, *(s for f in result.findings for s in f.sources)]
        result.audit_id = self._record(
            replace(
                entry,
                mode=result.mode,
                language=result.language,
                verdict=result.verdict,
                categories=[f.category for f in result.findings],
                doc_hashes=_doc_hashes(sources),
                sources=_cited(sources),
                latency_ms=latency_ms,
            )
        )
        log.info(
            "review actor=%s draft=%s verdict=%s mode=%s latency_ms=%d audit=%s",
            actor.key,
            describe_text(text, self.settings),
            result.verdict,
            result.mode,
            latency_ms,
            result.audit_id,
        )
        return result

    def feedback(
        self,
        record_id: str,
        value: str,
        actor: Actor,
        note: str | None = None,
        source: str | None = None,
        section: str | None = None,
    ) -> None:
        """Attach helpful / not_helpful / unclear_guideline to an earlier answer or review."""
        self.writes.wait_for(record_id, _FEEDBACK_WAIT_S)  # the record may still be queued
        self.audit.add_feedback(record_id, value, actor.user, note, source, section)

    def gaps(self, limit: int = 20) -> list[Gap]:
        """Knowledge gaps for admins, including those still queued (waited for briefly)."""
        self.writes.flush(_READ_WAIT_S)
        return self.audit.gaps(limit)

    def feedback_counts(self) -> dict[str, dict[str, int]]:
        self.writes.flush(_READ_WAIT_S)
        return self.audit.feedback_counts()

    def unclear_reports(self, limit: int = 10) -> list[UnclearReport]:
        self.writes.flush(_READ_WAIT_S)
        return self.audit.unclear_reports(limit)

    def status(self) -> IndexStatus:
        return self.engine.status()

    def reindex(self, **options: Any) -> Any:
        """Re-index; with a listener registered, a content change is reported as a digest."""
        self.index_watch.baseline()
        report = self.engine.reindex(**options)
        self.index_watch.check(report)
        return report

    def snapshot_info(self) -> SnapshotInfo | None:
        """The index generation answering right now, without opening one (for probes)."""
        return self.engine.snapshot_info()

    def refresh(self) -> bool:
        """Switch to a newer index another process or replica built; True when it switched."""
        switched = self.engine.refresh_if_changed()
        self.index_watch.check()  # also catches a switch the engine made on its own
        return switched

    def warm_up(self) -> SnapshotInfo | None:
        """Open the index and run one question, so no user pays for loading; the review side
        is warmed by `warm_up_review`, which may run after the bot says it is ready.

        The engine is called directly: warm-up traffic is not an audited request or a gap.
        """
        if self.engine.snapshot_info() is None:
            self.engine.reload()
        else:  # open already (the digest's baseline read it): reopen only a newer index
            self.engine.refresh_if_changed()
        self.engine.ask("Warm-up: may I post a photo?")
        self.index_watch.baseline()
        return self.engine.snapshot_info()

    def warm_up_review(self) -> None:
        """Run one review, which builds the snapshot's reviewer (~1-2 s at 10,000 chunks). A
        review that arrives meanwhile waits for the same build, so it is merely slower."""
        try:
            self.engine.review("Warm-up post about a great day at the trade fair.")
        except GuidebotError as error:  # e.g. a broken review-rules.yaml: questions still work
            log.warning("review warm-up failed: %s", error)
        except Exception:  # the first real review builds it again and reports what fails
            log.exception("review warm-up failed")

    def health(self) -> dict[str, Any]:
        """What a load balancer's probe sees; never opens the index itself."""
        info = self.snapshot_info()
        audit = self.writes.health()
        return {
            "status": "ok" if audit["state"] == "ok" else "degraded",
            "generation": info.generation if info else None,
            "chunks": info.chunks if info else 0,
            "audit": audit,
        }

    def _admit(self, actor: Actor) -> None:
        if not actor.is_cli:
            self.limiter.check(actor.key)

    def _timed(self, entry: AuditEntry, call: Callable[[], T]) -> tuple[T, int]:
        """Run the engine call; a failure (not bad input) is audited by error type, then raised."""
        start = self._timer()
        try:
            result = call()
        except InputError:  # the user's input, not a served request: nothing to audit
            raise
        except Exception as error:
            latency_ms = round((self._timer() - start) * 1000)
            self._record(replace(entry, error=type(error).__name__, latency_ms=latency_ms))
            raise
        return result, round((self._timer() - start) * 1000)

    def _record(self, entry: AuditEntry) -> str | None:
        record_id = self.writes.record(entry)
        now = self._timer()
        if self._last_purge is None or now - self._last_purge >= _PURGE_EVERY_S:
            self._last_purge = now  # enforce retention even if nobody runs `audit purge`
            self.writes.purge()
        return record_id
