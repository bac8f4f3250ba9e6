"""The core behind every edge: one index snapshot's toolkit, the embedder, a chat model.

The CLI, the Slack app and the benchmarks all call `Engine.ask` / `Engine.review`; nothing here
knows about Slack. Everything that depends on an index snapshot (retriever, answerer, reviewer
and what they precompute) is built by `build_toolkit` and lives on the `Toolkit` (bot/toolkit.py);
`reload()` swaps in a new toolkit atomically, so queries in flight finish on the old one while
a re-index completes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from bot.ask.answering import help_answer, review_answer
from bot.ask.intent import classify
from bot.ask.retrieval import Retriever
from bot.config import Settings
from bot.embeddings import Embedder, load_embedder
from bot.errors import GuidebotError, StoreCorruptError
from bot.index.indexer import Progress, index_folder
from bot.index.report import IndexReport
from bot.index.scan import scan_knowledge
from bot.index.store import ChunkStore, open_store
from bot.language import detect_language
from bot.llm import LlmGate, load_chat_model
from bot.models import (
    Answer,
    DocumentStatus,
    IndexStatus,
    Language,
    Review,
    SnapshotInfo,
    Turn,
)
from bot.toolkit import Shared, Toolkit, build_toolkit

log = logging.getLogger(__name__)
REFRESH_S = 30.0  # how often a serving engine looks for an index built elsewhere


class Engine:
    def __init__(
        self,
        settings: Settings,
        store: ChunkStore,
        embedder: Embedder,
        chat_model: Any | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.chat_model = chat_model
        self.llm_gate = LlmGate(settings.llm_max_concurrency, settings.llm_queue_wait_s)
        self._shared: Shared | None = None
        self._toolkit: Toolkit | None = None
        self._index_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._checked_at = time.monotonic()

    @property
    def shared(self) -> Shared:
        if self._shared is None:
            self._shared = Shared.load(self.embedder)
        return self._shared

    @property
    def toolkit(self) -> Toolkit:
        """The toolkit over the active index; opened on first use (IndexMissingError if none).

        Every REFRESH_S it also checks whether another process or replica switched the store
        to a newer generation, so replicas sharing a Chroma server follow each other's index.
        """
        current = self._toolkit
        if current is None:
            return self.reload()
        now = time.monotonic()
        if now - self._checked_at > REFRESH_S:
            self._checked_at = now
            try:
                self.refresh_if_changed()
            except Exception as error:  # the index in memory still answers; the refresher retries
                log.warning("index refresh failed: %s", error)
            return self._toolkit or current
        return current

    @property
    def retriever(self) -> Retriever:
        return self.toolkit.retriever

    def snapshot_info(self) -> SnapshotInfo | None:
        """The generation in use, without opening the index (for health probes)."""
        current = self._toolkit
        if current is None:
            return None
        manifest = current.retriever.manifest
        chunks = len(current.retriever.snapshot.chunks)
        return SnapshotInfo(manifest.generation, chunks, manifest.indexed_at)

    def reload(self) -> Toolkit:
        """Open the active generation and make it the one new queries use.

        One reload at a time: a refresh that loaded generation N must not swap it in after a
        re-index in this process already switched to N+1, taking queries back to an older index.
        """
        with self._reload_lock:
            toolkit = build_toolkit(
                self.store.load(), self.shared, self.settings, self.chat_model, self.llm_gate
            )
            if self._toolkit is not None and self._toolkit.has_reviewer:
                toolkit.reviewer  # noqa: B018  # this process reviews: no review waits for a build
            self._toolkit = toolkit  # one reference swap: readers see old or new, never half
        return toolkit

    def refresh_if_changed(self) -> bool:
        """Pick up an index that another process or replica built; True when it switched."""
        manifest = self.store.manifest()
        current = self._toolkit
        if manifest is None or (current and current.generation == manifest.generation):
            return False
        self.reload()
        return True

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """The reply to a message: an answer, a pasted draft's review, or the help text."""
        intent = classify(question)
        if intent.kind == "help":
            return help_answer(intent.language or detect_language(question))
        toolkit = self.toolkit
        if intent.kind == "draft":
            return review_answer(toolkit.reviewer.review(intent.text), intent.text)
        return toolkit.answerer.answer(question, history)

    def review(self, text: str, account: str = "personal", platform: str | None = None) -> Review:
        return self.toolkit.reviewer.review(text, account, platform)

    def reindex(self, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        """Incremental index of the knowledge folder, then switch queries to it.

        A failed run leaves the previous index in force and raises a GuidebotError saying why.
        A rebuild over a store too damaged to read moves it aside (kept) and builds anew.
        """
        with self._index_lock, _one_indexer(self.settings):  # one run at a time
            try:
                report = self._index_once(rebuild, progress)
            except StoreCorruptError:
                if not rebuild or (moved := self.store.set_aside()) is None:
                    raise
                log.warning("The damaged index was moved to %s; building it anew.", moved)
                report = self._index_once(rebuild, progress)
            if report.changed or self._toolkit is None:
                self.reload()
        return report

    def _index_once(self, rebuild: bool, progress: Progress | None) -> IndexReport:
        from bot.review.rules import validate_rules_file

        try:
            return index_folder(
                self.settings,
                self.store,
                self.embedder,
                rebuild=rebuild,
                progress=progress,
                validate_rules=validate_rules_file,
            )
        except GuidebotError:
            raise
        except BaseException as error:  # chromadb's Rust panics are BaseExceptions too
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            try:  # a store that can no longer be read is damage, which a rebuild can repair
                self.store.load()
            except StoreCorruptError as damage:
                raise damage from error
            except Exception:
                pass  # nothing indexed yet, or a server is unreachable: not damage
            raise GuidebotError(
                f"Indexing failed ({type(error).__name__}: {error}); "
                "the previous index stays in force."
            ) from error

    def status(self) -> IndexStatus:
        manifest = self.store.manifest()
        if manifest is None:
            return IndexStatus([], 0, {}, None, self.embedder.name, [])
        snapshot = self.retriever.snapshot
        documents = []
        languages: dict[str, int] = {}
        for source, digest in sorted(manifest.files.items()):
            chunks = [c for c in snapshot.chunks if c.source == source]
            german = sum(c.language == "de" for c in chunks)
            language: Language = "de" if german * 2 > len(chunks) else "en"
            languages[language] = languages.get(language, 0) + 1
            names = self.retriever.organisations.get(source, ())
            documents.append(DocumentStatus(
                source, len(chunks), language, digest, manifest.mtimes[source], names))  # fmt: skip
        abstention = self.shared.abstention
        return IndexStatus(
            documents=documents,
            chunks=len(snapshot.chunks),
            languages=languages,
            indexed_at=manifest.indexed_at,
            embedding_model=manifest.embedding_model,
            changed_since=self._changed_since(manifest.files, manifest.mtimes),
            abstention={"threshold": abstention.threshold, "confident": abstention.confident},
        )

    def _changed_since(self, indexed: dict[str, str], mtimes: dict[str, float]) -> list[str]:
        """Documents added, changed (by mtime, then hash) or removed since the last index."""
        from bot.index.scan import hash_file

        try:
            files, _ = scan_knowledge(self.settings.knowledge_dir)
        except Exception:
            return []
        changed = []
        for source, path in files:
            modified = source in indexed and path.stat().st_mtime != mtimes.get(source)
            if source not in indexed or (modified and hash_file(path) != indexed[source]):
                changed.append(source)
        current = {source for source, _ in files}
        changed.extend(sorted(set(indexed) - current))
        return changed


@contextlib.contextmanager
def _one_indexer(settings: Settings) -> Iterator[None]:
    """Hold a lock file while indexing a local store, so runs from two processes (a watcher
    and a manual `guidebot index`) take turns: run together, each would switch to an index
    without the other's files, or drop the generation the other is building."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; index from one process at a time
        fcntl = None  # type: ignore[assignment]
    if settings.chroma_host or fcntl is None:
        yield
        return
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.store_dir / "index.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even on a crash
        yield


def build_engine(settings: Settings, chat_model: Any | None = None) -> Engine:
    """Wire the real collaborators; tests pass a fake chat model through the same path."""
    model = chat_model if chat_model is not None else load_chat_model(settings)
    embedder = load_embedder(settings.embedding_model, settings.cache_dir)
    return Engine(settings, open_store(settings), embedder, model)
