"""Shared fixtures: real models, real Chroma on disk, and a guard that keeps tests offline."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.config import Settings, load_settings

pytest_plugins = ["tests.slack_fixtures", "tests.pg_fixtures"]

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
DATA = Path(__file__).resolve().parent / "data"


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like never leave the machine
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be network traffic


class NetworkAccessError(AssertionError):
    pass


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Fail any connection that would leave this machine: everything must work offline."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: object) -> None:
        if not _is_loopback(address):
            raise NetworkAccessError(f"test tried to reach the network: {address!r}")

    def connect(self: socket.socket, address: object) -> None:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        guard((host,) if isinstance(host, str) else (str(host),))
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    yield
    socket.socket.connect = real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = real_getaddrinfo


def run_guidebot(
    *args: str, work: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a user runs it: offline, its audit database inside `work`."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work,
        env={
            "PATH": "/usr/bin:/bin",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(REPO),
            "GUIDEBOT_DATABASE_URL": f"sqlite:///{work / 'cli-audit.db'}",
        },
    )


def make_settings(tmp: Path, knowledge: Path = KNOWLEDGE, **environ: str) -> Settings:
    """Settings for a test: the given knowledge folder, a store and database under tmp."""
    base = {
        "GUIDEBOT_KNOWLEDGE_DIR": str(knowledge),
        "GUIDEBOT_STORE_DIR": str(tmp / "store"),
        "GUIDEBOT_DATABASE_URL": f"sqlite:///{tmp / 'audit.db'}",
        "GUIDEBOT_AUDIT_SALT": "test-salt",
    }
    base.update(environ)
    return load_settings(base)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real default embedding model, loaded once for the whole run."""
    from bot.embeddings import load_embedder

    return load_embedder(load_settings({}).embedding_model)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:  # type: ignore[no-untyped-def]
    """The sample knowledge/ indexed once into a session store; treat it as read-only."""
    from bot.index.indexer import index_folder
    from bot.index.store import open_store

    tmp = tmp_path_factory.mktemp("sample")
    knowledge = tmp / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = make_settings(tmp, knowledge)
    index_folder(settings, open_store(settings), embedder, validate_rules=_rules_validator())
    return settings


def _rules_validator():  # type: ignore[no-untyped-def]
    try:
        from bot.review.rules import validate_rules_file
    except ImportError:  # the review package is not there yet
        return None
    return validate_rules_file
