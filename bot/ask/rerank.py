"""Which of the best passages answers the question: a learned re-ranking of the fused top 20.

Fusion ranks every passage by two whole-passage scores. The passage that answers is usually
near the top (in the top 20 for 97 % of the development questions) but often not first: a
neighbouring section on the same topic, or a long introduction, scores as well. Each of the
top passages is described by general signals that fusion does not see (how close its best
single sentence and its best rule sentence are, how much of the question's rare vocabulary
one sentence or the section titles hold) and re-ordered by a weighted sum. The weights are a
conditional-logit model fitted by `bench/fit_passage_ranker.py` on the development question
sets (leave-one-folder-out figures in BENCHMARKS.md) and stored in
bot/ask/data/passage_ranker.json. Everything it reads was stored at index time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.ask.lexical import idf_share
from bot.index.modality import MODALITIES, NORMATIVE
from bot.index.snapshot import Snapshot
from bot.models import Language
from bot.ranking import LinearRanker, load_ranker

MODEL_FILE = Path(__file__).resolve().parent / "data" / "passage_ranker.json"
RERANK_FROM = 20  # the fused top this many are re-ordered
FEATURES = (
    "fused",  # the fused retrieval score (0..1)
    "dense",  # raw cosine of question and passage (its best window)
    "hub_dense",  # the hubness-corrected cosine, min-max over all passages
    "lexical",  # BM25, normalised by the best passage
    "section",  # share of the question's idf weight in the passage's section titles
    "sentence_cosine",  # the closest single sentence of the passage
    "sentence_overlap",  # the largest share of the question's idf weight in one sentence
    "rule_cosine",  # the closest sentence that prohibits, requires or conditions
    "other_language",
    "reciprocal_rank",  # 1 / (fused rank + 1)
)


def load_passage_ranker(path: Path = MODEL_FILE) -> LinearRanker:
    return load_ranker(path, FEATURES)


@dataclass(frozen=True)
class QuestionTerms:
    """The question's stemmed terms with their idf weights, and their glossary translations."""

    language: Language
    own: dict[str, float]
    translated: dict[str, float]
    parts: dict[str, frozenset[str]] = field(default_factory=dict)  # German compounds with it

    def wanted(self, language: str) -> dict[str, float]:
        """The terms a text in `language` would hold if it answered the question."""
        return self.own if language == self.language else self.own | self.translated

    def held_by(self, language: str, present: frozenset[str]) -> float:
        """The share of the question's idf weight a text in `language` with these terms holds."""
        return idf_share(self.wanted(language), present, self.parts)


@dataclass(frozen=True)
class FusedScores:
    """One question's scores for every chunk: raw cosine, hubness-corrected cosine and BM25
    (each min-max normalised but the raw cosine), and their fused sum."""

    question: str
    language: Language
    query: np.ndarray
    fused: np.ndarray
    dense: np.ndarray
    hub_dense: np.ndarray
    lexical: np.ndarray


_RULES = np.array(sorted(MODALITIES.index(m) for m in NORMATIVE))


def passage_features(snapshot: Snapshot, rows: np.ndarray, scores: FusedScores,
                     terms: QuestionTerms, sentence_terms: Callable[[int], frozenset[str]],
                     section_terms: Callable[[int], frozenset[str]]) -> np.ndarray:  # fmt: skip
    """One row of FEATURES per candidate passage (`rows`, best fused first); the analyses of a
    sentence or a chunk's section titles come from the retriever's caches."""
    query, language = scores.query, scores.language
    out = np.zeros((len(rows), len(FEATURES)))
    for rank, row in enumerate(rows):
        chunk = snapshot.chunks[int(row)]
        sentences = snapshot.sentences_of(chunk.id)
        cosine = snapshot.sentence_vectors[sentences.start : sentences.stop] @ query
        rules = np.isin(snapshot.sentence_rows[sentences.start : sentences.stop, 3], _RULES)
        overlap = max((terms.held_by(chunk.language, sentence_terms(i)) for i in sentences),
                      default=0.0)  # fmt: skip
        out[rank] = (
            scores.fused[row],
            scores.dense[row],
            scores.hub_dense[row],
            scores.lexical[row],
            terms.held_by(chunk.language, section_terms(int(row))),
            float(cosine.max()) if len(cosine) else 0.0,
            overlap,
            float(cosine[rules].max()) if rules.any() else 0.0,
            float(chunk.language != language),
            1.0 / (rank + 1),
        )
    return out
