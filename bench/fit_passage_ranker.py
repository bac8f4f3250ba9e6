"""Fit the passage ranker (bot/ask/data/passage_ranker.json) on the development question sets.

Usage: .venv/bin/python bench/fit_passage_ranker.py [--write]
For every covered question the candidates are the fused top 20 passages (bot/ask/rerank.py);
the ones from the labelled document that hold the labelled key phrase are the answers. A
conditional-logit model learns how much each general signal tells them apart. Printed per set:
recall@1 and recall@5 of the fused order, and of the order re-ranked by weights fitted on every
*other* knowledge folder (what a new company's guidelines would see); then the same pooled.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conditional_logit import fit_ranker, save_ranker  # noqa: E402
from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.evaluate import load_questions, quotes_key_phrase  # noqa: E402
from bot.ask.rerank import FEATURES, MODEL_FILE, RERANK_FROM  # noqa: E402
from bot.models import Turn  # noqa: E402

L2 = 1.0  # 10 was tried: the held-out gain halves


@dataclass
class Question:
    x: np.ndarray  # one row of FEATURES per candidate, in fused order
    y: np.ndarray  # 1 where the candidate answers
    folder: str


def collect(knowledge: Path, questions: Path, store: str) -> list[Question]:
    retriever = indexed_engine(knowledge, store).retriever
    chunks = retriever.snapshot.chunks
    found = []
    for item in load_questions(questions):
        if not item["covered"]:
            continue
        history = [Turn(t["question"]) for t in item.get("history", [])]
        scores = retriever.fused(item["question"], history)
        rows = np.argsort(-scores.fused, kind="stable")[:RERANK_FROM]
        y = np.array([float(chunks[i].source == item["source"]
                            and quotes_key_phrase(chunks[i].text, item["key_phrase"]))
                      for i in rows])  # fmt: skip
        found.append(Question(retriever.candidate_features(scores, rows), y, str(knowledge)))
    return found


def recall(questions: list[Question], w: np.ndarray | None) -> tuple[float, float]:
    """recall@1 and @5 of the fused order (w None) or of the order the weights give."""
    first = five = 0
    for q in questions:
        order = np.arange(len(q.y)) if w is None else np.argsort(-(q.x @ w), kind="stable")
        first += bool(q.y[order[0]])
        five += bool(q.y[order[:5]].any())
    n = max(len(questions), 1)
    return first / n, five / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write " + str(MODEL_FILE))
    args = parser.parse_args()
    sets: dict[str, list[Question]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores: dict[str, str] = {}  # knowledge folder -> its index (indexed once)
        for name, knowledge, questions in question_sets(blind=True):
            store = stores.setdefault(str(knowledge), f"{tmp}/{len(stores)}")
            sets[name] = collect(knowledge, questions, store)
    everything = [q for qs in sets.values() for q in qs]
    held_out: dict[str, np.ndarray] = {}
    for folder in {q.folder for q in everything}:
        held_out[folder] = fit_ranker([(q.x, q.y) for q in everything if q.folder != folder], L2)
    print(f"{'set':14s} {'n':>3s}  fused R@1 R@5   re-ranked (folder held out) R@1 R@5")
    pooled_base = pooled_held = np.zeros(2)
    for name, qs in sets.items():
        base = np.array(recall(qs, None))
        held = np.mean([recall([q], held_out[q.folder]) for q in qs], axis=0) if qs else base
        pooled_base = pooled_base + base * len(qs)
        pooled_held = pooled_held + held * len(qs)
        print(f"{name:14s} {len(qs):3d}  {base[0]:.2f} {base[1]:.2f}   {held[0]:.2f} {held[1]:.2f}")
    n = len(everything)
    print(f"{'pooled':14s} {n:3d}  {pooled_base[0] / n:.2f} {pooled_base[1] / n:.2f}   "
          f"{pooled_held[0] / n:.2f} {pooled_held[1] / n:.2f}")  # fmt: skip
    weights = fit_ranker([(q.x, q.y) for q in everything], L2)
    save_ranker(MODEL_FILE, FEATURES, weights, list(sets), __file__, args.write)


if __name__ == "__main__":
    main()
