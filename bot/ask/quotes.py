"""Which sentence of the retrieved passages answers the question: a small linear ranker.

Every sentence of the best passages is a candidate. Each is described by general signals
(closeness in meaning, shared rare words, section titles that name the question's topic, the
rank of its passage, whether it states a rule and the question asks "may I …", whether it is
a list's lead-in or in the other language) and scored by a weighted sum. The weights in
bot/ask/data/quote_ranker.json are a conditional-logit ranker fitted on the development
question sets (`bench/fit_quote_ranker.py`; leave-one-folder-out figures in BENCHMARKS.md);
on fewer sets, hand-chosen weights had done as well.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.ask.retrieval import Hit, Retriever
from bot.language import detect_language
from bot.sentences import asks_question

MODEL_FILE = Path(__file__).resolve().parent / "data" / "quote_ranker.json"
QUOTE_FROM = 5  # quotes come from the best five passages
RULES = ("prohibited", "conditional", "required", "permitted")
FEATURES = (
    "cosine",  # question and sentence, multilingual embedding
    "cosine_gap",  # how far below the closest candidate
    "overlap",  # share of the question's idf weight the sentence holds (glossary across)
    "section",  # the same share in the passage's section titles
    "passage",  # the passage's fused retrieval score
    "first_passage",
    *(f"states_{m}" for m in RULES),
    "rule_for_may_i",  # a limiting rule, and the question asks "may I …"
    "lead_in",  # "… as follows:"
    "words",  # log of its length in words
    "other_language",
    "opens_passage",
)
PERMISSION_QUESTION = re.compile(
    r"\b(?:may|can|could|am i allowed|is it (?:ok|okay|fine|allowed)|ok to|okay to|"
    r"darf|dürfen|kann|können|ist es (?:ok|okay|erlaubt|in ordnung))\b",
    re.IGNORECASE,
)
_LINK = re.compile(r"(?:https?://|www\.)\S+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Quote:
    hit: Hit
    start: int
    end: int
    score: float  # the ranker's score: comparable between candidates of one question
    modality: str = "none"  # stored with the sentence at index time (bot/index/modality.py)

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]


@dataclass(frozen=True)
class QuoteRanker:
    weights: dict[str, float]
    second_gap: float  # a second quote is shown when its logit is within this of the first

    def scores(self, features: np.ndarray) -> np.ndarray:
        return features @ np.array([self.weights[name] for name in FEATURES])


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_FILE) -> QuoteRanker:
    data = json.loads(path.read_text(encoding="utf-8"))
    return QuoteRanker({n: float(data["weights"][n]) for n in FEATURES}, float(data["second_gap"]))


def candidates(
    retriever: Retriever, question: str, query: np.ndarray, hits: list[Hit]
) -> tuple[list[Quote], np.ndarray]:
    """The quotable sentences of the best passages and their features (one row each)."""
    snapshot = retriever.snapshot  # sentences and their vectors were stored at index time
    found: list[tuple[int, Hit, int]] = []  # (passage rank, hit, sentence row)
    for rank, hit in enumerate(hits[:QUOTE_FROM]):
        found.extend((rank, hit, i) for i in snapshot.sentences_of(hit.chunk.id))
    texts = [hit.chunk.text[snapshot.sentences[i].start : snapshot.sentences[i].end]
             for _, hit, i in found]  # fmt: skip
    sentences = snapshot.sentences
    quotable = [
        k for k, (text, (_, hit, i)) in enumerate(zip(texts, found, strict=True))
        if _quotable(text)
        and not asks_question(hit.chunk.text, sentences[i].start, sentences[i].end)
    ]  # fmt: skip
    if quotable:
        found, texts = [found[k] for k in quotable], [texts[k] for k in quotable]
    if not found:
        return [], np.zeros((0, len(FEATURES)))
    cosine = snapshot.sentence_vectors[[row for _, _, row in found]] @ query
    language = detect_language(question)
    may_i = bool(PERMISSION_QUESTION.search(question))
    terms = retriever.question_terms(question, language)
    best = float(cosine.max())
    rows, quotes = [], []
    for (rank, hit, row), text, close in zip(found, texts, cosine, strict=True):
        sentence = snapshot.sentences[row]
        chunk = hit.chunk
        modality = sentence.modality
        rows.append([
            float(close),
            float(close) - best,
            terms.held_by(chunk.language, retriever.sentence_terms(row)),
            terms.held_by(chunk.language, retriever.section_terms(snapshot.position[chunk.id])),
            hit.fused,
            float(rank == 0),
            *(float(modality == m) for m in RULES),
            float(may_i and modality in RULES[:3]),
            float(text.rstrip().endswith(":")),
            math.log(1 + len(_WORD.findall(text))),
            float(chunk.language != language),
            float(sentence.start == 0),
        ])  # fmt: skip
        quotes.append(Quote(hit, sentence.start, sentence.end, 0.0, modality))
    return quotes, np.array(rows, dtype=np.float64)


def best_quotes(
    retriever: Retriever, question: str, query: np.ndarray, hits: list[Hit],
    ranker: QuoteRanker | None = None,
) -> list[Quote]:  # fmt: skip
    """Candidate sentences, the most answer-like first (scored by the ranker)."""
    ranker = ranker or load_ranker()
    quotes, features = candidates(retriever, question, query, hits)
    return ranked(quotes, ranker.scores(features))


def ranked(quotes: list[Quote], scores: np.ndarray) -> list[Quote]:
    """The quotes with their scores, best first (ties keep the passages' order)."""
    scored = [replace(q, score=float(s)) for q, s in zip(quotes, scores, strict=True)]
    return sorted(scored, key=lambda q: -q.score)


def shown_quotes(ranked: list[Quote], second_gap: float) -> list[Quote]:
    """What an answer quotes: the best sentence, and a second one that does not overlap it
    when it scores within `second_gap` of the first."""
    chosen: list[Quote] = []
    for quote in ranked:
        if len(chosen) == 2 or (chosen and quote.score < chosen[0].score - second_gap):
            break
        if not any(_overlaps(quote, other) for other in chosen):
            chosen.append(quote)
    return chosen


def _overlaps(a: Quote, b: Quote) -> bool:
    return a.hit.chunk.id == b.hit.chunk.id and a.start < b.end and b.start < a.end


def _quotable(sentence: str) -> bool:
    """At least three words once links are left out: "(Seite: https://…)" answers nothing;
    nor does a question the guideline asks itself ("Was muss die Kommune beachten?")."""
    if sentence.rstrip().endswith("?"):
        return False
    return len(_WORD.findall(_LINK.sub(" ", sentence))) >= 3
