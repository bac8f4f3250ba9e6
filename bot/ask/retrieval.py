"""Hybrid retrieval over one index snapshot: BM25 and multilingual dense vectors, fused.

BM25 finds exact guideline words (codenames, "#Werbung", "Hatch Act"); the multilingual
embedding finds paraphrases and crosses German/English. A bilingual glossary translates the
question's guideline terms so BM25 can also speak to documents in the other language, and a
small table turns Slack-speak ("pics", "my boss") into the words guidelines use.
Dense search is exact (a dot product over all vectors in memory): at 10k chunks it beat
Chroma's HNSW index (1.6 ms against 3.3 ms, bench/SPEED.md); at 100k HNSW's top-5 is faster, but
fusion needs every chunk's dense score, which a top-k cannot give. Lexical search reads a sparse
BM25 matrix built from analyses stored at index time (bot/ask/lexical.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from bot.ask.hubness import standardise
from bot.ask.lexical import LexicalIndex, content_words, stem, words
from bot.ask.rerank import (
    RERANK_FROM,
    FusedScores,
    QuestionTerms,
    load_passage_ranker,
    passage_features,
)
from bot.embeddings import Embedder
from bot.index.store import Manifest, Snapshot
from bot.language import detect_language
from bot.models import Chunk, Language, Source, Turn
from bot.orgnames import document_names, name_pattern
from bot.ranking import LinearRanker

GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary_de_en.tsv"
INFORMAL = Path(__file__).resolve().parent / "data" / "informal.tsv"
# Weighted min-max normalised scores beat reciprocal-rank fusion (k = 2..60) and z-score
# fusion on the labelled sets (BENCHMARKS.md): a passage that one retriever ranks first by a
# wide margin is not buried by one that both rank third. Dense leads slightly since sentence
# windows sharpened it; it is also the only retriever that reads both languages.
DENSE_WEIGHT = 0.6
# A question that names an organisation ("does GitLab let me …") is about its document: that
# document's passages move up by this much of the fused [0, 1] scale (see organisation_prior).
ORGANISATION_WEIGHT = 0.1
HISTORY_WEIGHT = 0.5  # how much the earlier turns pull a follow-up's query vector


@lru_cache(maxsize=1)
def _glossary() -> dict[str, dict[str, list[str]]]:
    """Stemmed term -> words in the other language, for each direction."""
    to_en: dict[str, list[str]] = {}
    to_de: dict[str, list[str]] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        german, english = line.split("\t")
        for word in german.split():
            to_en.setdefault(stem(word, "de"), []).extend(english.split())
        for word in english.split():
            to_de.setdefault(stem(word, "en"), []).extend(german.split())
    return {"de": to_en, "en": to_de}


def translate_terms(
    text: str, language: Language, common: frozenset[str] = frozenset()
) -> list[str]:
    """Stems, in the other language, of the glossary terms found in a text.

    Words in `common` are left out: a word most guidelines in the asker's language use ("post")
    says nothing about which passage answers, and its translation would only favour the
    other-language passage that repeats "Beitrag" most.
    """
    other: Language = "en" if language == "de" else "de"
    table = _glossary()[language]
    found: list[str] = []
    for word in words(text):
        source = stem(word, language)
        if source not in common:
            found.extend(stem(t, other) for t in table.get(source, []))
    return found


@lru_cache(maxsize=1)
def _informal() -> dict[str, dict[str, str]]:
    """language -> informal word -> the guideline words it stands for."""
    table: dict[str, dict[str, str]] = {"de": {}, "en": {}}
    for line in INFORMAL.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, word, meaning = line.split("\t")
            table[language][word] = meaning
    return table


def formalise(text: str, language: Language) -> str:
    """The text plus the guideline words for its Slack-speak ("pic" -> "photo picture")."""
    table = _informal()[language]
    extra = [table[w] for w in words(text) if w in table]
    return f"{text} {' '.join(extra)}" if extra else text


@dataclass(frozen=True)
class RetrievalOptions:
    """Switches for the ablation benchmark (bench/ablation.py); defaults are production."""

    dense_weight: float = DENSE_WEIGHT  # 1.0 = dense only, 0.0 = lexical only
    windows: bool = True  # dense also scores a chunk by its best sentence window
    glossary: bool = True
    informal: bool = True
    compounds: bool = True
    hubness: bool = True  # dense scores read against each chunk's background (bot/ask/hubness.py)
    rerank: bool = True  # the fused top 20 re-ordered by the learned ranker (bot/ask/rerank.py)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # for ordering and display: how likely this passage answers (0..1)
    dense: float  # cosine similarity of question and chunk (with its best window), raw
    lexical: float  # BM25 score, normalised by the best one
    fused: float  # the fused score in [0, 1] (equal to `score` when not re-ranked)


class Retriever:
    def __init__(
        self,
        snapshot: Snapshot,
        embedder: Embedder,
        options: RetrievalOptions | None = None,
        ranker: LinearRanker | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        self.options = options or RetrievalOptions()
        self.ranker = ranker or load_passage_ranker()
        # Analyses of guideline sentences and section titles, made once per process as
        # questions touch them (bounded: a long-running server never holds every sentence).
        self.sentence_terms = lru_cache(maxsize=1 << 16)(self._sentence_terms)
        self.section_terms = lru_cache(maxsize=1 << 14)(self._section_terms)
        chunks = snapshot.chunks
        self.lexical = LexicalIndex(  # from the analysis stored at index time, if there is one
            [c.indexed_text for c in chunks] if snapshot.terms is None else (),
            [c.language for c in chunks] if snapshot.terms is None else (),
            split_compounds=self.options.compounds,
            terms=snapshot.terms,
        )

    def _sentence_terms(self, row: int) -> frozenset[str]:
        sentence = self.snapshot.sentences[row]
        chunk = self.snapshot.chunks[int(self.snapshot.sentence_chunk[row])]
        text = chunk.text[sentence.start : sentence.end]
        return frozenset(self.lexical.query_terms(text, chunk.language))

    def _section_terms(self, row: int) -> frozenset[str]:
        chunk = self.snapshot.chunks[row]
        return frozenset(self.lexical.query_terms(chunk.section, chunk.language))

    def question_terms(self, question: str, language: Language) -> QuestionTerms:
        """The question's terms (Slack-speak formalised) weighted by idf, in both languages."""
        informal = formalise(question, language)
        own = self._idf(self.lexical.query_terms(informal, language))
        translated = self._idf(translate_terms(informal, language))
        german = own if language == "de" else translated
        parts = {t: found for t in german if (found := self._compounds_with(t))}
        return QuestionTerms(language, own, translated, parts)

    def _compounds_with(self, term: str) -> frozenset[str]:
        return self.lexical.compounds_with(term) if self.options.compounds else frozenset()

    def _idf(self, terms: list[str]) -> dict[str, float]:
        unique = list(dict.fromkeys(terms))
        return dict(zip(unique, self.lexical.idf_weights(unique), strict=True))

    @cached_property
    def organisations(self) -> dict[str, tuple[str, ...]]:
        """Per document, the names of the organisation it is about (bot/orgnames.py)."""
        return document_names(self.snapshot.chunks, self.snapshot.org_names)

    @cached_property
    def documents(self) -> dict[str, re.Pattern[str]]:
        """Per document, a pattern that finds its organisation's names in a text; a name
        several documents share ("FAQ", the one company of a whole folder) tells none apart."""
        shared = Counter(n.casefold() for names in self.organisations.values() for n in names)
        patterns = {
            source: name_pattern(n for n in names if shared[n.casefold()] == 1)
            for source, names in self.organisations.items()
        }
        return {source: p for source, p in patterns.items() if p is not None}

    def organisation_prior(self, text: str, bonus: float = ORGANISATION_WEIGHT) -> np.ndarray:
        """When the text names the organisation of some documents, their passages move up by
        `bonus` and those of other organisations' documents drop below every other passage: a
        rule of one organisation never answers a question about another (nor binds a draft).
        Documents that name no organisation of their own are unaffected."""
        chunks = self.snapshot.chunks
        named = {source for source, pattern in self.documents.items() if pattern.search(text)}
        if not named:
            return np.zeros(len(chunks), dtype=np.float32)
        prior = [
            bonus if c.source in named else -1.0 if c.source in self.documents
            else 0.0
            for c in chunks
        ]  # fmt: skip
        return np.array(prior, dtype=np.float32)

    @property
    def manifest(self) -> Manifest:
        return self.snapshot.manifest

    @property
    def generation(self) -> str:
        return self.snapshot.manifest.generation

    def query_vector(self, question: str, history: Sequence[Turn] = ()) -> np.ndarray:
        vectors = self.embedder.embed([question] + [t.question for t in history[-2:]])
        return _with_history(vectors[0], vectors[1:])

    def query_vectors(self, question: str, history: Sequence[Turn] = ()
                      ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """The question's query vector (with its thread's earlier turns) and the vector of its
        content words alone (for the off-topic check), from one call to the embedder."""
        texts = [question, content_words(question)] + [t.question for t in history[-2:]]
        vectors = self.embedder.embed(texts)
        return _with_history(vectors[0], vectors[2:]), vectors[1]

    def hits(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int = 5,
        query: np.ndarray | None = None,
    ) -> list[Hit]:
        """The k best chunks for a question (and the earlier turns of its thread); `query` is
        its `query_vector` when the caller already has it."""
        if not self.snapshot.chunks:
            return []
        scores = self.fused(question, history, query)
        order = np.argsort(-scores.fused, kind="stable")
        if not self.options.rerank or len(order) < 2:
            return [self._hit(scores, i, float(scores.fused[i])) for i in order[:k]]
        top = order[:RERANK_FROM]
        likely = self.ranker.likelihoods(self.candidate_features(scores, top))
        ranked = np.argsort(-likely, kind="stable")
        hits = [self._hit(scores, int(top[j]), float(likely[j])) for j in ranked[:k]]
        return hits + [self._hit(scores, i, 0.0) for i in order[RERANK_FROM:k]]

    def _hit(self, scores: FusedScores, row: int, score: float) -> Hit:
        return Hit(self.snapshot.chunks[row], score, float(scores.dense[row]),
                   float(scores.lexical[row]), float(scores.fused[row]))  # fmt: skip

    def fused(
        self, question: str, history: Sequence[Turn] = (), query: np.ndarray | None = None
    ) -> FusedScores:
        """Every chunk's dense, lexical and fused score for a question."""
        language = detect_language(question)
        if query is None:
            query = self.query_vector(question, history)
        if self.options.windows:
            dense = self.snapshot.similarity(query)
        else:
            dense = self.snapshot.vectors @ query
        context = " ".join([t.question for t in history[-2:]] + [question])
        if self.options.informal:
            context = formalise(context, language)
        terms = self.lexical.query_terms(context, language)
        if self.options.glossary:
            terms += translate_terms(context, language, self.lexical.common(language))
        lexical = _min_max(np.asarray(self.lexical.scores(terms)))
        weight = self.options.dense_weight
        ranking = standardise(dense, self.snapshot.hub) if self.options.hubness else dense
        ranking = _min_max(ranking)
        fused = weight * ranking + (1 - weight) * lexical + self.organisation_prior(context)
        return FusedScores(question, language, query, fused, dense, ranking, lexical)

    def candidate_features(self, scores: FusedScores, rows: np.ndarray) -> np.ndarray:
        """What the passage ranker reads about these chunks (bot/ask/rerank.py)."""
        terms = self.question_terms(scores.question, scores.language)
        return passage_features(self.snapshot, rows, scores, terms, self.sentence_terms,
                                self.section_terms)  # fmt: skip

    def search(self, question: str, k: int = 5, history: Sequence[Turn] = ()) -> list[Source]:
        return [to_source(hit) for hit in self.hits(question, history, k)]


def _min_max(scores: np.ndarray) -> np.ndarray:
    low, high = float(scores.min()), float(scores.max())
    return (scores - low) / (high - low) if high > low else np.zeros_like(scores)


def to_source(hit: Hit) -> Source:
    return Source.of(hit.chunk, hit.score)


def _with_history(question: np.ndarray, turns: np.ndarray) -> np.ndarray:
    """The question's vector, nudged towards its thread's earlier turns, unit length."""
    vector = question + HISTORY_WEIGHT * turns.sum(axis=0)
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
