"""A conditional-logit ranker fit: which one of a group's candidates is an answer.

Shared by bench/fit_quote_ranker.py (sentences) and bench/fit_passage_ranker.py (passages).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize


def fit_ranker(groups: Sequence[tuple[np.ndarray, np.ndarray]], l2: float) -> np.ndarray:
    """Weights maximising the likelihood that one of a group's answers ranks first (softmax over
    the group's candidates, L2-regularised); `groups` holds (features, 1 where an answer)."""
    usable = [(x, y) for x, y in groups if y.any() and not y.all()]
    width = next((x.shape[1] for x, _ in groups), 0)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, gradient = 0.5 * l2 * w @ w, l2 * w
        for x, y in usable:
            s = x @ w
            s -= s.max()
            p = np.exp(s) / np.exp(s).sum()
            pos = p * y
            total -= math.log(pos.sum())
            gradient = gradient + x.T @ (p - pos / pos.sum())
        return total, gradient

    result = minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B")
    return np.asarray(result.x)


def save_ranker(path: Path, features: Sequence[str], weights: np.ndarray,
                fitted_on: Sequence[str], script: str, write: bool) -> None:  # fmt: skip
    """Print the fitted weights and, with `write`, store them where the bot reads them."""
    print("weights:", {f: round(float(v), 3) for f, v in zip(features, weights, strict=True)})
    if write:
        model = {
            "chosen": f"bench/{Path(script).name} on the sets below (conditional logit, L2 1)",
            "weights": {f: round(float(v), 4) for f, v in zip(features, weights, strict=True)},
            "fitted_on": list(fitted_on),
        }
        path.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print("wrote", path)
