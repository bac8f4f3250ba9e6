"""Incremental indexing of the knowledge folder into a new store generation.

Only files whose content hash changed are loaded and embedded; unchanged chunks are copied with
their vectors. Nothing changed means nothing is written. A new embedding model or chunking
setting rebuilds everything. Bad files are reported and skipped; the rest is indexed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.embeddings import Embedder
from bot.index.chunking import CHUNKER_VERSION, chunk_document, window_spans
from bot.index.loaders import LoadError, load_document
from bot.index.report import FileReport, IndexReport
from bot.index.scan import RULES_FILE, hash_file, scan_knowledge
from bot.index.store import ChunkStore, Manifest, Snapshot
from bot.models import Chunk, Window

# Small batches, and a pause between them, let questions take the shared embedder while an
# index run embeds: tests/test_reindex_concurrent.py counts the answers given meanwhile.
EMBED_BATCH = 16
Progress = Callable[[int, int], None]  # (texts embedded so far, total to embed)
RulesValidator = Callable[[Path], dict[str, Any]]


def _settings_changed(manifest: Manifest, embedder: Embedder, settings: Settings) -> bool:
    return (
        manifest.embedding_model != embedder.name
        or manifest.chunker != CHUNKER_VERSION
        or manifest.chunk_chars != settings.chunk_chars
    )


def index_folder(
    settings: Settings,
    store: ChunkStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    validate_rules: RulesValidator | None = None,
) -> IndexReport:
    """Bring the store up to date with the knowledge folder; see the module docstring."""
    started = time.perf_counter()
    files, skipped = scan_knowledge(settings.knowledge_dir)
    old = store.manifest()
    full = rebuild or old is None or _settings_changed(old, embedder, settings)
    report = IndexReport(files=list(skipped), rebuilt=full)
    rules = _check_rules(settings.knowledge_dir, old, validate_rules, report)

    new_files: dict[str, str] = {}
    mtimes: dict[str, float] = {}
    failed: dict[str, list[str]] = {}
    keep: set[str] = set()
    fresh: list[Chunk] = []
    for source, path in files:
        try:
            digest, mtime = hash_file(path), path.stat().st_mtime
        except OSError as error:
            report.files.append(FileReport(source, "failed", reason=f"cannot read: {error}"))
            continue
        if not full and old is not None and old.files.get(source) == digest:
            new_files[source], mtimes[source] = digest, old.mtimes.get(source, mtime)
            keep.add(source)
            report.files.append(FileReport(source, "unchanged"))
            continue
        if not full and old is not None and old.failed.get(source, [""])[0] == digest:
            failed[source] = old.failed[source]
            reason = old.failed[source][1]
            report.files.append(FileReport(source, "failed", reason=reason))
            _keep_last_good(source, old, new_files, mtimes, keep, report)
            continue
        try:
            chunks = chunk_document(
                load_document(path), source, digest, mtime, settings.chunk_chars
            )
        except LoadError as error:
            failed[source] = [digest, str(error)]
            report.files.append(FileReport(source, "failed", reason=str(error)))
            if not full:
                _keep_last_good(source, old, new_files, mtimes, keep, report)
            continue
        new_files[source], mtimes[source] = digest, mtime
        fresh.extend(chunks)
        report.files.append(FileReport(source, "indexed", chunks=len(chunks)))

    removed = sorted(set(old.files) - set(new_files) - set(failed)) if old and not full else []
    report.files.extend(FileReport(source, "removed") for source in removed)
    rules_changed = old is None or rules != old.rules
    report.changed = bool(
        full or fresh or removed or rules_changed or (old and failed != old.failed)
    )
    if not report.changed and old is not None:
        report.total_chunks = store.count(old.generation)
        report.seconds = time.perf_counter() - started
        return report

    windows = [Window(c.id, *span) for c in fresh for span in window_spans(c.text)]
    by_id = {c.id: c for c in fresh}
    vectors = _embed(
        embedder,
        [c.indexed_text for c in fresh]
        + [by_id[w.chunk_id].text[w.start : w.end] for w in windows],
        progress,
    )
    manifest = Manifest(
        generation=store.create_generation(),
        embedding_model=embedder.name,
        chunker=CHUNKER_VERSION,
        chunk_chars=settings.chunk_chars,
        indexed_at=time.time(),
        files=new_files,
        mtimes=mtimes,
        failed=failed,
        rules=rules,
    )
    kept_chunks: list[Chunk] = []
    try:
        if keep and old is not None:
            kept = store.load(old.generation, sources=keep)
            store.add(manifest.generation, kept)
            kept_chunks = kept.chunks
        store.add(
            manifest.generation,
            Snapshot(manifest, fresh, vectors[: len(fresh)], windows, vectors[len(fresh) :]),
        )
        store.activate(manifest)
    except BaseException:
        # The half-built generation is never activated; drop it so readers keep the old one.
        store.drop_stale(keep={old.generation} if old else set())
        raise
    report.embedded_chunks = len(fresh)
    report.total_chunks = len(kept_chunks) + len(fresh)
    for entry in report.files:
        if entry.status == "unchanged":
            entry.chunks = sum(1 for c in kept_chunks if c.source == entry.source)
    report.seconds = time.perf_counter() - started
    return report


def _keep_last_good(
    source: str,
    old: Manifest | None,
    new_files: dict[str, str],
    mtimes: dict[str, float],
    keep: set[str],
    report: IndexReport,
) -> None:
    """A document whose new version cannot be read (a truncated upload, a bad save) stays in
    the index as it was, and the report says so, instead of vanishing from answers."""
    if old is None or source not in old.files:
        return
    new_files[source], mtimes[source] = old.files[source], old.mtimes.get(source, 0.0)
    keep.add(source)
    report.files[-1].reason += "; the last good version stays in the index"


def _embed(embedder: Embedder, texts: list[str], progress: Progress | None) -> np.ndarray:
    parts = []
    for i in range(0, len(texts), EMBED_BATCH):
        parts.append(embedder.embed(texts[i : i + EMBED_BATCH]))
        time.sleep(0.001)  # a waiting question gets the embedder's lock before the next batch
        if progress:
            progress(min(i + EMBED_BATCH, len(texts)), len(texts))
    return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _check_rules(
    knowledge: Path,
    old: Manifest | None,
    validate: RulesValidator | None,
    report: IndexReport,
) -> dict[str, Any] | None:
    """Validated review rules to store with the index; a broken file keeps the previous ones."""
    previous = old.rules if old else None
    path = knowledge / RULES_FILE
    if validate is None or not path.is_file():
        report.rules = "none"
        return None
    try:
        rules = validate(path)
    except Exception as error:  # RulesError names the line; anything else is still a bad file
        report.rules = "invalid"
        report.rules_error = str(error)
        return previous
    report.rules = "unchanged" if rules == previous else "loaded"
    return rules
