"""The stored records of one document version: chunks, windows, sentences, vectors, terms.

Everything a reader needs of a document is computed once, at index time, and written as one
immutable record keyed by a fresh key; an unchanged document keeps its record across index
runs, so a re-index writes only what changed and a reader only decodes arrays. Vectors are kept
as float16 (half the bytes, cosine error ~1e-4, far below any score margin that matters); the
record is plain strings and numbers, so it lives in Chroma whether local or a shared server.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.ask import hubness
from bot.ask.lexical import ChunkTerms
from bot.index.chunking import window_spans
from bot.index.modality import MODALITIES, modality_of
from bot.index.snapshot import Manifest, Snapshot
from bot.models import Chunk, Sentence, Window
from bot.orgnames import guess_org_names
from bot.sentences import sentence_spans

PACK_FORMAT = 3
SENTENCE_CHARS = 400  # a sentence is embedded from at most this many characters


@dataclass
class DocPack:
    """One document version as stored, arrays kept as encoded (decoded once, into a snapshot).

    `window_rows` (chunk, start, end) and `sentence_rows` (chunk, start, end, modality code)
    count chunks within this document; `dense` holds the chunk then the window vectors.
    `org_names` are the organisation names the document is about (bot/orgnames.py), guessed
    at index time because guessing them over every document cost seconds per process; None
    for a record written before they were stored. `hub` holds each chunk's background profile
    (bot/ask/hubness.py).
    """

    key: str
    source: str
    doc_hash: str
    doc_mtime: float
    chunks: list[Chunk]
    window_rows: np.ndarray  # (k, 3) int32
    sentence_rows: np.ndarray  # (k, 4) int32
    terms: ChunkTerms
    dense: np.ndarray  # (chunks + windows, d) float16
    sentence_codes: np.ndarray  # (sentences, d) int8
    sentence_scales: np.ndarray  # (sentences, 1) float32
    hub: np.ndarray  # (chunks, 2) float32: mean and spread of similarity to the background
    org_names: tuple[str, ...] | None = None


@dataclass
class PackDraft:
    """A document's records before embedding: what to embed, in the order of the vectors."""

    key: str
    source: str
    doc_hash: str
    doc_mtime: float
    chunks: list[Chunk]
    windows: list[Window]
    sentences: list[Sentence]
    terms: ChunkTerms
    org_names: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, key: str, source: str, doc_hash: str, mtime: float, chunks: list[Chunk]
    ) -> PackDraft:
        windows = [Window(c.id, *span) for c in chunks for span in window_spans(c.text)]
        sentences = [
            Sentence(c.id, start, end, modality_of(c.text[start:end]))
            for c in chunks
            for start, end in sentence_spans(c.text)
        ]
        terms = ChunkTerms.of([c.indexed_text for c in chunks], [c.language for c in chunks])
        names = guess_org_names(chunks)
        return cls(key, source, doc_hash, mtime, chunks, windows, sentences, terms, names)

    def texts(self) -> list[str]:
        """What is embedded: chunks (with their section), windows, sentences (truncated)."""
        by_id = {c.id: c for c in self.chunks}
        return (
            [c.indexed_text for c in self.chunks]
            + [by_id[w.chunk_id].text[w.start : w.end] for w in self.windows]
            + [by_id[s.chunk_id].text[s.start : s.end][:SENTENCE_CHARS] for s in self.sentences]
        )

    def with_vectors(self, vectors: np.ndarray, background: np.ndarray) -> DocPack:
        """The record, given the vectors of `texts()` in order and the background questions'
        (bot/ask/hubness.py)."""
        rows = {c.id: i for i, c in enumerate(self.chunks)}
        code: dict[str, int] = {m: i for i, m in enumerate(MODALITIES)}
        windows = [(rows[w.chunk_id], w.start, w.end) for w in self.windows]
        sentences = [(rows[s.chunk_id], s.start, s.end, code[s.modality]) for s in self.sentences]
        split = len(self.chunks) + len(self.windows)
        codes, scales = _int8(vectors[split:])
        owner = np.array([rows[w.chunk_id] for w in self.windows], np.int64)
        n = len(self.chunks)
        similarities = hubness.chunk_similarities(vectors[:n], vectors[n:split], owner, background)
        return DocPack(
            self.key,
            self.source,
            self.doc_hash,
            self.doc_mtime,
            self.chunks,
            np.array(windows, np.int32).reshape(-1, 3),
            np.array(sentences, np.int32).reshape(-1, 4),
            self.terms,
            vectors[:split].astype(np.float16),
            codes,
            scales,
            hubness.profile(similarities),
            self.org_names,
        )


def _int8(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 times a float32 scale per row (the row's largest component / 127)."""
    scales = np.maximum(np.abs(vectors).max(axis=1, initial=0.0), 1e-12) / 127
    codes = np.rint(vectors / scales[:, None]).astype(np.int8)
    return codes, scales.astype(np.float32).reshape(-1, 1)


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _array(raw: str, dtype: Any, columns: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(raw), dtype=dtype).reshape(-1, columns)


def to_metadata(pack: DocPack) -> dict[str, Any]:
    """The record as Chroma metadata: strings and numbers only."""
    chunks = [[c.id, c.section, c.text, c.language, c.position] for c in pack.chunks]
    return {
        "format": PACK_FORMAT,
        "source": pack.source,
        "doc_hash": pack.doc_hash,
        "doc_mtime": pack.doc_mtime,
        "dim": int(pack.dense.shape[1]) if pack.dense.ndim == 2 else 0,
        "chunks": json.dumps(chunks, ensure_ascii=False),
        "windows": _b64(pack.window_rows),
        "sentences": _b64(pack.sentence_rows),
        "vectors": _b64(pack.dense),
        "sentence_vectors": _b64(pack.sentence_codes),
        "sentence_scales": _b64(pack.sentence_scales),
        "stems": json.dumps(pack.terms.stems, ensure_ascii=False),
        "stem_entries": _b64(pack.terms.stem_entries),
        "words": json.dumps(pack.terms.words, ensure_ascii=False),
        "long_entries": _b64(pack.terms.long_entries),
        "org_names": json.dumps(list(pack.org_names or ()), ensure_ascii=False),
        "hub": _b64(pack.hub),
    }


def from_metadata(key: str, meta: dict[str, Any]) -> DocPack:
    """Decode a stored record; ValueError/KeyError/TypeError when it is not one."""
    if meta.get("format") != PACK_FORMAT:
        raise ValueError(f"unknown record format {meta.get('format')!r}")
    source, doc_hash, mtime = str(meta["source"]), str(meta["doc_hash"]), float(meta["doc_mtime"])
    chunks = [
        Chunk(
            id=str(cid),
            source=source,
            section=str(section),
            text=str(text),
            language="de" if language == "de" else "en",
            position=int(position),
            doc_hash=doc_hash,
            doc_mtime=mtime,
        )
        for cid, section, text, language, position in json.loads(meta["chunks"])
    ]
    dim = max(int(meta["dim"]), 1)
    windows = _array(meta["windows"], np.int32, 3)
    sentences = _array(meta["sentences"], np.int32, 4)
    dense = _array(meta["vectors"], np.float16, dim)
    codes = _array(meta["sentence_vectors"], np.int8, dim)
    scales = _array(meta["sentence_scales"], np.float32, 1)
    hub = _array(meta["hub"], np.float32, 2)
    if len(dense) != len(chunks) + len(windows) or not len(codes) == len(scales) == len(sentences):
        raise ValueError("record vectors do not match its chunks")
    if len(hub) != len(chunks):
        raise ValueError("record profiles do not match its chunks")
    terms = ChunkTerms(
        len(chunks),
        [c.language for c in chunks],
        list(json.loads(meta["stems"])),
        _array(meta["stem_entries"], np.int32, 3),
        list(json.loads(meta["words"])),
        _array(meta["long_entries"], np.int32, 3),
    )
    stored = meta.get("org_names")  # absent from records of earlier versions
    names = tuple(str(n) for n in json.loads(stored)) if stored is not None else None
    return DocPack(
        key,
        source,
        doc_hash,
        mtime,
        chunks,
        windows,
        sentences,
        terms,
        dense,
        codes,
        scales,
        hub,
        names,
    )


def assemble(manifest: Manifest, packs: list[DocPack]) -> Snapshot:
    """One snapshot from its documents' records: each array decoded once, into its place."""
    chunks = [c for p in packs for c in p.chunks]
    dim = next((p.dense.shape[1] for p in packs if len(p.dense)), 0)
    n_windows = sum(len(p.window_rows) for p in packs)
    vectors = np.empty((len(chunks), dim), np.float32)
    window_vectors = np.empty((n_windows, dim), np.float32)
    sentence_vectors = np.empty((sum(len(p.sentence_rows) for p in packs), dim), np.float32)
    window_rows, sentence_rows = [], []
    at_chunk = at_window = at_sentence = 0
    for pack in packs:
        n, w, s = len(pack.chunks), len(pack.window_rows), len(pack.sentence_rows)
        vectors[at_chunk : at_chunk + n] = pack.dense[:n]
        window_vectors[at_window : at_window + w] = pack.dense[n:]
        np.multiply(
            pack.sentence_codes,
            pack.sentence_scales,
            out=sentence_vectors[at_sentence : at_sentence + s],
        )
        window_rows.append(pack.window_rows + np.array([at_chunk, 0, 0], np.int32))
        sentence_rows.append(pack.sentence_rows + np.array([at_chunk, 0, 0, 0], np.int32))
        at_chunk, at_window, at_sentence = at_chunk + n, at_window + w, at_sentence + s
    return Snapshot(
        manifest,
        chunks,
        vectors,
        np.concatenate(window_rows) if packs else np.zeros((0, 3), np.int32),
        window_vectors,
        np.concatenate(sentence_rows) if packs else np.zeros((0, 4), np.int32),
        sentence_vectors,
        ChunkTerms.join([p.terms for p in packs]),
        {p.source: p.org_names for p in packs},
        np.concatenate([p.hub for p in packs]) if packs else np.zeros((0, 2), np.float32),
    )
