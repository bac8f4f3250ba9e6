"""Embedding-based detection: draft sentences against category examples and harmless posts.

A sentence counts for a category when it sits clearly closer to that category's examples than
to ordinary posts; general cue words of the category (see categories.py) add credibility. The
multilingual embedder puts German and English in one space, so an English example also catches
a German draft. Thresholds are calibrated on labelled drafts (see bench notes in evaluate.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from bot.disk_cache import fixed_vectors
from bot.embeddings import Embedder
from bot.review.detectors import Hit
from bot.review.rules import Rules
from bot.review.thresholds import (
    CUE_WEIGHT,
    GUIDELINE_WEIGHT,
    MANY_CUES,
    MANY_CUES_FLOOR,
    MAX_CUES,
    THRESHOLD,
    TOP_K,
    WITHOUT_CUE,
)
from bot.review.vocabulary import load_vocabulary
from bot.sentences import draft_sentence_spans

# Categories whose meaning embeddings capture poorly; they rely on deterministic detectors.
DETERMINISTIC_ONLY = frozenset(
    {"secrets", "missing_ad_disclosure", "missing_affiliation_disclosure"}
)


@dataclass
class Unit:
    start: int
    end: int
    text: str


def draft_units(text: str) -> list[Unit]:
    """Each sentence, plus each pair of neighbours: some risks only show across two sentences."""
    spans = draft_sentence_spans(text)
    units = [Unit(s, e, text[s:e]) for s, e in spans]
    for (s1, _), (_, e2) in itertools.pairwise(spans):
        units.append(Unit(s1, e2, text[s1:e2]))
    return units


class SemanticModel:
    """The example and harmless-post embeddings for one set of rules, embedded once."""

    def __init__(self, embedder: Embedder, rules: Rules) -> None:
        self.categories = [
            name for name, config in rules.categories.items()
            if config.examples and name not in DETERMINISTIC_ONLY
        ]  # fmt: skip
        texts: list[str] = []
        self.slices: dict[str, slice] = {}
        for name in self.categories:
            examples = list(rules.categories[name].examples)
            self.slices[name] = slice(len(texts), len(texts) + len(examples))
            texts.extend(examples)
        harmless = load_vocabulary().harmless
        self.benign_slice = slice(len(texts), len(texts) + len(harmless))
        texts.extend(harmless)
        self.vectors = fixed_vectors(embedder, texts)
        self.cues = {
            name: [re.compile(c, re.IGNORECASE) for c in rules.categories[name].cues]
            for name in self.categories
        }

    def scores(self, unit_vectors: np.ndarray, units: list[Unit]) -> dict[str, np.ndarray]:
        """Per category, one score per unit: example closeness minus harmless closeness, + cues."""
        return {name: m + CUE_WEIGHT * np.minimum(c, MAX_CUES)
                for name, (m, c) in self.evidence(unit_vectors, units).items()}  # fmt: skip

    def evidence(self, unit_vectors: np.ndarray, units: list[Unit]
                 ) -> dict[str, tuple[np.ndarray, np.ndarray]]:  # fmt: skip
        """Per category: (margin over harmless posts, number of cue words) per unit."""
        sims = unit_vectors @ self.vectors.T  # (units, examples)
        benign = _top_mean(sims[:, self.benign_slice])
        result = {}
        for name in self.categories:
            margin = _top_mean(sims[:, self.slices[name]]) - benign
            cues = np.array([sum(bool(p.search(u.text)) for p in self.cues[name]) for u in units])
            result[name] = (margin, cues)
        return result


def _top_mean(sims: np.ndarray) -> np.ndarray:
    k = min(TOP_K, sims.shape[1])
    return np.sort(sims, axis=1)[:, -k:].mean(axis=1)


def semantic_hits(model: SemanticModel, units: list[Unit], unit_vectors: np.ndarray,
                  support: dict[str, np.ndarray] | None = None) -> list[Hit]:  # fmt: skip
    """The best unit per category that passes: cue words plus margin, or a large margin alone.
    `support` (closeness to the guideline's own statement of the rule) adds to the margin."""
    hits = []
    for name, (margin, cues) in model.evidence(unit_vectors, units).items():
        if support and name in support:
            margin = margin + GUIDELINE_WEIGHT * support[name]
        scores = margin + CUE_WEIGHT * np.minimum(cues, MAX_CUES)
        passing = (
            ((cues > 0) & (scores >= THRESHOLD))
            | (margin >= WITHOUT_CUE)
            | ((cues >= MANY_CUES) & (margin >= MANY_CUES_FLOOR))
        )
        if not passing.any():
            continue
        scores = np.where(passing, scores, -np.inf)
        best = int(np.argmax(scores))
        unit = units[best]
        # A pair of sentences: point at the sentence that carries the risk.
        singles = [i for i, u in enumerate(units) if unit.start <= u.start and u.end <= unit.end
                   and i != best]  # fmt: skip
        if singles:
            unit = units[max(singles, key=lambda i: scores[i])]
        hits.append(Hit(name, unit.start, unit.end, "semantic", "", None, float(scores[best])))
    return hits
