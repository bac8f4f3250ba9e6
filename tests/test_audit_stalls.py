"""A slow audit database never delays an answer, loses nothing it can retry, and shows in health.

Real databases that misbehave: a "PostgreSQL" that accepts connections and never answers (a
listening socket that says nothing), and a SQLite file another process holds locked.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops.audit import AuditLog
from bot.service import Actor, Guidebot
from tests.conftest import make_settings
from tests.pg_fixtures import drop_database, new_database, paused
from tests.test_service import StandInEngine

ALICE = Actor(user="U_ALICE", team="T_ACME")


class ServingEngine(StandInEngine):
    def snapshot_info(self) -> None:
        return None


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield int(server.getsockname()[1])
    finally:
        server.close()


@pytest.mark.timeout(60)
def test_a_database_that_never_answers_neither_delays_answers_nor_hangs_the_exit(
    tmp_path: Path, silent_server: int
) -> None:
    url = f"postgresql://guidebot@127.0.0.1:{silent_server}/audit"
    started = time.monotonic()
    bot = Guidebot(ServingEngine(), make_settings(tmp_path, GUIDEBOT_DATABASE_URL=url))
    answers = [bot.ask("May I post a photo?", actor=ALICE) for _ in range(8)]
    assert all(a.answered for a in answers)
    assert time.monotonic() - started < 1.5  # at most one 0.5 s wait for the shared rate limit
    deadline = time.monotonic() + 10
    while bot.health()["status"] == "ok":
        assert time.monotonic() < deadline, "health never said the audit database stalls"
        time.sleep(0.1)
    health = bot.health()
    assert health["status"] == "degraded" and health["audit"]["backlog"] >= 8
    closing = time.monotonic()
    bot.writes.close(wait_s=0.5)
    assert time.monotonic() - closing < 2.0
    assert bot.writes.lost >= 8  # counted (and logged), not silently dropped


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def test_a_locked_sqlite_file_delays_no_answer_and_loses_no_record(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    AuditLog(settings).close()  # the tables exist
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(tmp_path / "audit.db"), "2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
    bot = Guidebot(ServingEngine(), settings)
    started = time.monotonic()
    reviews = [bot.review(f"Our revenue, part {n}", actor=ALICE) for n in range(12)]
    assert time.monotonic() - started < 1.0
    locker.wait(10)
    assert bot.writes.flush(20)
    ids = {r.audit_id for r in reviews}
    assert all(bot.audit.get(i) is not None for i in ids) and len(ids) == 12
    assert bot.writes.lost == 0 and bot.health()["audit"]["state"] == "ok"
    bot.close()


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_a_paused_postgresql_delays_no_answer_shows_in_health_and_loses_nothing(
    tmp_path: Path, postgres_server: str
) -> None:
    url = new_database(postgres_server)
    bot = Guidebot(ServingEngine(), make_settings(tmp_path, GUIDEBOT_DATABASE_URL=url))
    try:
        bot.ask("May I post a photo?", actor=ALICE)  # connected, tables created
        assert bot.writes.flush(10) and bot.health()["status"] == "ok"
        with paused(url):
            started = time.monotonic()
            answers = [bot.ask("May I post a photo?", actor=ALICE) for _ in range(8)]
            assert all(a.answered for a in answers)
            assert time.monotonic() - started < 1.5  # one 0.5 s wait, then this replica's memory
            deadline = time.monotonic() + 10
            while bot.health()["status"] == "ok":
                assert time.monotonic() < deadline, "health never said the database stalls"
                time.sleep(0.1)
            assert bot.health()["audit"]["state"] == "stalled"
        assert bot.writes.flush(20)
        assert bot.writes.lost == 0 and all(bot.audit.get(a.audit_id or "") for a in answers)
    finally:
        bot.close()
        drop_database(url)
