"""Server mode: several bot replicas share one index through a real `chroma run`."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.index.store import open_store
from tests.conftest import REPO, make_settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    chroma = REPO / ".venv" / "bin" / "chroma"
    process = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("chroma run did not start within 60 s")
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.slow
def test_two_replicas_share_an_index_on_a_chroma_server(tmp_path, chroma_server, embedder):
    environ = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_server)}
    settings = make_settings(tmp_path / "a", **environ)
    indexer = Engine(settings, open_store(settings), embedder)
    first = indexer.reindex()
    assert first.embedded_chunks > 20
    assert indexer.reindex().embedded_chunks == 0  # incremental against the server too

    replica_settings = make_settings(tmp_path / "b", **environ)
    replica = Engine(replica_settings, open_store(replica_settings), embedder)
    hits = replica.retriever.search("Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?")
    assert len(hits) == 5 and any("Prototyp" in hit.text for hit in hits)
    assert not (tmp_path / "b" / "store").exists()  # nothing local: all on the server
