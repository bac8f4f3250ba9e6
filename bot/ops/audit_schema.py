"""Tables of the audit trail, the rows its queries return, and the engine that holds them.

Kept apart from bot/audit.py so the queries read without the column declarations. Table names
carry a `guidebot_` prefix so the tables can share a PostgreSQL database with other apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.errors import ConfigError


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them naive, PostgreSQL with zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class AuditRecord(Base):
    __tablename__ = "guidebot_audit_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    user: Mapped[str] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    answered: Mapped[bool | None]
    verdict: Mapped[str | None] = mapped_column(String(32))
    categories: Mapped[list[str]] = mapped_column(JSON)
    doc_hashes: Mapped[dict[str, str]] = mapped_column(JSON)  # source -> document hash
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # cited source + section
    mode: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    account: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(String(64))
    latency_ms: Mapped[int]
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    text_length: Mapped[int]
    text: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(64))
    feedback: Mapped[list[Feedback]] = relationship(order_by="Feedback.created_at")


class Feedback(Base):
    __tablename__ = "guidebot_feedback"
    __table_args__ = (UniqueConstraint("record_id", "user"),)  # one vote per person and record

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(AuditRecord.id, ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(500))
    section: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class KnowledgeGap(Base):
    __tablename__ = "guidebot_gaps"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # hash of normalised text
    text: Mapped[str] = mapped_column(Text)  # redacted wording as first asked
    language: Mapped[str | None] = mapped_column(String(8))
    count: Mapped[int]
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class StoredSetting(Base):
    __tablename__ = "guidebot_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Every wait on the database is bounded: connecting (a server that accepts and never answers),
# each statement (a lock held elsewhere), a pooled connection, and SQLite's busy wait.
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_S = 10


def open_database(url: str) -> Engine:
    """An engine for the URL: SQLite gets its folder created and WAL; PostgreSQL uses psycopg 3.

    Waits are bounded (CONNECT_TIMEOUT_S, STATEMENT_TIMEOUT_S), so a stalled database gives an
    error the caller can retry or count, never a request that hangs.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigError(f"GUIDEBOT_DATABASE_URL is not a database URL: {error}") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(
                parsed,
                pool_pre_ping=True,
                pool_timeout=CONNECT_TIMEOUT_S,
                connect_args={
                    "connect_timeout": CONNECT_TIMEOUT_S,
                    "options": f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}",
                },
            )
        except ModuleNotFoundError as error:
            raise ConfigError(
                f"GUIDEBOT_DATABASE_URL needs a driver that is not installed ({error.name}): "
                "pip install 'guidebot[postgres]'"
            ) from None
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": STATEMENT_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL lets `audit export` read while the bot writes; the busy timeout absorbs bursts."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={STATEMENT_TIMEOUT_S * 1000}")
    cursor.close()


@dataclass(frozen=True)
class Gap:
    text: str
    count: int
    first_seen: datetime
    last_seen: datetime
    language: str | None


@dataclass(frozen=True)
class UnclearReport:
    record_id: str
    kind: str
    user: str
    at: datetime
    source: str | None
    section: str | None
    note: str | None


@dataclass(frozen=True)
class PurgeReport:
    texts_cleared: int
    notes_cleared: int
    records_deleted: int
    gaps_deleted: int
