"""`guidebot index --watch`: edits to the knowledge folder reach the bot without a restart."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from bot.engine import Engine
from bot.index.store import open_store
from bot.index.watch import watch_knowledge
from tests.conftest import KNOWLEDGE, REPO, make_settings

T = TypeVar("T")
DEBOUNCE_S = 0.5
POISON = "POISON-PILL-7f3a"
BEEHIVES = (
    "# Rooftop beehives\n\nPhotos of the rooftop beehives may be posted only on Fridays, "
    "and never with the beekeeper's face.\n"
)


def wait_for(condition: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    """Poll until condition() is truthy; fail after a bounded wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class PoisonedEmbedder:
    """The real embedder, except that it crashes on text containing POISON, as an embedding
    backend might on one odd chunk in the middle of a run."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = real.name

    def embed(self, texts: list[str]) -> np.ndarray:
        if any(POISON in text for text in texts):
            raise RuntimeError("embedding backend crashed")
        return self.real.embed(texts)


class Output:
    """Everything the watcher printed so far (capsys hands it out in pieces)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.out = ""
        self.err = ""

    def lines(self, needle: str, stream: str = "out") -> list[str]:
        captured = self.capsys.readouterr()
        self.out += captured.out
        self.err += captured.err
        text = self.out if stream == "out" else self.err
        return [line for line in text.splitlines() if needle in line]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


@pytest.fixture
def watching(
    tmp_path: Path, knowledge: Path, embedder: Any, capsys: pytest.CaptureFixture[str]
) -> Iterator[tuple[Engine, Output]]:
    """An engine whose knowledge folder is watched in a background thread, and its output."""
    settings = make_settings(tmp_path, knowledge)
    engine = Engine(settings, open_store(settings), PoisonedEmbedder(embedder))
    output = Output(capsys)
    stop = threading.Event()
    result: list[int] = []

    def watch() -> None:
        result.append(watch_knowledge(engine, quiet=False, stop=stop, debounce_s=DEBOUNCE_S))

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        wait_for(lambda: output.lines("Watching"), "the watcher to start")
        yield engine, output
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive() and result == [0], "the watcher did not stop when asked"


def test_a_burst_of_new_files_is_indexed_in_one_run_and_answers_use_it(
    watching: tuple[Engine, Output], knowledge: Path
) -> None:
    engine, output = watching
    (knowledge / "en" / "beehives.md").write_text(BEEHIVES, encoding="utf-8")
    time.sleep(DEBOUNCE_S / 5)  # a sync client drops files one by one, within the debounce
    (knowledge / "en" / "canteen.md").write_text("# Canteen\n\nMenus may be shared.\n")
    time.sleep(DEBOUNCE_S / 5)
    (knowledge / "en" / "bikes.txt").write_text("Bike storage photos are fine to post.\n")

    runs = wait_for(lambda: output.lines("re-indexed"), "a run after the change")
    assert "3 indexed" in runs[0]  # debounced: the whole burst in a single run
    answer = engine.ask("When may I post photos of the rooftop beehives?")
    assert answer.sources and answer.sources[0].source == "en/beehives.md"
    assert len(output.lines("rebuilt")) == 1  # the first run built the index; nothing since


def test_a_failing_run_is_reported_and_the_watcher_keeps_going(
    watching: tuple[Engine, Output], knowledge: Path
) -> None:
    engine, output = watching
    before = engine.store.manifest()
    assert before is not None
    poisoned = knowledge / "en" / "beehives.md"
    poisoned.write_text(BEEHIVES + f"\n{POISON}\n", encoding="utf-8")

    failures = wait_for(lambda: output.lines("index run failed", "err"), "the failed run")
    assert "embedding backend crashed" in failures[0]
    assert "previous index stays in force" in failures[0]
    after = engine.store.manifest()
    assert after is not None and after.generation == before.generation
    assert engine.ask("How long are business posts archived?").sources

    poisoned.write_text(BEEHIVES, encoding="utf-8")  # the author fixes the file
    wait_for(lambda: output.lines("re-indexed"), "the next run")
    answer = engine.ask("When may I post photos of the rooftop beehives?")
    assert answer.sources[0].source == "en/beehives.md"


def test_editor_temp_files_do_not_trigger_a_run(
    watching: tuple[Engine, Output], knowledge: Path
) -> None:
    _, output = watching
    (knowledge / "en" / ".beehives.md.swp").write_bytes(b"vim swap")
    (knowledge / "en" / "beehives.md~").write_text("backup")
    time.sleep(DEBOUNCE_S * 3)  # the editor sits on its swap file a while before saving
    (knowledge / "en" / "beehives.md").write_text(BEEHIVES, encoding="utf-8")
    runs = wait_for(lambda: output.lines("re-indexed"), "the run for the real file")
    assert "1 indexed" in runs[0] and "failed" not in runs[0]
    assert not output.lines("nothing changed")  # the swap and backup files started no run


def test_cli_watch_picks_up_a_change_and_stops_on_ctrl_c(tmp_path: Path, knowledge: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "bot", "index", "--watch"]
    command += ["--knowledge", str(knowledge), "--store", str(tmp_path / "store")]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(
        target=lambda: [lines.put(x) for x in process.stdout or []], daemon=True
    )
    reader.start()

    def read_until(needle: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if needle in line:
                return line
        raise AssertionError(f"`guidebot index --watch` never printed {needle!r}")

    try:
        read_until("Watching")
        (knowledge / "en" / "beehives.md").write_text(BEEHIVES, encoding="utf-8")
        assert "1 indexed" in read_until("re-indexed")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    settings = make_settings(tmp_path, knowledge)
    manifest = open_store(settings).manifest()
    assert manifest is not None and "en/beehives.md" in manifest.files
