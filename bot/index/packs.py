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

from bot.ask.lexical import ChunkTerms
from bot.index.chunking import window_spans
from bot.index.modality import MODALITIES, modality_of
from bot.models import Chunk, Sentence, Window
from bot.sentences import sentence_spans

PACK_FORMAT = 2
SENTENCE_CHARS = 400  # a sentence is embedded from at most this many characters


@dataclass
class DocPack:
    """One document version as stored; rows of the vector arrays follow the lists."""

    key: str
    source: str
    doc_hash: str
    doc_mtime: float
    chunks: list[Chunk]
    windows: list[Window]
    sentences: list[Sentence]
    terms: ChunkTerms
    vectors: np.ndarray  # chunks, then windows, then sentences: (rows, d) float32

    @property
    def chunk_vectors(self) -> np.ndarray:
        return self.vectors[: len(self.chunks)]

    @property
    def window_vectors(self) -> np.ndarray:
        return self.vectors[len(self.chunks) : len(self.chunks) + len(self.windows)]

    @property
    def sentence_vectors(self) -> np.ndarray:
        return self.vectors[len(self.chunks) + len(self.windows) :]


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
        return cls(key, source, doc_hash, mtime, chunks, windows, sentences, terms)

    def texts(self) -> list[str]:
        """What is embedded: chunks (with their section), windows, sentences (truncated)."""
        by_id = {c.id: c for c in self.chunks}
        return (
            [c.indexed_text for c in self.chunks]
            + [by_id[w.chunk_id].text[w.start : w.end] for w in self.windows]
            + [by_id[s.chunk_id].text[s.start : s.end][:SENTENCE_CHARS] for s in self.sentences]
        )

    def with_vectors(self, vectors: np.ndarray) -> DocPack:
        return DocPack(
            self.key,
            self.source,
            self.doc_hash,
            self.doc_mtime,
            self.chunks,
            self.windows,
            self.sentences,
            self.terms,
            vectors,
        )


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _array(raw: str, dtype: Any, columns: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(raw), dtype=dtype).reshape(-1, columns)


def _int8(vectors: np.ndarray) -> dict[str, str]:
    """Rows as int8 times a float32 scale per row (the row's largest component / 127)."""
    scales = np.maximum(np.abs(vectors).max(axis=1, initial=0.0), 1e-12) / 127
    codes = np.rint(vectors / scales[:, None]).astype(np.int8)
    return {"sentence_vectors": _b64(codes), "sentence_scales": _b64(scales.astype(np.float32))}


def to_metadata(pack: DocPack) -> dict[str, Any]:
    """The record as Chroma metadata: strings and numbers only."""
    rows = {c.id: i for i, c in enumerate(pack.chunks)}
    windows = np.array([(rows[w.chunk_id], w.start, w.end) for w in pack.windows], np.int32)
    code: dict[str, int] = {m: i for i, m in enumerate(MODALITIES)}
    sentences = np.array(
        [(rows[s.chunk_id], s.start, s.end, code[s.modality]) for s in pack.sentences], np.int32
    )
    chunks = [[c.id, c.section, c.text, c.language, c.position] for c in pack.chunks]
    return {
        "format": PACK_FORMAT,
        "source": pack.source,
        "doc_hash": pack.doc_hash,
        "doc_mtime": pack.doc_mtime,
        "dim": int(pack.vectors.shape[1]) if pack.vectors.ndim == 2 else 0,
        "chunks": json.dumps(chunks, ensure_ascii=False),
        "windows": _b64(windows.reshape(-1, 3)),
        "sentences": _b64(sentences.reshape(-1, 4)),
        "vectors": _b64(pack.vectors[: len(pack.chunks) + len(pack.windows)].astype(np.float16)),
        **_int8(pack.sentence_vectors),
        "stems": json.dumps(pack.terms.stems, ensure_ascii=False),
        "stem_entries": _b64(pack.terms.stem_entries),
        "words": json.dumps(pack.terms.words, ensure_ascii=False),
        "long_entries": _b64(pack.terms.long_entries),
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
    ids = [c.id for c in chunks]
    windows = [Window(ids[r], s, e) for r, s, e in _array(meta["windows"], np.int32, 3).tolist()]
    sentences = [
        Sentence(ids[r], s, e, MODALITIES[m])
        for r, s, e, m in _array(meta["sentences"], np.int32, 4).tolist()
    ]
    dim = max(int(meta["dim"]), 1)
    vectors = np.concatenate(
        [
            _array(meta["vectors"], np.float16, dim).astype(np.float32),
            _array(meta["sentence_vectors"], np.int8, dim).astype(np.float32)
            * _array(meta["sentence_scales"], np.float32, 1),
        ]
    )
    if len(vectors) != len(chunks) + len(windows) + len(sentences):
        raise ValueError("record vectors do not match its chunks")
    terms = ChunkTerms(
        len(chunks),
        [c.language for c in chunks],
        list(json.loads(meta["stems"])),
        _array(meta["stem_entries"], np.int32, 3),
        list(json.loads(meta["words"])),
        _array(meta["long_entries"], np.int32, 3),
    )
    return DocPack(key, source, doc_hash, mtime, chunks, windows, sentences, terms, vectors)
