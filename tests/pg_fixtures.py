"""A private PostgreSQL server for the test session, and fresh databases on it.

`postgres_server` starts a throwaway server (initdb + pg_ctl in a temp folder, loopback port,
trust auth) once per session; `new_database(server)` creates an empty database and returns its
URL. Without PostgreSQL binaries the tests that need it are not collected, unless
GUIDEBOT_REQUIRE_POSTGRES=1 asks for them, in which case they fail with an install hint.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REQUIRE_POSTGRES = os.environ.get("GUIDEBOT_REQUIRE_POSTGRES") == "1"


def _postgres_bin() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


POSTGRES_BIN = _postgres_bin()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_DATA_DIRS: dict[str, Path] = {}  # server URL -> its data folder (for pausing it)


@contextmanager
def paused(database_url: str) -> Iterator[None]:
    """Freeze the session's PostgreSQL server (postmaster and every backend) with SIGSTOP, as
    a hung host or a storage stall does, and thaw it on exit."""
    server = database_url.rsplit("/", 1)[0]
    postmaster = int((_DATA_DIRS[server] / "postmaster.pid").read_text().split()[0])
    pids = [postmaster, *_children(postmaster)]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A private PostgreSQL server for this test session; yields its URL without a database."""
    if POSTGRES_BIN is None:
        pytest.fail(
            "GUIDEBOT_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries (initdb, pg_ctl) "
            "were found: install them (Debian: apt-get install -y postgresql).",
            pytrace=False,
        )
    base = Path(tempfile.mkdtemp(prefix="guidebot-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the package's postgres account
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root needs a 'postgres' system user for initdb", pytrace=False)
        os.chown(base, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()

    def pg(*args: str) -> None:
        try:
            subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=60)
        except subprocess.CalledProcessError as error:
            log = base / "log"
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"{' '.join(error.cmd)} failed:\n{error.stderr}\n{server_log}", False)

    pg(str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "guidebot", "--auth=trust",
       "--no-sync", "-E", "UTF8", "--locale=C")  # fmt: skip
    options = f"-F -p {port} -k {base} -c listen_addresses=127.0.0.1"
    pg(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
       options, "start")  # fmt: skip
    try:
        url = f"postgresql://guidebot@127.0.0.1:{port}"
        _DATA_DIRS[url] = data
        yield url
    finally:
        pg(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def new_database(server: str) -> str:
    """An empty database on the session server; its URL."""
    import psycopg

    name = f"guidebot_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
