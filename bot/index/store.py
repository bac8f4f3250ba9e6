"""Chroma persistence with generations: an index run builds a new collection aside, then switches.

A small meta collection names the active generation and holds the manifest (file hashes,
settings that shaped the index). Readers always open the active generation, so a half-built or
failed run is never seen; the previous generation is kept one run longer for readers that still
hold it. The same code works against a local PersistentClient and a `chroma run` server.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.errors import IndexMissingError, StoreCorruptError
from bot.models import Chunk, Window

META_COLLECTION = "guidebot_meta"
GENERATION_PREFIX = "guidebot_chunks_"
# Exact-recall HNSW settings measured in NOTES.md (default ones reached recall@5 of only 0.71).
HNSW = {"space": "cosine", "max_neighbors": 32, "ef_construction": 400, "ef_search": 400}
_PAGE = 2000
_SEGMENT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
log = logging.getLogger(__name__)


@dataclass
class Manifest:
    """What the active generation was built from."""

    generation: str
    embedding_model: str
    chunker: str
    chunk_chars: int
    indexed_at: float
    files: dict[str, str] = field(default_factory=dict)  # source -> content hash (indexed)
    mtimes: dict[str, float] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)  # source -> [hash, reason]
    rules: dict[str, Any] | None = None  # validated review-rules.yaml in force

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        return cls(**json.loads(raw))


@dataclass
class Snapshot:
    """Every chunk of one generation with its vectors, loaded once for fast exact search."""

    manifest: Manifest
    chunks: list[Chunk]
    vectors: np.ndarray  # (n, d), L2-normalised
    windows: list[Window] = field(default_factory=list)
    window_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))

    def __post_init__(self) -> None:
        position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self._window_owner = np.array([position[w.chunk_id] for w in self.windows], dtype=int)

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Per chunk, the mean of its own cosine and its best window's: the whole chunk keeps
        the section's topic, the window finds the one rule in a long chunk."""
        whole = self.vectors @ query
        if not self.windows:
            return whole
        best = np.full(len(whole), -np.inf)
        np.maximum.at(best, self._window_owner, self.window_vectors @ query)
        return (whole + np.where(np.isfinite(best), best, whole)) / 2


class _NoDefaultEmbedding:
    """Stands in for Chroma's default embedding function, which would download a model.

    guidebot always hands Chroma precomputed vectors; if anything asks Chroma to embed text
    itself, this fails loudly instead of reaching for the network.
    """

    def __call__(self, input: list[str]) -> list[np.ndarray]:
        raise RuntimeError("guidebot passes precomputed embeddings; Chroma must not embed text")

    @staticmethod
    def name() -> str:
        return "guidebot-precomputed"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _NoDefaultEmbedding:
        return _NoDefaultEmbedding()

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


def _store_failure(error: BaseException) -> bool:
    """An error of chromadb's, including Rust panics on a damaged sqlite file: pyo3 raises those
    as PanicException, a BaseException that `except Exception` would let through as a traceback."""
    panic = type(error).__name__ == "PanicException"
    return not isinstance(error, StoreCorruptError) and (isinstance(error, Exception) or panic)


def _forget_client(path: Path) -> None:
    """chromadb caches one system per path, even one that failed to start: drop it, so the
    next client (e.g. after a rebuild moved the damaged folder aside) really opens anew."""
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    with contextlib.suppress(Exception):  # a system that never started cannot stop cleanly
        if system is not None:
            system.stop()


def open_client(settings: Settings) -> Any:
    """A Chroma client for the configured store: a server when CHROMA_HOST is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    path = settings.store_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except BaseException as error:  # chromadb raises many kinds on a damaged sqlite or segment
        if not _store_failure(error):
            raise
        _forget_client(path)
        raise StoreCorruptError(str(settings.store_dir), str(error)) from error


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "kind": "chunk",
        "source": chunk.source,
        "section": chunk.section,
        "language": chunk.language,
        "position": chunk.position,
        "doc_hash": chunk.doc_hash,
        "doc_mtime": chunk.doc_mtime,
    }


def _chunk_from(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        source=str(meta["source"]),
        section=str(meta["section"]),
        text=text,
        language="de" if meta.get("language") == "de" else "en",
        position=int(meta["position"]),
        doc_hash=str(meta["doc_hash"]),
        doc_mtime=float(meta["doc_mtime"]),
    )


class ChunkStore:
    """The index on disk or on a Chroma server (a damaged local one: see `set_aside`)."""

    def __init__(self, client: Any | None, location: str, settings: Settings) -> None:
        self._opened = client
        self.location = location
        self._settings = settings
        self._embedding = _NoDefaultEmbedding()

    @property
    def _client(self) -> Any:
        if self._opened is None:
            self._opened = open_client(self._settings)  # StoreCorruptError again if still bad
        return self._opened

    def set_aside(self) -> Path | None:
        """Move a damaged local store aside (kept for inspection) so a rebuild starts empty;
        the folder's new path, or None for a Chroma server, which is not ours to move."""
        if self._settings.chroma_host:
            return None
        path = self._settings.store_dir / "chroma"
        _forget_client(path)
        self._opened = None
        stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
        return Path(shutil.move(path, path.with_name(f"chroma.damaged-{stamp}")))

    def _meta(self) -> Any:
        return self._client.get_or_create_collection(
            META_COLLECTION, metadata={"active": ""}, embedding_function=self._embedding
        )

    def manifest(self) -> Manifest | None:
        """The active generation's manifest, or None when nothing was indexed yet."""
        try:
            metadata = self._meta().metadata or {}
            raw = metadata.get("manifest")
            return Manifest.from_json(raw) if raw else None
        except (ValueError, KeyError, TypeError) as error:
            raise StoreCorruptError(self.location, f"unreadable manifest: {error}") from error
        except BaseException as error:
            if not _store_failure(error) or "connect" in str(error).lower():
                raise
            raise StoreCorruptError(self.location, str(error)) from error

    def create_generation(self) -> str:
        name = f"{GENERATION_PREFIX}{int(time.time())}_{uuid.uuid4().hex[:8]}"
        self._client.create_collection(
            name, configuration={"hnsw": HNSW}, embedding_function=self._embedding
        )
        return name

    def add(self, generation: str, snapshot: Snapshot) -> None:
        """Store chunks and their windows (a snapshot's, or freshly embedded ones)."""
        collection = self._client.get_collection(generation, embedding_function=self._embedding)
        chunks = {c.id: c for c in snapshot.chunks}
        records = [
            (c.id, c.text, _chunk_metadata(c), vector)
            for c, vector in zip(snapshot.chunks, snapshot.vectors, strict=True)
        ] + [
            (
                f"{w.chunk_id}:{w.start}",
                chunks[w.chunk_id].text[w.start : w.end],
                {"kind": "window", "chunk": w.chunk_id, "start": w.start, "end": w.end}
                | {"source": chunks[w.chunk_id].source},
                vector,
            )
            for w, vector in zip(snapshot.windows, snapshot.window_vectors, strict=True)
        ]
        for i in range(0, len(records), _PAGE):
            ids, documents, metadatas, vectors = zip(*records[i : i + _PAGE], strict=True)
            collection.add(
                ids=list(ids),
                documents=list(documents),
                metadatas=list(metadatas),
                embeddings=np.stack(vectors),
            )

    def activate(self, manifest: Manifest) -> None:
        """Make a fully built generation the one readers see, then drop stale ones."""
        meta = self._meta()
        previous = (meta.metadata or {}).get("active", "")
        meta.modify(metadata={"active": manifest.generation, "manifest": manifest.to_json()})
        self.drop_stale(keep={manifest.generation, previous})

    def drop_stale(self, keep: set[str]) -> None:
        keep = keep | {(self._meta().metadata or {}).get("active", "")}  # never the live one
        for collection in self._client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(GENERATION_PREFIX) and name not in keep:
                self._client.delete_collection(name)
        self._remove_orphan_segments()

    def _remove_orphan_segments(self) -> None:
        """Chroma forgets a deleted collection but leaves its segment folder on disk (one per
        re-index, growing the store forever): remove folders no segment refers to any more."""
        if self._settings.chroma_host:
            return
        root = self._settings.store_dir / "chroma"
        try:
            with contextlib.closing(sqlite3.connect(root / "chroma.sqlite3")) as db:
                live = {row[0] for row in db.execute("SELECT id FROM segments")}
            for folder in root.iterdir():
                if folder.is_dir() and _SEGMENT.fullmatch(folder.name) and folder.name not in live:
                    shutil.rmtree(folder, ignore_errors=True)
        except (sqlite3.Error, OSError) as error:  # tidying up must never fail an index run
            log.warning("could not remove old index segments: %s", error)

    def count(self, generation: str) -> int:
        """Chunks (not windows) in a generation."""
        collection = self._client.get_collection(generation, embedding_function=self._embedding)
        return len(collection.get(where={"kind": "chunk"}, include=[])["ids"])

    def load(self, generation: str | None = None, sources: set[str] | None = None) -> Snapshot:
        """All chunks and vectors of the active generation (or only of `sources`). A reader that
        lost a race to two index runs (its generation already dropped) reads the new one."""
        manifest, tries = self.manifest(), 3
        while True:
            if manifest is None:
                raise IndexMissingError(self.location)
            try:
                return self._read(manifest, generation or manifest.generation, sources)
            except StoreCorruptError:
                now, tries = self.manifest(), tries - 1
                if generation or not tries or not now or now.generation == manifest.generation:
                    raise
                manifest = now

    def _read(self, manifest: Manifest, name: str, sources: set[str] | None) -> Snapshot:
        try:
            collection = self._client.get_collection(name, embedding_function=self._embedding)
            chunks: list[Chunk] = []
            vectors: list[np.ndarray] = []
            windows: list[tuple[Window, np.ndarray]] = []
            where = {"source": {"$in": sorted(sources)}} if sources else None
            offset = 0
            while True:
                page = collection.get(
                    include=["documents", "metadatas", "embeddings"],
                    where=where,
                    limit=_PAGE,
                    offset=offset,
                )
                for chunk_id, text, meta, vector in zip(
                    page["ids"],
                    page["documents"],
                    page["metadatas"],
                    page["embeddings"],
                    strict=True,
                ):
                    vector = np.asarray(vector, dtype=np.float32)
                    if meta.get("kind") == "window":
                        span = Window(str(meta["chunk"]), int(meta["start"]), int(meta["end"]))
                        windows.append((span, vector))
                    else:
                        chunks.append(_chunk_from(chunk_id, text, meta))
                        vectors.append(vector)
                if len(page["ids"]) < _PAGE:
                    break
                offset += _PAGE
        except BaseException as error:
            if not _store_failure(error):
                raise
            raise StoreCorruptError(self.location, str(error)) from error
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source, chunks[i].position))
        return Snapshot(
            manifest,
            [chunks[i] for i in order],
            _matrix([vectors[i] for i in order]),
            [w for w, _ in windows],
            _matrix([v for _, v in windows]),
        )


def _matrix(vectors: list[np.ndarray]) -> np.ndarray:
    return np.stack(vectors) if vectors else np.zeros((0, 0), np.float32)


def open_store(settings: Settings) -> ChunkStore:
    location = (
        f"chroma://{settings.chroma_host}:{settings.chroma_port}"
        if settings.chroma_host
        else str(settings.store_dir)
    )
    try:
        client = open_client(settings)
    except StoreCorruptError:  # reported on first use; `guidebot index --rebuild` sets it aside
        client = None
    return ChunkStore(client, location, settings)
