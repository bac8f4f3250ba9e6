"""A damaged index on disk: a clear message naming the fix, and `guidebot index --rebuild` works.

The store is built by `guidebot index` in its own process, as it would sit on a server's disk,
then damaged the ways disks and interrupted copies damage files.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.engine import Engine
from bot.errors import StoreCorruptError
from bot.index.store import open_store
from tests.conftest import KNOWLEDGE, make_settings, run_guidebot

FIX = "guidebot index --rebuild"
QUESTION = "How long are business posts archived?"


def _cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return run_guidebot(
        *args, "--knowledge", str(KNOWLEDGE), "--store", str(store), work=store.parent
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("pristine") / "store"
    run = _cli("index", "--quiet", store=store)
    assert run.returncode == 0, run.stderr
    return store


def _damage(sqlite: Path, how: str) -> None:
    data = bytearray(sqlite.read_bytes())
    noise = random.Random(7)
    if how == "overwritten with garbage":
        data = bytearray(noise.randbytes(len(data)))
    elif how == "truncated":
        del data[len(data) // 2 :]
    elif how == "pages damaged":  # header and schema intact, the rows behind them not
        data[16384 : 16384 + 40960] = noise.randbytes(40960)
    sqlite.write_bytes(bytes(data))


def _damaged_copy(pristine: Path, tmp_path: Path, how: str) -> Settings:
    shutil.copytree(pristine, tmp_path / "store")
    _damage(tmp_path / "store" / "chroma" / "chroma.sqlite3", how)
    return make_settings(tmp_path, KNOWLEDGE)


@pytest.mark.parametrize("how", ["overwritten with garbage", "truncated", "pages damaged"])
def test_a_damaged_store_names_the_fix_and_a_rebuild_recovers(
    pristine: Path, tmp_path: Path, how: str, embedder: Any
) -> None:
    settings = _damaged_copy(pristine, tmp_path, how)
    engine = Engine(settings, open_store(settings), embedder)
    with pytest.raises(StoreCorruptError, match=FIX):
        engine.reload()
    with pytest.raises(StoreCorruptError, match=FIX):
        engine.ask(QUESTION)
    with pytest.raises(StoreCorruptError, match=FIX):
        engine.reindex()  # an ordinary run does not touch the damaged store
    assert not list((tmp_path / "store").glob("chroma.damaged-*"))

    report = engine.reindex(rebuild=True)
    assert report.rebuilt and report.total_chunks > 20
    answer = engine.ask(QUESTION)
    assert answer.answered and answer.sources
    kept = list((tmp_path / "store").glob("chroma.damaged-*"))
    assert len(kept) == 1 and (kept[0] / "chroma.sqlite3").exists()  # kept for inspection


def test_the_cli_reports_damage_without_a_traceback_and_rebuild_fixes_it(
    pristine: Path, tmp_path: Path, embedder: Any
) -> None:
    settings = _damaged_copy(pristine, tmp_path, "overwritten with garbage")
    ask = _cli("ask", QUESTION, store=settings.store_dir)
    assert ask.returncode == 1
    assert FIX in ask.stderr and "damaged" in ask.stderr
    assert "Traceback" not in ask.stderr

    rebuild = _cli("index", "--rebuild", "--quiet", store=settings.store_dir)
    assert rebuild.returncode == 0, rebuild.stderr
    assert "chroma.damaged-" in rebuild.stderr  # says where the damaged index went

    reopened = Engine(settings, open_store(settings), embedder)  # as the next process would
    assert reopened.ask(QUESTION).answered


def test_the_store_builds_no_vector_index_and_answers_without_one(
    pristine: Path, tmp_path: Path, embedder: Any
) -> None:
    """guidebot searches the vectors in memory, so it has Chroma build no HNSW graph at all
    (no segment folder on disk: nothing to lose or to rebuild); stray folders are not needed
    either, and an index run does not write any."""
    shutil.copytree(pristine, tmp_path / "store")
    chroma = tmp_path / "store" / "chroma"
    assert not [p for p in chroma.iterdir() if p.is_dir()]
    (chroma / "00000000-stray-segment").mkdir()
    settings = make_settings(tmp_path, KNOWLEDGE)
    engine = Engine(settings, open_store(settings), embedder)
    assert engine.ask(QUESTION).answered
    assert engine.reindex(rebuild=True).rebuilt
    assert engine.ask(QUESTION).answered
    assert [p.name for p in chroma.iterdir() if p.is_dir()] == ["00000000-stray-segment"]
