"""Is a question answered by the retrieved guidelines? A small calibrated logistic model.

Four signals, each general across documents: how similar the best passage is (dense cosine);
how much of the question's rare vocabulary the guidelines use at all (a question about "VPN"
or "parental leave" whose key word no guideline contains is not covered, however close the
topic); and how close the question is to the nearest of ~120 everyday questions that
guidelines never answer (HR, IT, expenses, platform how-to, reach: bot/ask/data/
offtopic_questions.txt). The last one tells "how many characters may a LinkedIn post have?"
from "may I post this on LinkedIn?", which look alike to passage similarity alone. And how
close the best single sentence of those passages is: a rule answers in one sentence, while a
question on a neighbouring topic the guidelines never settle ("alt text", "a raffle on our
page") is only close to whole sections. The off-topic closeness is the closer of the whole
question and of its content words alone: in a short question the frame ("how do i", "wie kann
ich") can weigh as much as the topic and hide an everyday question behind a posting frame, or
make a posting question look like an everyday one; either reading that is close to the bank
counts.
Weights are fitted by `bench/calibrate_abstention.py` on labelled questions and stored in
bot/ask/data/abstention.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.ask.lexical import content_words
from bot.disk_cache import fixed_vectors
from bot.embeddings import Embedder

DATA = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA / "abstention.json"
OFFTOPIC_FILE = DATA / "offtopic_questions.txt"
FEATURES = ("dense", "sentence", "known", "offtopic")


@dataclass(frozen=True)
class AbstentionModel:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5  # below: "not covered", a confident call
    confident: float = 0.5  # at or above: a plain answer; between the two: answered, hedged

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights[name] * features[name] for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-z))

    def covered(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def sure(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.confident


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> AbstentionModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return AbstentionModel(
        weights={name: float(data["weights"][name]) for name in FEATURES},
        bias=float(data["bias"]),
        threshold=float(data.get("threshold", 0.5)),
        confident=float(data.get("confident", data.get("threshold", 0.5))),
    )


@dataclass(frozen=True)
class OffTopicBank:
    """Everyday questions no guideline answers, embedded whole and as their content words."""

    whole: np.ndarray
    content: np.ndarray


def offtopic_bank(embedder: Embedder, path: Path = OFFTOPIC_FILE) -> OffTopicBank:
    """The everyday off-topic questions, embedded (read from the embedder's cache after the
    first process: they change only with the bank file, which is part of the cache key)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    questions = [line for line in lines if line.strip() and not line.startswith("#")]
    return OffTopicBank(
        fixed_vectors(embedder, questions),
        fixed_vectors(embedder, [content_words(q) for q in questions]),
    )
