"""Chroma persistence: immutable per-document records, and generations that are lists of them.

Each indexed document version is one record (bot/index/packs.py) under a fresh key: its chunks,
windows, sentences, vectors and lexical analysis. A generation is a manifest naming the record of
every live document, so a re-index writes the changed documents only and switches by rewriting the
manifest in one metadata update: readers see the old generation or the new one, never half. The
previous generation stays readable for one more run; records no kept generation names are then
deleted. A ledger in the same metadata lists every record written, so even a crashed run's
leftovers are freed. The same code works against a local PersistentClient and a `chroma run`
server.

Records are stored as the metadata of one small collection each: there Chroma keeps a value
once, where record metadata is kept three times (row, string index, write-ahead log), and no
vector index is built that nothing would query (search runs on the vectors in memory).
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
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.errors import IndexMissingError, StoreCorruptError
from bot.index.chroma_file import read_metadata
from bot.index.packs import DocPack, assemble, from_metadata, to_metadata
from bot.index.snapshot import Manifest, Snapshot

__all__ = ["ChunkStore", "Manifest", "Snapshot", "open_client", "open_store"]

META_COLLECTION = "guidebot_meta"
GENERATION_PREFIX = "guidebot_chunks_"  # collections of the earlier layout (one per generation)
RECORD_PREFIX = "guidebot_doc_"
_LIST_PAGE = 100
_SEGMENT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
log = logging.getLogger(__name__)


def new_key() -> str:
    """A record key no other index run uses (a rebuild of the same file gets a new one)."""
    return uuid.uuid4().hex[:20]


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


class ChunkStore:
    """The index on disk or on a Chroma server (a damaged local one: see `set_aside`)."""

    def __init__(self, client: Any | None, location: str, settings: Settings) -> None:
        self._opened = client
        self.location = location
        self._settings = settings
        self._embedding = _NoDefaultEmbedding()
        self._cache: dict[str, DocPack] = {}  # the records of the last load, by name

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
        self._cache = {}
        stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
        return Path(shutil.move(path, path.with_name(f"chroma.damaged-{stamp}")))

    def _meta(self) -> Any:
        return self._client.get_or_create_collection(
            META_COLLECTION, metadata={"active": ""}, embedding_function=self._embedding
        )

    def _read_file(self, names: list[str]) -> dict[str, dict[str, Any]]:
        """Collection metadata read from a local store's file without chromadb (see
        bot/index/chroma_file.py); {} for a server, or when the file cannot be read so."""
        if self._settings.chroma_host:
            return {}
        found = read_metadata(self._settings.store_dir / "chroma" / "chroma.sqlite3", names)
        return found or {}

    def manifest(self) -> Manifest | None:
        """The active generation's manifest, or None when nothing was indexed yet."""
        try:
            metadata = self._read_file([META_COLLECTION]).get(META_COLLECTION)
            if metadata:
                try:
                    raw = metadata.get("manifest")
                    return Manifest.from_json(raw) if raw else None
                except (ValueError, KeyError, TypeError):
                    # read from outside chromadb while an index run switched generations:
                    # chromadb's own read is the judge of whether the store is damaged
                    log.debug("manifest read from the file was unreadable; using chromadb")
            raw = (self._meta().metadata or {}).get("manifest")
            return Manifest.from_json(raw) if raw else None
        except (ValueError, KeyError, TypeError) as error:
            raise StoreCorruptError(self.location, f"unreadable manifest: {error}") from error
        except BaseException as error:
            if not _store_failure(error) or "connect" in str(error).lower():
                raise
            raise StoreCorruptError(self.location, str(error)) from error

    def create_generation(self) -> str:
        """A name for a new generation (the manifest is the generation: nothing is created)."""
        return f"gen_{int(time.time())}_{uuid.uuid4().hex[:8]}"

    def _state(self) -> dict[str, Any]:
        return dict(self._meta().metadata or {})

    def reserve(self, keys: list[str]) -> None:
        """Enter records about to be written in the ledger, so a crash cannot leak them."""
        state = self._state()
        ledger = set(json.loads(state.get("ledger") or "[]")) | set(keys)
        self._meta().modify(metadata=state | {"ledger": json.dumps(sorted(ledger))})

    def write(self, pack: DocPack) -> None:
        """Store one document version's record (reserved first); not visible until activated."""
        self._client.create_collection(
            RECORD_PREFIX + pack.key, metadata=to_metadata(pack), embedding_function=self._embedding
        )

    def activate(self, manifest: Manifest) -> None:
        """Make a generation whose records are all written the one readers see (one metadata
        update), keep the one before it, and free every record neither names."""
        state = self._state()
        previous = state.get("manifest") or ""
        self._meta().modify(
            metadata=state
            | {"active": manifest.generation, "manifest": manifest.to_json(), "previous": previous}
        )
        self.discard_unreferenced()

    def discard_unreferenced(self) -> None:
        """Delete records that neither the active nor the previous generation names (a failed
        run's, or those two runs old), and collections of the earlier one-per-generation layout."""
        state = self._state()
        live: set[str] = set()
        for raw in (state.get("manifest"), state.get("previous")):
            if raw:
                live |= set(Manifest.from_json(raw).docs.values())
        ledger = set(json.loads(state.get("ledger") or "[]"))
        for key in sorted(ledger - live):
            with contextlib.suppress(Exception):  # already gone (another run freed it)
                self._client.delete_collection(RECORD_PREFIX + key)
        self._meta().modify(metadata=self._state() | {"ledger": json.dumps(sorted(ledger & live))})
        if state.get("legacy_checked") != "1":
            for collection in self._client.list_collections():
                name = collection if isinstance(collection, str) else collection.name
                if name.startswith(GENERATION_PREFIX):
                    self._client.delete_collection(name)
            self._meta().modify(metadata=self._state() | {"legacy_checked": "1"})
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

    def load(self, generation: str | None = None) -> Snapshot:
        """The active generation (or the named one, if it is still kept) in memory. A reader
        that lost a race to two index runs (its records already freed) reads the new one."""
        manifest, tries = self._wanted(generation), 3
        while True:
            if manifest is None or (manifest.files and not manifest.docs):
                raise IndexMissingError(self.location)  # nothing, or the earlier layout
            try:
                return assemble(manifest, self._read(manifest))
            except StoreCorruptError:
                now, tries = self.manifest(), tries - 1
                if generation or not tries or not now or now.generation == manifest.generation:
                    raise
                manifest = now

    def _wanted(self, generation: str | None) -> Manifest | None:
        if generation is None:
            return self.manifest()
        for raw in (self._state().get("manifest"), self._state().get("previous")):
            if raw and (manifest := Manifest.from_json(raw)).generation == generation:
                return manifest
        raise StoreCorruptError(self.location, f"generation {generation} is no longer kept")

    def _read(self, manifest: Manifest) -> list[DocPack]:
        """The records the manifest names, in source order. Records never change, so those of
        the last load are reused: after a one-file re-index a reader fetches one record. Many
        missing ones are read by listing pages (fewer round trips to a server), then one by one
        for any the listing missed while another run wrote."""
        wanted = {RECORD_PREFIX + key: key for key in manifest.docs.values()}
        found = {name: self._cache[name] for name in wanted if name in self._cache}
        try:
            direct = self._read_file([name for name in wanted if name not in found])
            for name, metadata in direct.items():
                found[name] = from_metadata(wanted[name], metadata)
            offset = 0
            while len(wanted) - len(found) > max(8, len(wanted) // 8):
                page = self._client.list_collections(limit=_LIST_PAGE, offset=offset)
                for collection in page:
                    if collection.name in wanted and collection.name not in found:
                        found[collection.name] = from_metadata(
                            wanted[collection.name], dict(collection.metadata or {})
                        )
                if len(page) < _LIST_PAGE:
                    break
                offset += _LIST_PAGE
            for name in set(wanted) - set(found):
                collection = self._client.get_collection(name, embedding_function=self._embedding)
                found[name] = from_metadata(wanted[name], dict(collection.metadata or {}))
        except BaseException as error:
            if not _store_failure(error):
                raise
            raise StoreCorruptError(self.location, str(error)) from error
        self._cache = found
        return sorted(found.values(), key=lambda pack: pack.source)


def open_store(settings: Settings) -> ChunkStore:
    location = (
        f"chroma://{settings.chroma_host}:{settings.chroma_port}"
        if settings.chroma_host
        else str(settings.store_dir)
    )
    if not settings.chroma_host:  # opened on first use: a reader may never need chromadb
        return ChunkStore(None, location, settings)
    try:
        client = open_client(settings)
    except StoreCorruptError:  # reported on first use; `guidebot index --rebuild` sets it aside
        client = None
    return ChunkStore(client, location, settings)
