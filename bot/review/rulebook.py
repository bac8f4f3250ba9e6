"""The company's own rules: every normative sentence of its guidelines, found by meaning.

A rule record is a guideline sentence (or list item) that prohibits, requires or conditions
something (bot/index/modality.py), with its chunk, section and verbatim text. Its category
comes from closeness to the category descriptions (both languages), never from a word list,
so a lab's animal-research rule or a hospital's patient-story rule is found all the same.
A finding cites the passage chosen by bot/review/cite.py and shows, inside it, the rule
sentence closest to the offending sentence and to the finding's category; an `ok` review
lists the rules closest to the whole draft ("checked against").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bot.disk_cache import fixed_vectors
from bot.embeddings import Embedder
from bot.index.modality import MODALITIES, NORMATIVE
from bot.index.snapshot import Snapshot
from bot.models import Chunk, Source
from bot.review.categories import CATEGORIES
from bot.review.thresholds import CATEGORY_WEIGHT, FIRM_BONUS
from bot.review.vocabulary import load_vocabulary
from bot.sentences import asks_question

MIN_RULE_CHARS = 20  # shorter pieces are headings or fragments, not rules
MAX_RULE_CHARS = 400  # a longer "sentence" is a paragraph the splitter could not cut


@dataclass(frozen=True)
class RuleRecord:
    chunk: Chunk
    start: int
    end: int
    modality: str

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    def to_source(self, score: float) -> Source:
        return Source.of(self.chunk, score, rule=self.text)


def category_vectors(embedder: Embedder) -> tuple[list[str], np.ndarray]:
    """One normalised vector per category: its descriptions, topic words and typical rules."""
    names = list(CATEGORIES)
    rows = []
    for name in names:
        category = CATEGORIES[name]
        texts = [
            *category.description.values(),
            *category.topic.values(),
            *load_vocabulary().prototypes[name],
        ]
        mean = fixed_vectors(embedder, texts).mean(axis=0)
        rows.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
    return names, np.stack(rows)


class RuleBook:
    """The rule sentences of one index snapshot, with the vectors stored at index time and
    their closeness to each category (computed once per snapshot, a matrix product)."""

    def __init__(self, snapshot: Snapshot, categories: tuple[list[str], np.ndarray]) -> None:
        self.snapshot = snapshot
        self.names, self.category_vectors = categories
        self.column = {name: i for i, name in enumerate(self.names)}
        spans = snapshot.sentence_rows
        length = spans[:, 2] - spans[:, 1] if len(spans) else np.zeros(0, dtype=np.int64)
        self.rows = np.flatnonzero((length >= MIN_RULE_CHARS) & (length <= MAX_RULE_CHARS))
        self.vectors = snapshot.sentence_vectors[self.rows] if len(self.rows) else np.zeros(
            (0, self.category_vectors.shape[1]), np.float32)  # fmt: skip
        self.affinity = self.vectors @ self.category_vectors.T  # (rules, categories)
        normative = np.isin(spans[self.rows, 3], [MODALITIES.index(m) for m in NORMATIVE])
        self.normative = normative
        self.firm = (FIRM_BONUS * normative).astype(np.float32)
        self.position = {int(row): i for i, row in enumerate(self.rows)}

    def record(self, i: int) -> RuleRecord:
        sentence = self.snapshot.sentences[int(self.rows[i])]
        chunk = self.snapshot.chunks[int(self.snapshot.sentence_chunk[self.rows[i]])]
        return RuleRecord(chunk, sentence.start, sentence.end, sentence.modality)

    def rows_of(self, chunk_id: str) -> list[int]:
        if not chunk_id:
            return []
        return [self.position[r] for r in self.snapshot.sentences_of(chunk_id)
                if r in self.position and not self._asks(r)]  # fmt: skip

    def _asks(self, row: int) -> bool:
        """A question the guideline asks itself states no rule (bot/sentences.py)."""
        sentence = self.snapshot.sentences[row]
        chunk = self.snapshot.chunks[int(self.snapshot.sentence_chunk[row])]
        return asks_question(chunk.text, sentence.start, sentence.end)

    def fit(self, rows: list[int], category: str, vector: np.ndarray) -> np.ndarray:
        return (
            self.vectors[rows] @ vector
            + CATEGORY_WEIGHT * self.affinity[rows, self.column[category]]
            + self.firm[rows]
        )

    def with_rule(self, source: Source, category: str, vector: np.ndarray) -> Source:
        """The cited passage with the one sentence in it that states the rule, for display."""
        rows = self.rows_of(source.chunk_id)
        if not rows:
            return source
        best = rows[int(np.argmax(self.fit(rows, category, vector)))]
        return replace(source, rule=self.record(best).text)

    def relevant(self, vector: np.ndarray, k: int = 3) -> list[Source]:
        """The rules closest to a whole draft: "checked against" on an ok review."""
        if not len(self.rows):
            return []
        return self._distinct(np.where(self.normative, self.vectors @ vector, -np.inf), k)

    def _distinct(self, scores: np.ndarray, k: int) -> list[Source]:
        chosen: list[Source] = []
        sections: set[tuple[str, str]] = set()
        for i in np.argsort(-scores):
            if not np.isfinite(scores[i]):
                break
            record = self.record(int(i))
            key = (record.chunk.source, record.chunk.section)
            if key in sections or self._asks(int(self.rows[i])):
                continue
            sections.add(key)
            chosen.append(record.to_source(float(scores[i]) / 2))
            if len(chosen) == k:
                break
        return chosen
