"""Approval requests ("ask comms to check") in the database, beside the audit trail.

State lives in the database, not in memory, so any replica can take the decision click for a
request another replica posted. A decision is one conditional UPDATE (`status = 'open'`), so
two clicks at once, on one replica or two, decide once. The row is also the audit record of
the request and the decision: who, when, guidebot's verdict before, the decision, a keyed hash
of the comment and the guideline versions (document hashes) the review ran against.

Privacy: the draft is kept only while the request is open (comms must be able to read it);
deciding or expiring clears it, unless GUIDEBOT_ARCHIVE_TEXT=true.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from bot.ops.audit import AuditLog
from bot.ops.audit_schema import Base, UtcDateTime, utcnow

OPEN, DECIDED, EXPIRED, WITHDRAWN = "open", "decided", "expired", "withdrawn"
DECISIONS = ("ok", "needs_changes", "do_not_post")  # the verdict comms gives


def create_tables(engine: Engine, *tables: Any) -> None:
    """Create tables beside the audit trail; another replica creating them too is fine."""
    try:
        Base.metadata.create_all(engine, tables=list(tables))
    # Another replica or thread won the race: the tables exist now. SQLite says so with an
    # OperationalError ("table … already exists"), PostgreSQL with the other two.
    except (IntegrityError, ProgrammingError, OperationalError):
        Base.metadata.create_all(engine, tables=list(tables))


class ApprovalRow(Base):
    __tablename__ = "guidebot_approvals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    account: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(String(64))
    review_record: Mapped[str | None] = mapped_column(String(32))  # the review's audit id
    verdict_before: Mapped[str] = mapped_column(String(32))
    categories: Mapped[list[str]] = mapped_column(JSON)
    doc_hashes: Mapped[dict[str, str]] = mapped_column(JSON)  # guideline versions reviewed
    draft: Mapped[str | None] = mapped_column(Text)  # only while open (or archived)
    draft_hash: Mapped[str] = mapped_column(String(64))
    draft_length: Mapped[int]
    channel: Mapped[str | None] = mapped_column(String(32))  # the review channel's message
    message_ts: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    comment_hash: Mapped[str | None] = mapped_column(String(64))
    use_as_example: Mapped[bool | None]


@dataclass(frozen=True)
class NewRequest:
    """What the Slack shell knows when someone asks comms to check a reviewed draft."""

    user: str
    team: str | None
    language: str
    draft: str
    verdict: str
    categories: Sequence[str] = ()
    doc_hashes: dict[str, str] | None = None
    account: str | None = None
    platform: str | None = None
    review_record: str | None = None


@dataclass(frozen=True)
class Approval:
    """A request as read back (a detached copy: safe to use after the session closed)."""

    id: str
    status: str
    requested_by: str
    language: str
    verdict_before: str
    categories: list[str]
    draft: str | None
    channel: str | None
    message_ts: str | None
    decision: str | None
    decided_by: str | None
    account: str | None
    platform: str | None


def _approval(row: ApprovalRow) -> Approval:
    return Approval(
        row.id, row.status, row.requested_by, row.language, row.verdict_before,
        list(row.categories or []), row.draft, row.channel, row.message_ts, row.decision,
        row.decided_by, row.account, row.platform,
    )  # fmt: skip


class ApprovalStore:
    """Open, decide and expire approval requests; shares the audit log's database and key."""

    def __init__(self, audit: AuditLog, now: Callable[[], datetime] = utcnow) -> None:
        self._audit = audit
        self._now = now
        self._sessions = sessionmaker(audit.engine, expire_on_commit=False)
        create_tables(audit.engine, ApprovalRow.__table__)

    def open(self, request: NewRequest) -> str:
        """Store a new open request (with its draft) and return its id."""
        now = self._now()
        row = ApprovalRow(
            id=uuid.uuid4().hex,
            status=OPEN,
            requested_at=now,
            expires_at=now + timedelta(days=self._audit.settings.approval_ttl_days),
            requested_by=request.user[:64],
            team=request.team[:64] if request.team else None,
            language=request.language,
            account=request.account,
            platform=request.platform,
            review_record=request.review_record,
            verdict_before=request.verdict,
            categories=sorted(set(request.categories)),
            doc_hashes=dict(request.doc_hashes or {}),
            draft=request.draft,
            draft_hash=self._audit.hash_text(request.draft),
            draft_length=len(request.draft),
        )
        with self._sessions.begin() as session:
            session.add(row)
        return row.id

    def posted(self, approval_id: str, channel: str, ts: str) -> None:
        """Remember where the request was posted, for the chat.update after the decision."""
        with self._sessions.begin() as session:
            session.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id)
                .values(channel=channel, message_ts=ts)
            )

    def withdraw(self, approval_id: str) -> None:
        """Close a request that never reached comms (the post failed); its draft goes."""
        with self._sessions.begin() as session:
            session.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == OPEN)
                .values(status=WITHDRAWN, draft=None)
            )

    def get(self, approval_id: str) -> Approval | None:
        with self._sessions() as session:
            row = session.get(ApprovalRow, approval_id)
            return _approval(row) if row is not None else None

    def decide(
        self,
        approval_id: str,
        decision: str,
        user: str,
        comment: str | None = None,
        use_as_example: bool = False,
    ) -> Approval | None:
        """Decide an open request once; None when it was already decided, expired or unknown.

        The returned copy still holds the draft (for the example file); the row no longer does.
        """
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}")
        before = self.get(approval_id)
        if before is None or before.status != OPEN:
            return None
        keep = self._audit.settings.archive_text
        values = {
            "status": DECIDED,
            "decision": decision,
            "decided_by": user[:64],
            "decided_at": self._now(),
            "comment_hash": self._audit.hash_text(comment) if comment else None,
            "use_as_example": use_as_example,
        }
        if not keep:
            values["draft"] = None
        with self._sessions.begin() as session:
            changed = session.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == OPEN)
                .values(**values)
            ).rowcount  # type: ignore[attr-defined]
        if not changed:
            return None  # another click (or replica) decided in between
        return Approval(
            **{**before.__dict__, "status": DECIDED, "decision": decision, "decided_by": user}
        )

    def expire(self) -> list[Approval]:
        """Close requests older than GUIDEBOT_APPROVAL_TTL_DAYS, deleting their drafts."""
        now = self._now()
        query = select(ApprovalRow).where(ApprovalRow.status == OPEN, ApprovalRow.expires_at < now)
        with self._sessions() as session:
            due = [_approval(row) for row in session.scalars(query)]
        expired = []
        for approval in due:
            values: dict[str, object] = {"status": EXPIRED}
            if not self._audit.settings.archive_text:
                values["draft"] = None
            with self._sessions.begin() as session:
                changed = session.execute(
                    update(ApprovalRow)
                    .where(ApprovalRow.id == approval.id, ApprovalRow.status == OPEN)
                    .values(**values)
                ).rowcount  # type: ignore[attr-defined]
            if changed:
                expired.append(approval)
        return expired

    def rows(self) -> list[ApprovalRow]:
        """Every request, oldest first (for audits and tests)."""
        with self._sessions() as session:
            return list(session.scalars(select(ApprovalRow).order_by(ApprovalRow.requested_at)))
