"""Is a question answered by the retrieved guidelines? A small calibrated logistic model.

Two signals, each general across documents: how similar the best passage is (dense cosine),
and how much of the question's rare vocabulary the guidelines use at all (a question about
"VPN" or "parental leave" whose key word no guideline contains is not covered, however close
the topic). Sentence-level similarity and term coverage of the top passages were measured
too and added nothing on held-out data (BENCHMARKS.md). Weights are fitted by
`bench/calibrate_abstention.py` on labelled questions and stored in bot/data/abstention.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "abstention.json"
FEATURES = ("dense", "known")


@dataclass(frozen=True)
class AbstentionModel:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights[name] * features[name] for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-z))

    def covered(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> AbstentionModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return AbstentionModel(
        weights={name: float(data["weights"][name]) for name in FEATURES},
        bias=float(data["bias"]),
        threshold=float(data.get("threshold", 0.5)),
    )
