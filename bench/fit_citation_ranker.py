"""Fit the review's citation ranker (bot/review/data/citation_ranker.json) on the draft sets.

Usage: .venv/bin/python bench/fit_citation_ranker.py [--write]
Every violating draft of bench/labelled_sets.py DRAFT_SETS names the rule it breaks. Each
finding the embedded review makes for such a draft is one group: the first pass's 20 best
passages (bot/review/cite.py), of which those from the rule's document that hold its phrase
are the answers. A conditional-logit model learns the weights. Printed per set: how many of
those drafts cite the rule (a finding's three sources hold it) with the weights in the file,
and with weights fitted on every *other* knowledge folder; then pooled.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conditional_logit import fit_ranker, save_ranker  # noqa: E402
from labelled_sets import draft_sets, indexed_engine  # noqa: E402

from bot.review.cite import FEATURES, MODEL_FILE, SOURCES_PER_FINDING  # noqa: E402
from bot.review.engine import unit_vector  # noqa: E402
from bot.review.evaluate import holds_rule, load_drafts  # noqa: E402
from bot.review.instructions import sentence_of  # noqa: E402
from bot.review.semantic import draft_units  # noqa: E402

L2 = 1.0


@dataclass
class Draft:
    groups: list[tuple[np.ndarray, np.ndarray]]  # per finding: features, 1 where the rule is
    folder: str
    labelled: list[bool]  # per finding: its category is one the draft was labelled with

    def training(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The groups fitted on: findings of a labelled category (the rule is theirs to cite)."""
        return [g for g, ok in zip(self.groups, self.labelled, strict=True) if ok]


def collect(knowledge: Path, drafts: Path, store: str) -> list[Draft]:
    reviewer = indexed_engine(knowledge, store).toolkit.reviewer
    citer = reviewer.citer
    found = []
    for draft in load_drafts(drafts):
        source, phrase, text = draft.get("rule_source"), draft.get("rule_phrase"), draft["text"]
        if not source or not phrase:
            continue
        review = reviewer.embedded(text, draft.get("account", "personal"), None)
        units = draft_units(text)
        vectors = reviewer.embedder.embed([u.text for u in units]) if units else None
        prior = citer.document_prior(text)
        groups, labelled = [], []
        for finding in review.findings:
            vector = unit_vector(finding.start, finding.end, units, vectors) if units else None
            sentence = text[slice(*sentence_of(text, finding.start, finding.end))]
            what = "" if finding.detector in ("semantic", "model") else finding.excerpt
            rows, x = citer.candidates(finding.category, vector, sentence, what,
                                       review.language, prior)  # fmt: skip
            chunks = [citer.chunks[int(i)] for i in rows]
            y = np.array([holds_rule(c.source, c.text, source, phrase) for c in chunks], float)
            groups.append((x, y))
            labelled.append(finding.category in draft.get("categories", []))
        if groups:
            found.append(Draft(groups, str(knowledge), labelled))
    return found


def cited(drafts: list[Draft], weights: np.ndarray) -> float:
    """Share of drafts where some finding's top sources hold the rule."""
    hits = sum(
        any(y[np.argsort(-(x @ weights), kind="stable")[:SOURCES_PER_FINDING]].any()
            for x, y in d.groups)
        for d in drafts
    )  # fmt: skip
    return hits / max(len(drafts), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write " + str(MODEL_FILE))
    args = parser.parse_args()
    now = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["weights"]
    current = np.array([float(now[name]) for name in FEATURES])
    sets: dict[str, list[Draft]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores: dict[str, str] = {}
        for name, knowledge, drafts in draft_sets():
            store = stores.setdefault(str(knowledge), f"{tmp}/{len(stores)}")
            sets[name] = collect(knowledge, drafts, store)
    everything = [d for ds in sets.values() for d in ds]
    held_out = {
        folder: fit_ranker([g for d in everything if d.folder != folder for g in d.training()], L2)
        for folder in {d.folder for d in everything}
    }
    print(f"{'set':10s} {'n':>3s}  in the file  folder held out")
    pooled = np.zeros(2)
    for name, ds in sets.items():
        held = np.mean([cited([d], held_out[d.folder]) for d in ds]) if ds else 0.0
        row = np.array([cited(ds, current), held])
        pooled += row * len(ds)
        print(f"{name:10s} {len(ds):3d}  {row[0]:.2f}         {row[1]:.2f}")
    n = max(len(everything), 1)
    print(f"{'pooled':10s} {n:3d}  {pooled[0] / n:.2f}         {pooled[1] / n:.2f}")
    weights = fit_ranker([g for d in everything for g in d.training()], L2)
    save_ranker(MODEL_FILE, FEATURES, weights, list(sets), __file__, args.write)


if __name__ == "__main__":
    main()
