"""What the engine answers and reviews with: the models that never change (`Shared`) and one
index snapshot's collaborators (`Toolkit`), built by the one factory `build_toolkit`.

Only what a question needs is built eagerly; the review side (reviewer, risk model, category
vectors) is built by the first review, because a one-shot `guidebot ask` never reviews.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.ask.abstention import AbstentionModel, OffTopicBank, load_model, offtopic_bank
from bot.ask.answering import Answerer
from bot.ask.retrieval import Retriever
from bot.config import Settings
from bot.embeddings import Embedder
from bot.index.snapshot import Snapshot
from bot.llm import LlmGate

if TYPE_CHECKING:  # the review side is imported when a review first needs it
    from bot.review.engine import Reviewer
    from bot.review.risk import RiskModel


class Toolkit:
    """What one index snapshot answers and reviews with.

    The reviewer is built on first use: a question never needs it, and building it compares
    every guideline sentence with every category (about a second at 10,000 chunks), which a
    one-shot `guidebot ask` should not pay. `guidebot serve` builds it while warming up.
    """

    def __init__(self, retriever: Retriever, answerer: Answerer,
                 make_reviewer: Callable[[], Reviewer]) -> None:  # fmt: skip
        self.retriever = retriever
        self.answerer = answerer
        self._make_reviewer = make_reviewer
        self._reviewer: Reviewer | None = None
        self._lock = threading.Lock()

    @property
    def reviewer(self) -> Reviewer:
        if self._reviewer is None:
            with self._lock:  # two first reviews on two threads build it once
                if self._reviewer is None:
                    self._reviewer = self._make_reviewer()
        return self._reviewer

    @property
    def has_reviewer(self) -> bool:
        return self._reviewer is not None

    @property
    def generation(self) -> str:
        return self.retriever.generation


def build_toolkit(snapshot: Snapshot, shared: Shared, settings: Settings,
                  chat_model: Any | None, gate: LlmGate) -> Toolkit:  # fmt: skip
    """The one factory of per-snapshot collaborators."""
    retriever = Retriever(snapshot, shared.embedder)
    answerer = Answerer(retriever, shared.abstention, shared.offtopic, settings, chat_model, gate)

    def make_reviewer() -> Reviewer:
        from bot.review.engine import Reviewer
        from bot.review.rules import Rules

        return Reviewer(
            retriever,
            Rules.from_data(snapshot.manifest.rules),
            shared.embedder,
            shared.risk,
            shared.categories,
            settings,
            chat_model,
            gate,
        )

    return Toolkit(retriever, answerer, make_reviewer)


@dataclass(frozen=True)
class Shared:
    """What does not change with the index: the embedder and the models shipped as data.
    The review's (risk model, category vectors) are loaded by the first review."""

    embedder: Embedder
    abstention: AbstentionModel
    offtopic: OffTopicBank

    @classmethod
    def load(cls, embedder: Embedder) -> Shared:
        return cls(embedder, load_model(), offtopic_bank(embedder))

    @cached_property
    def risk(self) -> RiskModel:
        from bot.review.risk import load_risk_model

        return load_risk_model()

    @cached_property
    def categories(self) -> tuple[list[str], np.ndarray]:
        from bot.review.rulebook import category_vectors

        return category_vectors(self.embedder)
