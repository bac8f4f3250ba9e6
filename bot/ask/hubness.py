"""Hubness correction for dense scores: some passages are close to every question.

An FAQ block ("**Can I post …?**") or a document's introduction resembles almost any question
an employee asks, so on raw cosine it tops questions it does not answer. In high-dimensional
embeddings such "hubs" are a known effect (Radovanović et al., 2010); the usual cure reads
each candidate's score against how close it is to queries in general (the local scaling of
CSLS, Conneau et al., 2018). Here a chunk's dense score becomes a z-score against its
similarities to a background of ordinary employee questions about posting
(data/background_questions.txt, written without sight of any labelled or blind question).

A chunk's profile (mean and spread over the background) depends only on its own vectors, so it
is computed at index time and stored in the document's record (bot/index/packs.py).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.embeddings import Embedder

BACKGROUND = Path(__file__).resolve().parent / "data" / "background_questions.txt"
SPREAD_FLOOR = 1e-3  # a chunk equally close to every background question is not infinitely sure


@lru_cache(maxsize=1)
def background_questions() -> tuple[str, ...]:
    lines = BACKGROUND.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def background_version() -> str:
    """Short hash of the background: a new one means stored profiles are stale."""
    return hashlib.sha256("\n".join(background_questions()).encode()).hexdigest()[:10]


def background_vectors(embedder: Embedder) -> np.ndarray:
    """The background questions' vectors (L2-normalised rows), embedded once per index run."""
    vectors = embedder.embed(list(background_questions()))
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def chunk_similarities(
    chunk_vectors: np.ndarray,
    window_vectors: np.ndarray,
    window_owner: np.ndarray,
    queries: np.ndarray,
) -> np.ndarray:
    """(chunks, queries) similarity as search scores it: the mean of the chunk's own cosine and
    its best window's (bot/index/snapshot.py `Snapshot.similarity`)."""
    whole = chunk_vectors @ queries.T
    if not len(window_vectors):
        return whole
    best = np.full(whole.shape, -np.inf, dtype=whole.dtype)
    np.maximum.at(best, window_owner, window_vectors @ queries.T)
    return (whole + np.where(np.isfinite(best), best, whole)) / 2


def profile(similarities: np.ndarray) -> np.ndarray:
    """Per chunk, (mean, spread) of its similarities to the background questions."""
    if not similarities.size:
        return np.zeros((len(similarities), 2), np.float32)
    mean = similarities.mean(axis=1)
    spread = np.maximum(similarities.std(axis=1), SPREAD_FLOOR)
    return np.stack([mean, spread], axis=1).astype(np.float32)


def standardise(dense: np.ndarray, profiles: np.ndarray) -> np.ndarray:
    """Dense scores as z-scores against each chunk's background profile."""
    if len(profiles) != len(dense):
        return dense
    return (dense - profiles[:, 0]) / profiles[:, 1]
