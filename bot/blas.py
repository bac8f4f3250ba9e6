"""One BLAS thread for the matrix products a question makes.

OpenBLAS starts a thread per core for every product; on two shared cores a 3,000 x 512
matrix-vector product then took 4.5 ms instead of 0.12 ms on one thread, and 35,000 x 512 took
15 ms instead of 8 ms (measured; the threads wait for each other and for other processes).
Query-time products are memory-bound anyway, so one thread is the fast choice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # without it, products use OpenBLAS's default threads
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run the block's numpy products on a single BLAS thread."""
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
