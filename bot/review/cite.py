"""Finding the guideline passage that backs a finding.

A passage is a good citation when it is about the finding's topic (the category's guideline
vocabulary, matched densely in both languages and lexically with BM25) and close to the
offending sentence itself. The topic part is computed once per index snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from bot.ask.lexical import analyse
from bot.ask.retrieval import translate_terms
from bot.disk_cache import fixed_vectors
from bot.models import Language, Source
from bot.review.categories import CATEGORIES
from bot.review.thresholds import (
    DOCUMENT_BONUS,
    LANGUAGE_BONUS,
    LEXICAL_WEIGHT,
    NAME_BONUS,
    SENTENCE_LEXICAL_WEIGHT,
    SENTENCE_WEIGHT,
    TOPIC_WEIGHT,
)
from bot.review.vocabulary import load_vocabulary

SOURCES_PER_FINDING = 3
RULE_SENTENCES = 3  # guideline sentences per category that a draft sentence is compared with


class Citer:
    """Topic scores of every chunk of one snapshot, per category."""

    def __init__(self, retriever: Any) -> None:
        self.retriever = retriever
        snapshot = retriever.snapshot
        self.chunks = snapshot.chunks
        self.vectors = snapshot.vectors
        names = list(CATEGORIES)
        self.index = {name: i for i, name in enumerate(names)}
        if not self.chunks:
            self.rule_dense = self.rule_lexical = np.zeros((0, len(names)), dtype=np.float32)
            self.rule_sentences: dict[str, np.ndarray] = {}
            return
        self.rule_dense, self.rule_sentences = _rule_closeness(snapshot, names, retriever.embedder)
        self.rule_lexical = np.stack([self._lexical(CATEGORIES[n].topic) for n in names], axis=1)

    def _lexical(self, topic: Mapping[Language, str]) -> np.ndarray:
        lexical = self.retriever.lexical
        terms: list[str] = []
        for language in ("en", "de"):
            terms += analyse(topic[language], language, lexical.splitter)
            terms += translate_terms(topic[language], language)  # type: ignore[arg-type]
        scores = np.asarray(lexical.scores(terms), dtype=np.float32)
        best = float(scores.max()) if len(scores) else 0.0
        return scores / best if best > 0 else scores

    def _sentence_lexical(self, sentence: str, language: str) -> np.ndarray:
        """BM25 of the sentence's words, as a share of what a passage holding each of them
        once would score (about the sum of their idfs): a passage that shares only everyday
        words ("say", "next week") stays low instead of being scaled up to the best."""
        lexical = self.retriever.lexical
        terms = analyse(sentence, language, lexical.splitter)
        terms += translate_terms(sentence, language)  # type: ignore[arg-type]
        scores = np.asarray(lexical.scores(terms), dtype=np.float32)
        known = [t for t in dict.fromkeys(terms) if lexical.knows(t)]
        ideal = sum(lexical.idf_weights(known))
        return np.minimum(scores / ideal, 1.0) if ideal > 0 else scores

    def document_prior(self, draft: str) -> np.ndarray:
        """Per chunk, how much its document is the one whose rules bind this draft: that of
        the organisation it names anywhere (the offending sentence itself often does not)."""
        return self.retriever.organisation_prior(draft, DOCUMENT_BONUS)

    def cite(self, category: str, unit_vector: np.ndarray | None, sentence: str, found: str,
             language: str, prior: np.ndarray, k: int = SOURCES_PER_FINDING
             ) -> list[Source]:  # fmt: skip
        """The k best passages for a finding, from k different sections; `prior` is the
        draft's `document_prior`."""
        if not self.chunks:
            return []
        column = self.index[category]
        scores = (
            TOPIC_WEIGHT * self.rule_dense[:, column]
            + LEXICAL_WEIGHT * self.rule_lexical[:, column]
        )
        if unit_vector is not None:
            scores += SENTENCE_WEIGHT * (self.vectors @ unit_vector)
        scores += SENTENCE_LEXICAL_WEIGHT * self._sentence_lexical(sentence, language)
        scores += LANGUAGE_BONUS * np.array([c.language == language for c in self.chunks])
        name = found.strip()
        if 3 <= len(name) <= 40 and re.search(r"\w", name):
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
            scores += NAME_BONUS * np.array([bool(pattern.search(c.text)) for c in self.chunks])
        scores += prior
        order = np.argsort(-scores)[:k]
        return [_source(self.chunks[i], float(scores[i])) for i in order]

    def support(self, unit_vectors: np.ndarray) -> dict[str, np.ndarray]:
        """Per category and draft unit: closeness to the guideline's own statements of the rule,
        relative to the unit's closeness to the statements of all rules."""
        if not self.rule_sentences:
            return {}
        raw = {
            name: (unit_vectors @ vectors.T).max(axis=1)
            for name, vectors in self.rule_sentences.items()
            if len(vectors)
        }
        mean = np.mean(list(raw.values()), axis=0)
        return {name: values - mean for name, values in raw.items()}

    def for_text(self, vector: np.ndarray, k: int = 3) -> list[Source]:
        """Passages closest to a whole draft: the context for an LLM or an "ok" verdict."""
        if not self.chunks:
            return []
        scores = self.vectors @ vector
        order = np.argsort(-scores)[:k]
        return [_source(self.chunks[i], float(scores[i])) for i in order]


def _rule_closeness(
    snapshot: Any, names: list[str], embedder: Any
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(chunks, categories): how close the chunk's best sentence is to the category's rules;
    and per category the vectors of the guideline sentences that state it best."""
    chunks = snapshot.chunks  # sentence vectors were stored at index time; those of 20+ chars
    long = snapshot.sentence_rows[:, 2] - snapshot.sentence_rows[:, 1] >= 20  # end - start
    keep = long | ~np.isin(snapshot.sentence_chunk, snapshot.sentence_chunk[long])
    owner, vectors = snapshot.sentence_chunk[keep], snapshot.sentence_vectors[keep]
    result = np.zeros((len(chunks), len(names)), dtype=np.float32)
    statements: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        prototypes = fixed_vectors(embedder, list(load_vocabulary().prototypes[name]))
        sims = np.sort(vectors @ prototypes.T, axis=1)[:, -2:].mean(axis=1)
        best = np.full(len(chunks), -1.0, dtype=np.float32)
        np.maximum.at(best, owner, sims)
        result[:, j] = best
        statements[name] = vectors[np.argsort(-sims)[:RULE_SENTENCES]]
    return result, statements


def _source(chunk: Any, score: float) -> Source:
    return Source.of(chunk, score)
