"""The audit trail: who asked or reviewed what kind of thing, what came out, against which
guideline versions, and what feedback followed, in SQLite (one process) or PostgreSQL (several
replicas) through SQLAlchemy.

Privacy by default: the question or draft is kept only as a keyed hash (HMAC-SHA256) and a
length, so "was this exact draft reviewed?" can be answered without the text being readable.
The key is GUIDEBOT_AUDIT_SALT, or else a random one kept in the database's own settings table
(then anyone holding the database holds the key: set the salt outside it for stronger
protection). GUIDEBOT_ARCHIVE_TEXT=true keeps the text for companies that must archive
business posts, until `purge` clears it after GUIDEBOT_RETENTION_DAYS; the metadata stays for
statistics unless `purge(all_records=True)` deletes whole records.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import selectinload, sessionmaker

from bot.config import Settings
from bot.errors import ConfigError, InputError
from bot.ops.audit_schema import (
    AuditRecord,
    Base,
    Feedback,
    Gap,
    KnowledgeGap,
    PurgeReport,
    StoredSetting,
    UnclearReport,
    open_database,
    utcnow,
)
from bot.ops.redact import normalise_question, redact_for_storage

FEEDBACK_VALUES = ("helpful", "not_helpful", "unclear_guideline")
KINDS = ("ask", "review")
_NOTE_CHARS = 1000
_GAP_CHARS = 500


@dataclass(frozen=True)
class AuditEntry:
    """What the service knows about one served request; the log adds id, time and hashing."""

    kind: str
    user: str
    text: str
    team: str | None = None
    mode: str | None = None
    language: str | None = None
    answered: bool | None = None
    verdict: str | None = None
    categories: Sequence[str] = ()
    doc_hashes: dict[str, str] = field(default_factory=dict)
    sources: Sequence[dict[str, str]] = ()
    account: str | None = None
    platform: str | None = None
    latency_ms: int = 0
    error: str | None = None


class AuditLog:
    """Writes and queries the audit trail; one instance per process, safe across threads."""

    def __init__(
        self, settings: Settings, now: Callable[[], datetime] = utcnow, *, connect: bool = True
    ) -> None:
        """`connect=False` defers the first contact with the database to the first use, so a
        database that does not answer cannot stop a process that only answers questions."""
        self.settings = settings
        self._now = now
        self.engine = open_database(settings.database_url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._key: bytes | None = None
        self._connect_lock = threading.Lock()
        if connect:
            self.connect()

    def connect(self) -> None:
        """Create the tables and read the salt, once; ConfigError when the database fails."""
        if self._key is not None:
            return
        with self._connect_lock:
            if self._key is not None:
                return
            try:
                self._create_schema()
                self._key = (self.settings.audit_salt or self._stored_salt()).encode()
            except OperationalError as error:
                safe_url = self.engine.url.render_as_string(hide_password=True)
                raise ConfigError(
                    f"Cannot open the audit database {safe_url}: {error.orig}"
                ) from None

    def close(self) -> None:
        self.engine.dispose()

    def _create_schema(self) -> None:
        try:
            Base.metadata.create_all(self.engine)
        # another replica or thread created it at the same time (SQLite: OperationalError)
        except (IntegrityError, ProgrammingError, OperationalError):
            Base.metadata.create_all(self.engine)

    def _stored_salt(self) -> str:
        with self._sessions() as session:
            stored = session.get(StoredSetting, "audit_salt")
        if stored is None:
            try:
                with self._sessions.begin() as session:
                    session.add(StoredSetting(name="audit_salt", value=secrets.token_hex(32)))
            except IntegrityError:  # another process stored its salt first: use that one
                pass
            with self._sessions() as session:
                stored = session.get(StoredSetting, "audit_salt")
        assert stored is not None
        return stored.value

    def hash_text(self, text: str) -> str:
        """The keyed hash stored for a text: equal texts give equal hashes in this database."""
        self.connect()
        assert self._key is not None
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def record(self, entry: AuditEntry, record_id: str | None = None) -> str:
        """Store one served request and return its id (for feedback buttons); the id may be
        chosen beforehand (bot.ops.audit_writer hands it out before the write happens)."""
        self.connect()
        if entry.kind not in KINDS:
            raise ValueError(f"unknown audit kind {entry.kind!r}")
        record_id = record_id or uuid.uuid4().hex
        row = AuditRecord(
            id=record_id,
            created_at=self._now(),
            user=entry.user[:64],
            team=entry.team[:64] if entry.team else None,
            kind=entry.kind,
            answered=entry.answered,
            verdict=entry.verdict,
            categories=sorted(set(entry.categories)),
            doc_hashes=dict(entry.doc_hashes),
            sources=[dict(s) for s in entry.sources],
            mode=entry.mode,
            language=entry.language,
            account=entry.account,
            platform=entry.platform,
            latency_ms=max(0, int(entry.latency_ms)),
            text_hash=self.hash_text(entry.text),
            text_length=len(entry.text),
            text=entry.text if self.settings.archive_text else None,
            error=entry.error,
        )
        with self._sessions.begin() as session:
            session.add(row)
        return record_id

    def get(self, record_id: str) -> AuditRecord | None:
        self.connect()
        with self._sessions() as session:
            query = select(AuditRecord).options(selectinload(AuditRecord.feedback))
            return session.scalars(query.where(AuditRecord.id == record_id)).first()

    def add_feedback(
        self,
        record_id: str,
        value: str,
        user: str,
        note: str | None = None,
        source: str | None = None,
        section: str | None = None,
    ) -> None:
        """Attach one person's feedback to a record; a second click replaces their first."""
        if value not in FEEDBACK_VALUES:
            raise InputError(f"Feedback must be one of {', '.join(FEEDBACK_VALUES)}, not {value!r}")
        record = self.get(record_id)
        if record is None:
            raise InputError("That answer is no longer on record, so feedback cannot be attached.")
        if value == "unclear_guideline" and not source and record.sources:
            source, section = record.sources[0].get("source"), record.sources[0].get("section")
        row = Feedback(
            record_id=record_id,
            user=user[:64],
            value=value,
            note=redact_for_storage(note.strip())[:_NOTE_CHARS] if note and note.strip() else None,
            source=source[:500] if source else None,
            section=section[:500] if section else None,
            created_at=self._now(),
        )
        try:
            with self._sessions.begin() as session:
                session.execute(
                    delete(Feedback).where(Feedback.record_id == record_id, Feedback.user == user)
                )
                session.add(row)
        except IntegrityError:  # the same person clicked twice at once: one click is enough
            pass

    def feedback_counts(self) -> dict[str, dict[str, int]]:
        """{"ask": {"helpful": 3, "not_helpful": 1, "unclear_guideline": 0}, "review": {...}}."""
        self.connect()
        counts = {kind: dict.fromkeys(FEEDBACK_VALUES, 0) for kind in KINDS}
        query = (
            select(AuditRecord.kind, Feedback.value, func.count())
            .join(Feedback, Feedback.record_id == AuditRecord.id)
            .group_by(AuditRecord.kind, Feedback.value)
        )
        with self._sessions() as session:
            for kind, value, count in session.execute(query):
                counts.setdefault(kind, dict.fromkeys(FEEDBACK_VALUES, 0))[value] = count
        return counts

    def unclear_reports(self, limit: int = 10) -> list[UnclearReport]:
        """The latest "unclear guideline" feedback, newest first, with the cited passage."""
        self.connect()
        query = (
            select(Feedback, AuditRecord.kind)
            .join(AuditRecord, Feedback.record_id == AuditRecord.id)
            .where(Feedback.value == "unclear_guideline")
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            return [
                UnclearReport(f.record_id, kind, f.user, f.created_at, f.source, f.section, f.note)
                for f, kind in session.execute(query)
            ]

    def record_gap(self, question: str, language: str | None = None) -> None:
        """Count an uncovered question, personal data and secrets redacted, merged with its
        repeats (admins see it on App Home)."""
        self.connect()
        text = redact_for_storage(question.strip())[:_GAP_CHARS]
        key = hashlib.sha256(normalise_question(text).encode("utf-8")).hexdigest()
        now = self._now()
        bump = (
            update(KnowledgeGap)
            .where(KnowledgeGap.key == key)
            .values(count=KnowledgeGap.count + 1, last_seen=now)
        )
        with self._sessions.begin() as session:
            if session.execute(bump).rowcount:  # type: ignore[attr-defined]
                return
        try:
            with self._sessions.begin() as session:
                gap = KnowledgeGap(key=key, text=text, language=language, count=1)
                gap.first_seen = gap.last_seen = now
                session.add(gap)
        except IntegrityError:  # another thread inserted the same gap first
            with self._sessions.begin() as session:
                session.execute(bump)

    def gaps(self, limit: int = 20) -> list[Gap]:
        """Uncovered questions, most frequent first, then most recent."""
        self.connect()
        query = (
            select(KnowledgeGap)
            .order_by(KnowledgeGap.count.desc(), KnowledgeGap.last_seen.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            return [
                Gap(g.text, g.count, g.first_seen, g.last_seen, g.language)
                for g in session.scalars(query)
            ]

    def records_since(self, since: datetime) -> Iterator[AuditRecord]:
        """Records from `since` on, oldest first, streamed in batches for large exports."""
        self.connect()
        query = (
            select(AuditRecord)
            .options(selectinload(AuditRecord.feedback))
            .where(AuditRecord.created_at >= since)
            .order_by(AuditRecord.created_at, AuditRecord.id)
            .execution_options(yield_per=500)
        )
        with self._sessions() as session:
            yield from session.scalars(query)

    def purge(self, all_records: bool = False) -> PurgeReport:
        """Apply retention: older texts, notes and gaps go; with all_records whole rows too."""
        self.connect()
        cutoff = self._now() - timedelta(days=self.settings.retention_days)
        old_records = select(AuditRecord.id).where(AuditRecord.created_at < cutoff)
        with self._sessions.begin() as session:
            texts = session.execute(
                update(AuditRecord)
                .where(AuditRecord.created_at < cutoff, AuditRecord.text.is_not(None))
                .values(text=None)
            ).rowcount  # type: ignore[attr-defined]
            notes = session.execute(
                update(Feedback)
                .where(Feedback.created_at < cutoff, Feedback.note.is_not(None))
                .values(note=None)
            ).rowcount  # type: ignore[attr-defined]
            records = 0
            if all_records:
                session.execute(delete(Feedback).where(Feedback.record_id.in_(old_records)))
                records = session.execute(
                    delete(AuditRecord).where(AuditRecord.created_at < cutoff)
                ).rowcount  # type: ignore[attr-defined]
            gaps = session.execute(
                delete(KnowledgeGap).where(KnowledgeGap.last_seen < cutoff)
            ).rowcount  # type: ignore[attr-defined]
        return PurgeReport(texts, notes, records, gaps)
