"""Re-indexing while the bot serves: answers never break, and then they use the new content.

Several threads ask questions of a real engine (and of a second engine on the same store, as a
replica would) while another thread edits the knowledge folder and re-indexes again and again:
incremental runs, a rebuild, a removed file, and a run whose embedder crashes half-way.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.engine import Engine
from bot.errors import GuidebotError
from bot.index.store import GENERATION_PREFIX, open_store
from tests.conftest import KNOWLEDGE, make_settings

INDEXER = "indexer"
QUESTIONS = [
    "How long are business posts archived?",
    "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?",
    "Do I need #ad for a gifted product?",
    "Wer darf für Nordlicht sprechen?",
]
DRONES = (
    "# Drone footage\n\nDrone footage of the campus may be posted only after the facilities "
    "team has approved the flight.\n"
)


class FlakyEmbedder:
    """The real embedder; when armed, the indexing thread's Nth batch crashes, as an embedding
    backend that dies half-way through a run would. Questions (other threads) are unaffected."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = real.name
        self.fail_at = 0
        self.batches = 0

    def arm(self, batch: int) -> None:
        self.fail_at, self.batches = batch, 0

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.fail_at and threading.current_thread().name == INDEXER:
            self.batches += 1
            if self.batches == self.fail_at:
                self.fail_at = 0
                raise RuntimeError("embedding backend crashed")
        return self.real.embed(texts)


class Load:
    """Threads that run until told to stop and keep every error they meet."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.answers = 0
        self.threads: list[threading.Thread] = []

    def start(self, name: str, step: Callable[[], None]) -> None:
        def loop() -> None:
            while not self.stop.is_set():
                try:
                    step()
                except BaseException as error:  # collected and reported by the test
                    self.errors.append(error)
                    return

        thread = threading.Thread(target=loop, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def asker(self, engine: Engine, offset: int) -> Callable[[], None]:
        turn = [offset]

        def step() -> None:
            question = QUESTIONS[turn[0] % len(QUESTIONS)]
            turn[0] += 1
            answer = engine.ask(question)
            assert answer.answer.strip(), f"empty answer to {question!r}"
            assert answer.sources, f"no sources for {question!r}"
            self.answers += 1

        return step

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
        assert not any(t.is_alive() for t in self.threads), "a thread hung"


def _generations(engine: Engine) -> list[str]:
    names = [getattr(c, "name", c) for c in engine.store._client.list_collections()]
    return [n for n in names if n.startswith(GENERATION_PREFIX)]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


def test_questions_keep_being_answered_while_the_knowledge_is_reindexed(
    tmp_path: Path, knowledge: Path, embedder: Any
) -> None:
    settings = make_settings(tmp_path, knowledge)
    flaky = FlakyEmbedder(embedder)
    engine = Engine(settings, open_store(settings), flaky)
    engine.reindex()
    replica = Engine(settings, open_store(settings), embedder)  # follows via refresh only
    load = Load()
    load.start("ask-1", load.asker(engine, 0))
    load.start("ask-2", load.asker(engine, 1))
    load.start("replica-ask", load.asker(replica, 2))

    def refresh(target: Engine) -> Callable[[], None]:
        def step() -> None:  # the Slack app's refresher, as fast as it can go
            target.refresh_if_changed()
            time.sleep(0.005)

        return step

    load.start("refresher", refresh(engine))
    load.start("replica-refresher", refresh(replica))
    activated = [engine.retriever.generation]  # in the order the index runs switched
    served: list[str] = []  # what queries were served from, sampled as they go

    def sample() -> None:
        current = engine.retriever.generation
        if not served or served[-1] != current:
            served.append(current)
        time.sleep(0.0005)

    load.start("sampler", sample)

    policy = knowledge / "en" / "employee-social-media-policy.md"
    outcome: dict[str, Any] = {}

    def reindex(**options: Any) -> Any:
        report = engine.reindex(**options)
        activated.append(engine.store.manifest().generation)  # type: ignore[union-attr]
        return report

    def edit_and_reindex() -> None:
        for i in range(4):
            with policy.open("a", encoding="utf-8") as handle:
                handle.write(f"\n\n## Event {i}\n\nPhotos from team event {i} need consent.\n")
            assert reindex().changed
        (knowledge / "de" / "presseanfragen-und-krisen.pdf").unlink()
        assert [f.status for f in reindex().files].count("removed") == 1
        assert reindex(rebuild=True).rebuilt

        before = engine.store.manifest()
        flaky.arm(batch=2)  # a rebuild embeds several batches: this one dies half-way
        try:
            engine.reindex(rebuild=True)
        except GuidebotError as error:
            outcome["failure"] = str(error)
        outcome["kept"] = (before, engine.store.manifest(), engine.retriever.generation)

        (knowledge / "en" / "drones.md").write_text(DRONES, encoding="utf-8")
        for _ in range(3):  # quick runs back to back: the previous generation must hold
            reindex()
            with policy.open("a", encoding="utf-8") as handle:
                handle.write("\nOne more line.\n")
        reindex()

    indexer = threading.Thread(target=lambda: _capture(edit_and_reindex, load), name=INDEXER)
    started = time.monotonic()
    indexer.start()
    indexer.join(timeout=120)
    load.finish()
    assert not indexer.is_alive(), "re-indexing hung"
    assert not load.errors, f"{len(load.errors)} errors, first: {load.errors[0]!r}"
    assert load.answers >= 20, f"only {load.answers} answers in {time.monotonic() - started:.0f}s"

    assert "embedding backend crashed" in outcome["failure"]
    assert "previous index stays in force" in outcome["failure"]
    before, after, serving = outcome["kept"]
    assert before.generation == after.generation == serving  # the failed run changed nothing
    order = [activated.index(generation) for generation in served]
    assert order == sorted(order), "queries went back to an older index after a newer one"

    active = engine.store.manifest()
    assert active is not None and engine.retriever.generation == active.generation
    assert replica.refresh_if_changed() in (True, False)
    assert replica.retriever.generation == active.generation
    for serving_engine in (engine, replica):
        answer = serving_engine.ask("May I post drone footage of the campus?")
        assert answer.sources[0].source == "en/drones.md"
        assert not any(s.source.endswith(".pdf") for s in answer.sources)
    assert len(_generations(engine)) <= 2  # the active one and the previous one, no pile-up


def _capture(work: Callable[[], None], load: Load) -> None:
    try:
        work()
    except BaseException as error:  # reported by the test through load.errors
        load.errors.append(error)


def test_two_indexers_at_once_take_turns_and_keep_the_store_intact(
    tmp_path: Path, knowledge: Path, embedder: Any
) -> None:
    """A watcher and a manual `guidebot index` on the same store, each with its own model."""
    from bot.embeddings import UseEmbedder

    settings = make_settings(tmp_path, knowledge)
    first = Engine(settings, open_store(settings), embedder)
    second = Engine(settings, open_store(settings), UseEmbedder())
    first.reindex()
    errors: list[BaseException] = []

    def keep_indexing(engine: Engine, name: str) -> None:
        for i in range(6):
            note = knowledge / "en" / f"notes-{name}.md"
            note.write_text(f"# Notes {name}\n\n" + f"Line {i} from team {name}. " * 150)
            try:
                engine.reindex()
            except BaseException as error:  # collected and reported by the test
                errors.append(error)

    threads = [
        threading.Thread(target=keep_indexing, args=(first, "alpha")),
        threading.Thread(target=keep_indexing, args=(second, "beta")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, f"{len(errors)} runs failed, first: {errors[0]!r}"

    fresh = Engine(settings, open_store(settings), embedder)  # as a new process would
    sources = {chunk.source for chunk in fresh.retriever.snapshot.chunks}
    assert {"en/notes-alpha.md", "en/notes-beta.md"} <= sources
    assert "Line 5 from team beta" in fresh.ask("What did team beta write?").sources[0].text
