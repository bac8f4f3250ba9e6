"""Fit the "is this question covered?" model (bot/ask/data/abstention.json) on labelled questions.

Usage: .venv/bin/python bench/calibrate_abstention.py [--write]
"Not covered" must be a confident call: the abstention threshold keeps false abstention within
5 % on the fitted sets; answers between it and the 10 % line say that they are not sure.
Fitted on every labelled question set of bench/labelled_sets.py (the sample, the corpus, and
every blind set once it has been measured), so the weights describe "answered by guidelines"
across many organisations' documents rather than one set's wording. Reports each set with its
knowledge folder held out (what a new company's guidelines would see) and the pooled mean.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.abstention import FEATURES, MODEL_FILE  # noqa: E402
from bot.ask.answering import TOP_K, question_features  # noqa: E402
from bot.ask.evaluate import load_questions  # noqa: E402
from bot.models import Turn  # noqa: E402


def features_of(knowledge: Path, questions: Path, store: str) -> tuple[np.ndarray, np.ndarray]:
    engine = indexed_engine(knowledge, store)
    rows, labels = [], []
    for item in load_questions(questions):
        history = [Turn(t["question"]) for t in item.get("history", [])]
        query, content = engine.retriever.query_vectors(item["question"], history)
        hits = engine.retriever.hits(item["question"], history, k=TOP_K, query=query)
        offtopic = engine.shared.offtopic
        features = question_features(engine.retriever, item["question"], query, content, hits,
                                     offtopic)  # fmt: skip
        rows.append([features[name] for name in FEATURES])
        labels.append(1.0 if item["covered"] else 0.0)
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton steps, classes weighted to count equally."""
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    a = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-a @ w))
        gradient = a.T @ (weight * (p - y)) + l2 * np.r_[w[:-1], 0]
        hessian = (a * (weight * p * (1 - p))[:, None]).T @ a + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w[:-1], float(w[-1])


def pick_threshold(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, limit: float) -> float:
    """The highest probability cut that still answers all but `limit` of covered questions."""
    p = np.sort(1 / (1 + np.exp(-(x[y == 1] @ w + b))))
    return float(p[int(np.floor(limit * len(p)))]) - 1e-6


def rates(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, threshold: float
) -> tuple[float, float]:
    """(abstention on uncovered, false abstention on covered) at this threshold."""
    p = 1 / (1 + np.exp(-(x @ w + b)))
    answered = p >= threshold
    abstain = float((~answered[y == 0]).mean()) if (y == 0).any() else float("nan")
    return abstain, float((~answered[y == 1]).mean())


def format_rates(found: tuple[float, float]) -> str:
    return f"abstention on uncovered {found[0]:.2f}, false abstention {found[1]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write bot/ask/data/abstention.json")
    parser.add_argument(
        "--max-false-abstention",
        type=float,
        default=0.05,
        help="'not covered' below the strictest threshold whose false abstention stays within this",
    )
    parser.add_argument(
        "--confident-false-abstention",
        type=float,
        default=0.10,
        help="answers below this stricter line (and above the first) say they are not sure",
    )
    args = parser.parse_args()
    data = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, knowledge, questions in question_sets(blind=True):
            data.append((name, str(knowledge), *features_of(knowledge, questions, f"{tmp}/{name}")))
    x = np.vstack([d[2] for d in data])
    y = np.concatenate([d[3] for d in data])
    w, b = fit(x, y)
    threshold = pick_threshold(x, y, w, b, args.max_false_abstention)
    confident = max(threshold, pick_threshold(x, y, w, b, args.confident_false_abstention))
    print("weights", dict(zip(FEATURES, w.round(3), strict=True)), "bias", round(b, 3))
    print(f"threshold {threshold:.3f} (false abstention <= {args.max_false_abstention})")
    held_out = []
    for name, folder, xs, ys in data:  # fitted without the set's folder, then tested on it
        other = [d for d in data if d[1] != folder]
        ox, oy = np.vstack([d[2] for d in other]), np.concatenate([d[3] for d in other])
        wo, bo = fit(ox, oy)
        to = pick_threshold(ox, oy, wo, bo, args.max_false_abstention)
        held_out.append(rates(xs, ys, wo, bo, to))
        print(f"  {name} (folder held out): {format_rates(held_out[-1])}")
    mean = np.nanmean(np.array(held_out), axis=0)
    print(f"  mean over sets (folder held out): {format_rates((mean[0], mean[1]))}")
    if args.write:
        model = {
            "weights": {n: round(float(v), 4) for n, v in zip(FEATURES, w, strict=True)},
            "bias": round(b, 4),
            "threshold": round(threshold, 4),
            "confident": round(confident, 4),
            "fitted_on": [d[0] for d in data],
        }
        MODEL_FILE.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print("wrote", MODEL_FILE)


if __name__ == "__main__":
    main()
