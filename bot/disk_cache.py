"""What every process would otherwise recompute at start: the parsed USE tokenizer and the
vectors of texts that ship with guidebot (the off-topic bank, category descriptions, rule
prototypes) or come with the rules (review examples).

Both are pure functions of their inputs, so a file keyed by a hash of those inputs can stand in
for the work: the tokenizer by the package version and its model file's hash, a list of texts
by the model name and the texts themselves. Files are written atomically (a reader never sees
half of one) and anything unreadable or unexpected is ignored and rebuilt: a cache may make a
start faster, never make it fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")
CACHE_VERSION = "1"  # part of every key: a change to what is cached starts afresh


class _Embeds(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def digest(*parts: str | bytes) -> str:
    """A key for a cache file: sha256 over the parts, each length-prefixed (no collisions by
    moving a boundary: ["ab", "c"] and ["a", "bc"] differ)."""
    sha = hashlib.sha256(CACHE_VERSION.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old one or the whole new one, never a part; a
    failure (read-only disk, full disk) is logged and otherwise ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError as error:
        log.info("could not write cache file %s: %s", path, error)


def cached_object(path: Path, build: Callable[[], T], kind: type) -> T:
    """The pickled object at `path` if it is there and of the expected type, else `build()`,
    stored for next time. The cache folder is the user's own, like a virtualenv: its files are
    trusted as much as the code that reads them."""
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
        if isinstance(value, kind):
            return value  # type: ignore[return-value]
        log.info("cache file %s holds a %s, not a %s; rebuilding", path, type(value), kind)
    except FileNotFoundError:
        pass
    except Exception as error:  # truncated, from another Python, anything: rebuild it
        log.info("cache file %s is unreadable (%s); rebuilding", path, error)
    value = build()
    write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


class VectorCache:
    """Vectors of fixed lists of texts, one .npy file per (model, texts). `model` names the
    exact model (package version, weights file), not just its setting: new weights under the
    same name must not read the old vectors."""

    def __init__(self, root: Path, model: str) -> None:
        self.root = Path(root)
        self.model = model

    def embed(self, embedder: _Embeds, texts: list[str]) -> np.ndarray:
        """What `embedder.embed(texts)` returns, read from the cache when it was stored."""
        path = self.root / "vectors" / f"{digest(self.model, *texts)}.npy"
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.dtype == np.float32 and vectors.ndim == 2 and len(vectors) == len(texts):
                return vectors
            log.info("cache file %s does not fit its texts; rebuilding", path)
        except FileNotFoundError:
            pass
        except Exception as error:
            log.info("cache file %s is unreadable (%s); rebuilding", path, error)
        vectors = embedder.embed(texts)
        if isinstance(vectors, np.ndarray) and vectors.dtype == np.float32 and vectors.ndim == 2:
            buffer = io.BytesIO()
            np.save(buffer, vectors, allow_pickle=False)
            write_atomic(path, buffer.getvalue())
        return vectors


def fixed_vectors(embedder: Any, texts: list[str]) -> np.ndarray:
    """Vectors of texts that do not change between processes: from the embedder's cache when it
    has one (`vector_cache`, set by `load_embedder`), else embedded. Wrappers and fakes have
    none, so what they return is never stored under a real model's name."""
    cache = getattr(embedder, "vector_cache", None)
    if isinstance(cache, VectorCache):
        return cache.embed(embedder, texts)
    return embedder.embed(texts)  # type: ignore[no-any-return]
