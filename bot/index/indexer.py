"""Incremental indexing of the knowledge folder into a new store generation.

Only files whose content hash changed are loaded and embedded, each into one new record (chunks,
sentence windows, sentences with their modality, vectors, lexical terms: bot/index/packs.py);
unchanged files keep their records untouched, and the new generation is a manifest naming them
all. Nothing changed means nothing is written. A new embedding model or chunking setting
rebuilds everything. Bad files are reported and skipped; the rest is indexed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bot.ask import hubness
from bot.config import Settings
from bot.embeddings import Embedder
from bot.index.chunking import CHUNKER_VERSION, chunk_document
from bot.index.loaders import LOADER_VERSION, LoadError, load_document
from bot.index.modality import grammar_version
from bot.index.packs import PACK_FORMAT, PackDraft
from bot.index.report import FileReport, IndexReport
from bot.index.scan import EXAMPLES_FILE, RULES_FILE, hash_file, scan_knowledge
from bot.index.store import ChunkStore, Manifest, new_key

# Small batches, and a pause between them, let questions take the shared embedder while an
# index run embeds: tests/test_reindex_concurrent.py counts the answers given meanwhile.
EMBED_BATCH = 16
Progress = Callable[[int, int], None]  # (texts embedded so far, total to embed)
RulesValidator = Callable[[Path, Path], dict[str, Any]]  # (rules file, examples file)
# What shaped the stored records: new loaders, chunker or record format rebuild everything.
INDEX_FORMAT = (
    f"{LOADER_VERSION}+{CHUNKER_VERSION}+records-{PACK_FORMAT}+hub-{hubness.background_version()}"
    f"+modality-{grammar_version()}"
)


def _settings_changed(manifest: Manifest, embedder: Embedder, settings: Settings) -> bool:
    return (
        manifest.embedding_model != embedder.name
        or manifest.chunker != INDEX_FORMAT
        or manifest.chunk_chars != settings.chunk_chars
        or bool(manifest.files and not manifest.docs)  # a store of the earlier layout
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
    docs: dict[str, str] = {}
    counts: dict[str, int] = {}
    drafts: list[PackDraft] = []
    for source, path in files:
        try:
            digest, mtime = hash_file(path), path.stat().st_mtime
        except OSError as error:
            report.files.append(FileReport(source, "failed", reason=f"cannot read: {error}"))
            continue
        if not full and old is not None and old.files.get(source) == digest:
            new_files[source], mtimes[source] = digest, old.mtimes.get(source, mtime)
            docs[source], counts[source] = old.docs[source], old.chunks.get(source, 0)
            report.files.append(FileReport(source, "unchanged", chunks=counts[source]))
            continue
        if not full and old is not None and old.failed.get(source, [""])[0] == digest:
            failed[source] = old.failed[source]
            reason = old.failed[source][1]
            report.files.append(FileReport(source, "failed", reason=reason))
            _keep_last_good(source, old, new_files, mtimes, docs, counts, report)
            continue
        try:
            chunks = chunk_document(
                load_document(path), source, digest, mtime, settings.chunk_chars
            )
        except LoadError as error:
            failed[source] = [digest, str(error)]
            report.files.append(FileReport(source, "failed", reason=str(error)))
            if not full:
                _keep_last_good(source, old, new_files, mtimes, docs, counts, report)
            continue
        new_files[source], mtimes[source] = digest, mtime
        drafts.append(PackDraft.of(new_key(), source, digest, mtime, chunks))
        docs[source], counts[source] = drafts[-1].key, len(chunks)
        report.files.append(FileReport(source, "indexed", chunks=len(chunks)))

    removed = sorted(set(old.files) - set(new_files) - set(failed)) if old and not full else []
    report.files.extend(FileReport(source, "removed") for source in removed)
    rules_changed = old is None or rules != old.rules
    report.changed = bool(
        full or drafts or removed or rules_changed or (old and failed != old.failed)
    )
    report.total_chunks = sum(counts.values())
    if not report.changed and old is not None:
        report.seconds = time.perf_counter() - started
        return report

    manifest = Manifest(
        generation=store.create_generation(),
        embedding_model=embedder.name,
        chunker=INDEX_FORMAT,
        chunk_chars=settings.chunk_chars,
        indexed_at=time.time(),
        files=new_files,
        mtimes=mtimes,
        failed=failed,
        rules=rules,
        docs=docs,
        chunks=counts,
    )
    store.reserve([draft.key for draft in drafts])
    try:
        embedded = _Counter(sum(len(d.texts()) for d in drafts), progress)
        background = hubness.background_vectors(embedder) if drafts else np.zeros((0, 1))
        for draft in drafts:
            store.write(draft.with_vectors(_embed(embedder, draft.texts(), embedded), background))
        store.activate(manifest)
    except BaseException:
        # The half-built generation is never activated; its records go, readers keep the old one.
        store.discard_unreferenced()
        raise
    report.embedded_chunks = sum(len(d.chunks) for d in drafts)
    report.seconds = time.perf_counter() - started
    return report


def _keep_last_good(
    source: str,
    old: Manifest | None,
    new_files: dict[str, str],
    mtimes: dict[str, float],
    docs: dict[str, str],
    counts: dict[str, int],
    report: IndexReport,
) -> None:
    """A document whose new version cannot be read (a truncated upload, a bad save) stays in
    the index as it was, and the report says so, instead of vanishing from answers."""
    if old is None or source not in old.files or source not in old.docs:
        return
    new_files[source], mtimes[source] = old.files[source], old.mtimes.get(source, 0.0)
    docs[source], counts[source] = old.docs[source], old.chunks.get(source, 0)
    report.files[-1].reason += "; the last good version stays in the index"


class _Counter:
    """Progress over all texts of a run, reported batch by batch."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def add(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)


def _embed(embedder: Embedder, texts: list[str], counter: _Counter) -> np.ndarray:
    parts = []
    for i in range(0, len(texts), EMBED_BATCH):
        parts.append(embedder.embed(texts[i : i + EMBED_BATCH]))
        time.sleep(0.001)  # a waiting question gets the embedder's lock before the next batch
        counter.add(len(parts[-1]))
    return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _check_rules(
    knowledge: Path,
    old: Manifest | None,
    validate: RulesValidator | None,
    report: IndexReport,
) -> dict[str, Any] | None:
    """Validated review rules to store with the index; a broken file keeps the previous ones."""
    previous = old.rules if old else None
    path, examples = knowledge / RULES_FILE, knowledge / EXAMPLES_FILE
    if validate is None or not (path.is_file() or examples.is_file()):
        report.rules = "none"
        return None
    try:
        rules = validate(path, examples)
    except Exception as error:  # RulesError names the line; anything else is still a bad file
        report.rules = "invalid"
        report.rules_error = str(error)
        return previous
    report.rules = "unchanged" if rules == previous else "loaded"
    return rules
