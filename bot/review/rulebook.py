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

from bot.embeddings import Embedder
from bot.index.modality import NORMATIVE, modality_of
from bot.models import Chunk, Source
from bot.review.categories import CATEGORIES
from bot.review.thresholds import CATEGORY_WEIGHT, FIRM_BONUS
from bot.review.vocabulary import load_vocabulary
from bot.sentences import sentence_spans

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
        chunk = self.chunk
        return Source(
            source=chunk.source,
            section=chunk.section,
            text=chunk.text,
            score=max(0.0, min(1.0, score)),
            rule=self.text,
            language=chunk.language,
            chunk_id=chunk.id,
            doc_hash=chunk.doc_hash,
            doc_mtime=chunk.doc_mtime,
        )


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
        mean = embedder.embed(texts).mean(axis=0)
        rows.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
    return names, np.stack(rows)


def extract_rules(chunks: list[Chunk]) -> list[RuleRecord]:
    """The normative sentences of the chunks, in document order."""
    records = []
    for chunk in chunks:
        for start, end in sentence_spans(chunk.text, min_chars=20):
            text = chunk.text[start:end]
            modality = modality_of(text)
            if len(text) <= MAX_RULE_CHARS:
                records.append(RuleRecord(chunk, start, end, modality))
    return records


class RuleBook:
    """The rule records of one index snapshot with their vectors and category closeness."""

    def __init__(self, chunks: list[Chunk], embedder: Embedder,
                 categories: tuple[list[str], np.ndarray]) -> None:  # fmt: skip
        self.records = extract_rules(chunks)
        self.names, self.category_vectors = categories
        self.column = {name: i for i, name in enumerate(self.names)}
        dim = self.category_vectors.shape[1]
        self.vectors = (
            embedder.embed([r.text for r in self.records])
            if self.records
            else np.zeros((0, dim), np.float32)
        )
        self.affinity = self.vectors @ self.category_vectors.T  # (rules, categories)
        self.by_chunk: dict[str, list[int]] = {}
        for i, record in enumerate(self.records):
            self.by_chunk.setdefault(record.chunk.id, []).append(i)
        self.firm = np.array(
            [FIRM_BONUS * (r.modality in NORMATIVE) for r in self.records],
            dtype=np.float32,
        )

    def cite(self, category: str, vector: np.ndarray, k: int = 3,
             boost: np.ndarray | None = None) -> list[Source]:  # fmt: skip
        """The k rules (from different sections) that best back a finding of `category`
        about the sentence whose embedding is `vector`; `boost` adds per-record evidence."""
        if not self.records:
            return []
        scores = (
            self.vectors @ vector
            + CATEGORY_WEIGHT * self.affinity[:, self.column[category]]
            + self.firm
        )
        if boost is not None:
            scores = scores + boost
        return self._distinct(scores, k)

    def with_rule(self, source: Source, category: str, vector: np.ndarray) -> Source:
        """The cited passage with the one sentence in it that states the rule, for display."""
        rows = self.by_chunk.get(source.chunk_id)
        if not rows:
            return source
        scores = (
            self.vectors[rows] @ vector
            + CATEGORY_WEIGHT * self.affinity[rows, self.column[category]]
            + self.firm[rows]
        )
        return replace(source, rule=self.records[rows[int(np.argmax(scores))]].text)

    def relevant(self, vector: np.ndarray, k: int = 3) -> list[Source]:
        """The rules closest to a whole draft: "checked against" on an ok review."""
        if not self.records:
            return []
        rules = np.array([r.modality in NORMATIVE for r in self.records])
        return self._distinct(np.where(rules, self.vectors @ vector, -np.inf), k)

    def _distinct(self, scores: np.ndarray, k: int) -> list[Source]:
        chosen: list[Source] = []
        sections: set[tuple[str, str]] = set()
        for i in np.argsort(-scores):
            if not np.isfinite(scores[i]):
                break
            record = self.records[int(i)]
            key = (record.chunk.source, record.chunk.section)
            if key in sections:
                continue
            sections.add(key)
            chosen.append(record.to_source(float(scores[i]) / 2))
            if len(chosen) == k:
                break
        return chosen
