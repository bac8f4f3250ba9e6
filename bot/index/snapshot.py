"""One index generation in memory: its manifest, chunks, and every vector search needs.

A generation is assembled from per-document records (bot/index/packs.py) that were computed at
index time: chunk, window and sentence vectors and each chunk's lexical analysis. Nothing here
embeds guideline text, so neither a question nor a review pays for the size of the index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.ask.lexical import ChunkTerms
from bot.blas import one_thread
from bot.models import Chunk, Sentence, Window


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


@dataclass
class Snapshot:
    """Every chunk of one generation with its vectors, loaded once for fast exact search.

    `windows` and `sentences` are ordered by their chunk (as `chunks` are); `sentence_vectors`
    row i is `sentences[i]`'s vector. `terms` is the stored lexical analysis (None: analyse
    the texts).
    """

    manifest: Manifest
    chunks: list[Chunk]
    vectors: np.ndarray  # (n, d), L2-normalised
    windows: list[Window] = field(default_factory=list)
    window_vectors: np.ndarray = field(default_factory=_empty)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_vectors: np.ndarray = field(default_factory=_empty)
    terms: ChunkTerms | None = None

    def __post_init__(self) -> None:
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self._window_owner = self._owners([w.chunk_id for w in self.windows])
        starts = np.searchsorted(self._window_owner, np.arange(len(self.chunks) + 1))
        grouped = bool(np.all(np.diff(self._window_owner) >= 0)) and bool(
            np.all(np.diff(starts) > 0)
        )
        self._window_start = starts[:-1] if grouped and len(self.windows) else None
        self.sentence_chunk = self._owners([s.chunk_id for s in self.sentences])
        self._sentence_start = np.searchsorted(self.sentence_chunk, np.arange(len(self.chunks) + 1))

    def _owners(self, chunk_ids: list[str]) -> np.ndarray:
        return np.array([self.position[c] for c in chunk_ids], dtype=np.int64)

    def sentences_of(self, chunk_id: str) -> range:
        """Rows of `sentences` / `sentence_vectors` that belong to a chunk, in text order."""
        i = self.position[chunk_id]
        return range(int(self._sentence_start[i]), int(self._sentence_start[i + 1]))

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Per chunk, the mean of its own cosine and its best window's: the whole chunk keeps
        the section's topic, the window finds the one rule in a long chunk."""
        with one_thread():
            whole = self.vectors @ query
            scores = self.window_vectors @ query if self.windows else whole
        if not self.windows:
            return whole
        if self._window_start is not None:  # every chunk has windows, in order: one pass
            return (whole + np.maximum.reduceat(scores, self._window_start)) / 2
        best = np.full(len(whole), -np.inf)
        np.maximum.at(best, self._window_owner, scores)
        return (whole + np.where(np.isfinite(best), best, whole)) / 2
