"""One index generation in memory: its manifest, chunks, and every vector search needs.

A generation is assembled from per-document records (bot/index/packs.py) that were computed at
index time: chunk, window and sentence vectors and each chunk's lexical analysis. Nothing here
embeds guideline text, so neither a question nor a review pays for the size of the index.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import numpy as np

from bot.ask.lexical import ChunkTerms
from bot.blas import one_thread
from bot.index.modality import MODALITIES
from bot.models import Chunk, Sentence, Window

T = TypeVar("T")


@dataclass
class Manifest:
    """What the active generation was built from, and which document records make it up."""

    generation: str
    embedding_model: str
    chunker: str
    chunk_chars: int
    indexed_at: float
    files: dict[str, str] = field(default_factory=dict)  # source -> content hash (indexed)
    mtimes: dict[str, float] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)  # source -> [hash, reason]
    rules: dict[str, Any] | None = None  # validated review-rules.yaml in force
    docs: dict[str, str] = field(default_factory=dict)  # source -> key of its stored records
    chunks: dict[str, int] = field(default_factory=dict)  # source -> chunks

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        return cls(**json.loads(raw))


def _empty() -> np.ndarray:
    return np.zeros((0, 0), np.float32)


def _no_spans(columns: int) -> np.ndarray:
    return np.zeros((0, columns), np.int32)


class _Spans(Sequence[T]):
    """Windows or sentences as a read-only list, made on access from one int32 array (rows:
    chunk index, start, end[, modality]): 70,000 sentence objects cost more to build at load
    than all their vectors cost to read."""

    def __init__(self, rows: np.ndarray, chunks: list[Chunk], make: Callable[..., T]) -> None:
        self._rows, self._chunks, self._make = rows, chunks, make

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._make(self._chunks, *self._rows[index].tolist())

    def __iter__(self) -> Iterator[T]:
        chunks, make = self._chunks, self._make
        return (make(chunks, *row) for row in self._rows.tolist())


def _window(chunks: list[Chunk], row: int, start: int, end: int) -> Window:
    return Window(chunks[row].id, start, end)


def _sentence(chunks: list[Chunk], row: int, start: int, end: int, modality: int) -> Sentence:
    return Sentence(chunks[row].id, start, end, MODALITIES[modality])


@dataclass
class Snapshot:
    """Every chunk of one generation with its vectors, loaded once for fast exact search.

    `window_rows` (chunk index, start, end) and `sentence_rows` (chunk index, start, end,
    modality code) are ordered by chunk, as `chunks` are; `windows` and `sentences` show them
    as records. Row i of `sentence_vectors` is `sentences[i]`'s vector. `terms` is the lexical
    analysis stored at index time (None: analyse the texts); `org_names` the organisation names
    stored per document (a document missing, or None: guess them from its chunks); `hub` each
    chunk's background profile (bot/ask/hubness.py; empty: dense scores are used as they are).
    """

    manifest: Manifest
    chunks: list[Chunk]
    vectors: np.ndarray  # (n, d), L2-normalised
    window_rows: np.ndarray = field(default_factory=lambda: _no_spans(3))
    window_vectors: np.ndarray = field(default_factory=_empty)
    sentence_rows: np.ndarray = field(default_factory=lambda: _no_spans(4))
    sentence_vectors: np.ndarray = field(default_factory=_empty)
    terms: ChunkTerms | None = None
    org_names: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    hub: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))

    def __post_init__(self) -> None:
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self.windows: Sequence[Window] = _Spans(self.window_rows, self.chunks, _window)
        self.sentences: Sequence[Sentence] = _Spans(self.sentence_rows, self.chunks, _sentence)
        self._window_owner = self.window_rows[:, 0].astype(np.int64)
        self.sentence_chunk = self.sentence_rows[:, 0].astype(np.int64)  # sentence -> chunk index
        starts = np.searchsorted(self._window_owner, np.arange(len(self.chunks) + 1))
        ordered = bool(np.all(np.diff(self._window_owner) >= 0))
        grouped = ordered and bool(np.all(np.diff(starts) > 0)) and len(self._window_owner) > 0
        self._window_start = starts[:-1] if grouped else None
        self._sentence_start = np.searchsorted(self.sentence_chunk, np.arange(len(self.chunks) + 1))

    def sentences_of(self, chunk_id: str) -> range:
        """Rows of `sentences` / `sentence_vectors` that belong to a chunk, in text order."""
        i = self.position[chunk_id]
        return range(int(self._sentence_start[i]), int(self._sentence_start[i + 1]))

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Per chunk, the mean of its own cosine and its best window's: the whole chunk keeps
        the section's topic, the window finds the one rule in a long chunk."""
        with one_thread():
            whole = self.vectors @ query
            scores = self.window_vectors @ query if len(self.windows) else whole
        if not len(self.windows):
            return whole
        if self._window_start is not None:  # every chunk has windows, in order: one pass
            return (whole + np.maximum.reduceat(scores, self._window_start)) / 2
        best = np.full(len(whole), -np.inf)
        np.maximum.at(best, self._window_owner, scores)
        return (whole + np.where(np.isfinite(best), best, whole)) / 2
