"""Finding the guideline passage that backs a finding.

A passage is a good citation when it is about the finding's topic (the category's guideline
vocabulary, matched densely in both languages and lexically with BM25) and close to the
offending sentence itself. The topic part is computed once per index snapshot. A weighted sum
of these picks the 20 best candidates; a learned ranker then reads them together with signals
of their single sentences (the company rule closest to the offending sentence and to the
category, the closest sentence and rule sentence, the sentence sharing most of its words) and
orders them. Its weights (bot/review/data/citation_ranker.json) are a conditional-logit model
fitted by `bench/fit_citation_ranker.py` on the development draft sets, leave-one-folder-out
figures in BENCHMARKS.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bot.ask.lexical import analyse, idf_share
from bot.ask.retrieval import translate_terms
from bot.disk_cache import fixed_vectors
from bot.index.modality import MODALITIES, NORMATIVE
from bot.models import Language, Source
from bot.ranking import LinearRanker, load_ranker
from bot.review.categories import CATEGORIES
from bot.review.rulebook import RuleBook
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
CANDIDATES = 20  # passages the learned ranker orders
MODEL_FILE = Path(__file__).resolve().parent / "data" / "citation_ranker.json"
PARTS = (  # the hand-weighted first pass, each part also a feature of the ranker
    ("topic_dense", TOPIC_WEIGHT),  # closeness to the category's guideline vocabulary
    ("topic_lexical", LEXICAL_WEIGHT),  # BM25 of that vocabulary, normalised by the best chunk
    ("sentence_dense", SENTENCE_WEIGHT),  # closeness to the offending sentence
    ("sentence_lexical", SENTENCE_LEXICAL_WEIGHT),  # BM25 of its words
    ("same_language", LANGUAGE_BONUS),
    ("names_found", NAME_BONUS),  # the passage names the very thing found ("#Werbung")
    ("document_prior", 1.0),  # the draft names the organisation of the passage's document
)
FEATURES = (
    "first_pass",  # the weighted sum of PARTS
    *(name for name, _ in PARTS),
    "rule_fit",  # the rule book's best sentence for this category and sentence (rulebook.py)
    "rule_affinity",  # how close that passage's closest rule is to the category
    "sentence_cosine",  # the passage's sentence closest to the offending one
    "rule_cosine",  # its normative sentence closest to the offending one
    "sentence_overlap",  # the largest share of the offending sentence's words in one sentence
    "reciprocal_rank",  # 1 / (first-pass rank + 1)
)
_RULES = np.array(sorted(MODALITIES.index(m) for m in NORMATIVE))


class Citer:
    """Topic scores of every chunk of one snapshot, per category."""

    def __init__(self, retriever: Any, rulebook: RuleBook, ranker: LinearRanker | None = None
                 ) -> None:  # fmt: skip
        self.retriever = retriever
        self.rulebook = rulebook
        self.ranker = ranker or load_ranker(MODEL_FILE, FEATURES)
        snapshot = retriever.snapshot
        self.snapshot = snapshot
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
        """The k passages most likely to hold the rule a finding breaks, each with that rule
        sentence and the ranker's probability as its score; `prior` is the draft's
        `document_prior`."""
        if not self.chunks:
            return []
        vector = unit_vector if unit_vector is not None else np.zeros(self.vectors.shape[1])
        rows, x = self.candidates(category, unit_vector, sentence, found, language, prior)
        likely = self.ranker.likelihoods(x)
        chosen = np.argsort(-likely, kind="stable")[:k]
        return [self.rulebook.with_rule(_source(self.chunks[int(rows[j])], float(likely[j])),
                                        category, vector) for j in chosen]  # fmt: skip

    def candidates(self, category: str, unit_vector: np.ndarray | None, sentence: str,
                   found: str, language: str, prior: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """The first pass's best chunks (rows) and one row of FEATURES for each."""
        parts = self._parts(category, unit_vector, sentence, found, language, prior)
        first = parts @ np.array([weight for _, weight in PARTS])
        rows = np.argsort(-first, kind="stable")
        if (prior >= 0).any():  # a rule of another organisation never binds this draft
            rows = rows[prior[rows] >= 0]
        rows = rows[:CANDIDATES]
        snapshot, rulebook, retriever = self.snapshot, self.rulebook, self.retriever
        vector = unit_vector if unit_vector is not None else np.zeros(self.vectors.shape[1])
        words = dict.fromkeys(retriever.lexical.query_terms(sentence, language), 1.0)
        column = rulebook.column[category]
        x = np.zeros((len(rows), len(FEATURES)))
        for rank, row in enumerate(rows):
            sentences = snapshot.sentences_of(self.chunks[int(row)].id)
            cosine = snapshot.sentence_vectors[sentences.start : sentences.stop] @ vector
            normative = np.isin(snapshot.sentence_rows[sentences.start : sentences.stop, 3], _RULES)
            rules = rulebook.rows_of(self.chunks[int(row)].id)
            overlap = [idf_share(words, retriever.sentence_terms(i)) for i in sentences]
            x[rank] = (
                first[row],
                *parts[row],
                float(rulebook.fit(rules, category, vector).max()) if rules else 0.0,
                float(rulebook.affinity[rules, column].max()) if rules else 0.0,
                float(cosine.max()) if len(cosine) else 0.0,
                float(cosine[normative].max()) if normative.any() else 0.0,
                max(overlap, default=0.0),
                1.0 / (rank + 1),
            )
        return rows, x

    def _parts(self, category: str, unit_vector: np.ndarray | None, sentence: str, found: str,
               language: str, prior: np.ndarray) -> np.ndarray:  # fmt: skip
        """(chunks, PARTS): each chunk's value of every part of the first pass."""
        column = self.index[category]
        n = len(self.chunks)
        names = np.zeros(n)
        name = found.strip()
        if 3 <= len(name) <= 40 and re.search(r"\w", name):
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
            names = np.array([bool(pattern.search(c.text)) for c in self.chunks], dtype=float)
        return np.stack([
            self.rule_dense[:, column],
            self.rule_lexical[:, column],
            self.vectors @ unit_vector if unit_vector is not None else np.zeros(n),
            self._sentence_lexical(sentence, language),
            np.array([c.language == language for c in self.chunks], dtype=float),
            names,
            prior,
        ], axis=1)  # fmt: skip

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
