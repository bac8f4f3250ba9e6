"""A linear ranker over named features, with weights fitted offline and stored as JSON.

Ask re-orders passages with one (bot/ask/rerank.py) and the review chooses the passage it
cites with another (bot/review/cite.py); both were fitted as conditional-logit models, so a
softmax over one query's candidates reads as the probability that each is the right one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class LinearRanker:
    features: tuple[str, ...]
    weights: np.ndarray  # one per feature, in that order

    def scores(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights

    def likelihoods(self, x: np.ndarray) -> np.ndarray:
        """The candidates' scores as the probability of each being the right one."""
        scores = self.scores(x)
        shifted = np.exp(scores - scores.max())
        return np.asarray(shifted / shifted.sum())


@lru_cache(maxsize=4)
def load_ranker(path: Path, features: tuple[str, ...]) -> LinearRanker:
    """The weights stored at `path`; a missing feature is a clear error naming the file."""
    weights = json.loads(path.read_text(encoding="utf-8"))["weights"]
    missing = [name for name in features if name not in weights]
    if missing:
        raise ValueError(f"{path}: no weight for {', '.join(missing)}; refit it (bench/)")
    return LinearRanker(features, np.array([float(weights[name]) for name in features]))
