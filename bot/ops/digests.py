"""The "what changed" digests already announced, in the audit database.

One row per index generation, claimed with the primary key: when several replicas (and a
`guidebot index --announce`) all notice the same new generation, the first to insert posts the
digest and the others stay quiet. App Home lists the latest rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from bot.index.digest import Digest
from bot.ops.approvals import create_tables
from bot.ops.audit import AuditLog
from bot.ops.audit_schema import Base, UtcDateTime, utcnow


class DigestRow(Base):
    __tablename__ = "guidebot_digests"

    generation: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    data: Mapped[dict[str, object]] = mapped_column(JSON)


class DigestLog:
    def __init__(self, audit: AuditLog) -> None:
        self._sessions = sessionmaker(audit.engine, expire_on_commit=False)
        create_tables(audit.engine, DigestRow.__table__)

    def claim(self, digest: Digest) -> bool:
        """Record the digest; False when another process already did (so it is not re-posted)."""
        row = DigestRow(generation=digest.generation, created_at=utcnow(), data=digest.to_json())
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def latest(self, limit: int = 3) -> list[tuple[datetime, Digest]]:
        query = select(DigestRow).order_by(DigestRow.created_at.desc()).limit(limit)
        with self._sessions() as session:
            return [(r.created_at, Digest.from_json(dict(r.data))) for r in session.scalars(query)]
