"""A learned risk model: how likely a draft breaks a rule, and which kind of rule.

Word lists grown from labelled drafts do not carry over to a new company's guidelines; a plain
logistic model over sentence embeddings does (issue 11 measured ROC AUC 0.81 on unseen
guidelines with no word list at all). This module turns a draft into features that are the same
for every organisation (the multilingual embedding of the whole draft, the element-wise maximum
over its sentences, and a few general signals: numbers, dates, institutional "we", names,
links) and applies per-head logistic weights trained by `scripts/train_risk_model.py` on the
drafts in `scripts/training/` (never on an evaluation set). Head "risky" decides ok vs not ok;
one head per category names the finding. The training drafts nearest to a new one add their
vote to p(risky) (`Neighbours`). Inference is a few dot products.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

RISKY = "risky"
MODEL_RESOURCE = "risk_model.npz"

_NUMBER = re.compile(r"\d")
_MONEY = re.compile(r"[€$£%]|\b(?:EUR|USD|Mio|Mrd|million|billion|percent|Prozent)\b", re.I)
_TIME = re.compile(
    r"\b(?:next|tomorrow|soon|upcoming|Q[1-4]|morgen|nächste[nrs]?|bald|demnächst|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januar|februar|märz|juni|juli|oktober|dezember)\b",
    re.I,
)
_WE = re.compile(r"\b(?:we|our|us|wir|unser\w*|uns)\b", re.I)
_NAME = re.compile(r"(?<=[a-zäöüß,;:] )[A-ZÄÖÜ][\w-]+")
_LINK = re.compile(r"https?://|www\.")
_TAG = re.compile(r"(?<!\w)[#@]\w")


def evidence(text: str) -> np.ndarray:
    """General signals of risky posts, the same in any organisation (0..1 each)."""
    words = max(1, len(text.split()))
    return np.array(
        [
            min(1.0, len(_NUMBER.findall(text)) / 4),
            float(bool(_MONEY.search(text))),
            float(bool(_TIME.search(text))),
            min(1.0, len(_WE.findall(text)) / 3),
            min(1.0, 5 * len(_NAME.findall(text)) / words),
            float(bool(_LINK.search(text))),
            min(1.0, len(_TAG.findall(text)) / 3),
            min(1.0, np.log1p(len(text)) / 7),
            float("?" in text),
        ],
        dtype=np.float32,
    )


def features(whole: np.ndarray, units: np.ndarray, text: str) -> np.ndarray:
    """The model's input for one draft: its vector, the max over its units' vectors, signals."""
    pooled = units.max(axis=0) if len(units) else whole
    return np.concatenate([whole, pooled, evidence(text)]).astype(np.float32)


@dataclass(frozen=True)
class Neighbours:
    """The training drafts' vectors and labels: nearest-neighbour evidence beside the heads.

    A linear head draws one boundary through the whole embedding space; some violations sit in
    small pockets of it (a patient story, a loan object photographed). The drafts nearest to a
    new one, weighted by closeness and by class (so either class counts as much as in the
    balanced heads), say how often such drafts were risky. The vote is averaged with p(risky).
    """

    vectors: np.ndarray  # (drafts, dim) unit vectors (float32; stored as int8)
    risky: np.ndarray  # (drafts,) bool
    weight: np.ndarray  # (drafts,) what each draft counted in training
    k: int
    sharpness: float  # closeness weight exp(sharpness * cosine)
    share: float  # the vote's share of the blended p(risky)

    @cached_property
    def _class_totals(self) -> tuple[float, float]:
        risky = float((self.weight * self.risky).sum()) or 1.0
        return risky, float((self.weight * ~self.risky).sum()) or 1.0

    def vote(self, whole: np.ndarray) -> float:
        """Class-balanced share of risky drafts among the k nearest to `whole`."""
        query = whole / (np.linalg.norm(whole) or 1.0)
        cosines = self.vectors @ query.astype(np.float32)
        nearest = np.argpartition(-cosines, min(self.k, len(cosines) - 1))[: self.k]
        closeness = self.weight[nearest] * np.exp(self.sharpness * cosines[nearest])
        risky = self.risky[nearest]
        total_risky, total_ok = self._class_totals
        for_risk = float(closeness[risky].sum()) / total_risky
        against = float(closeness[~risky].sum()) / total_ok
        return for_risk / (for_risk + against) if for_risk + against > 0 else 0.5

    def blended(self, p_risky: float, x: np.ndarray) -> float:
        """The head's p(risky) averaged with the vote; the draft's own vector leads `x`."""
        vote = self.vote(x[: self.vectors.shape[1]])
        return (1 - self.share) * p_risky + self.share * vote


def quantised(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors as int8 (x 127): a quarter of the size, cosines within 1 %."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.round(unit * 127).astype(np.int8)


@dataclass(frozen=True)
class RiskModel:
    heads: tuple[str, ...]  # "risky" first, then categories
    weights: np.ndarray  # (heads, features)
    bias: np.ndarray  # (heads,)
    threshold: float  # on p(risky): at or above it the draft is not ok
    neighbours: Neighbours | None = None

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.weights @ x + self.bias
        p = 1.0 / (1.0 + np.exp(-z))
        result = dict(zip(self.heads, (float(v) for v in p), strict=True))
        if self.neighbours is not None:
            result[RISKY] = self.neighbours.blended(result[RISKY], x)
        return result

    def category_scores(self, xs: np.ndarray, category: str) -> np.ndarray:
        """p(category) for several feature rows (e.g. each sentence on its own)."""
        row = self.heads.index(category)
        return 1.0 / (1.0 + np.exp(-(xs @ self.weights[row] + self.bias[row])))

    @property
    def categories(self) -> tuple[str, ...]:
        return self.heads[1:]


def save_model(path: Path, heads: list[str], weights: np.ndarray, bias: np.ndarray,
               threshold: float, provenance: dict[str, object],
               neighbours: Neighbours | None = None) -> None:  # fmt: skip
    extra: dict[str, np.ndarray] = {}
    if neighbours is not None:
        extra = {
            "neighbour_vectors": quantised(neighbours.vectors),
            "neighbour_risky": neighbours.risky.astype(bool),
            "neighbour_weight": neighbours.weight.astype(np.float32),
            "neighbour_params": np.array(
                [neighbours.k, neighbours.sharpness, neighbours.share], dtype=np.float32
            ),
        }
    arrays: dict[str, np.ndarray] = {
        "heads": np.array(heads),
        "weights": weights.astype(np.float32),
        "bias": bias.astype(np.float32),
        "threshold": np.array(threshold, dtype=np.float32),
        "provenance": np.array(json.dumps(provenance)),
        **extra,
    }
    np.savez_compressed(path, allow_pickle=False, **arrays)


@lru_cache(maxsize=2)
def load_risk_model(path: Path | None = None) -> RiskModel:
    """The shipped model (package data), or one at `path` (a retrained candidate)."""
    source = path or resources.files("bot.review") / "data" / MODEL_RESOURCE
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        heads = tuple(str(h) for h in data["heads"])
        if not heads or heads[0] != RISKY:
            raise ValueError(f"{source}: the first head must be {RISKY!r}")
        neighbours = None
        if "neighbour_vectors" in data:
            k, sharpness, share = (float(v) for v in data["neighbour_params"])
            vectors = data["neighbour_vectors"].astype(np.float32) / 127.0
            neighbours = Neighbours(vectors, data["neighbour_risky"],
                                    data["neighbour_weight"], int(k), sharpness, share)  # fmt: skip
        return RiskModel(heads, data["weights"], data["bias"], float(data["threshold"]),
                         neighbours)  # fmt: skip
