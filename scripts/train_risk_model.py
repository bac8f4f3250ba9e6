"""Train the review's risk model (bot/review/data/risk_model.npz) on scripts/training/*.jsonl.

The training drafts were written from category descriptions and organisation profiles (see
scripts/training/README.md), never from an evaluation set; evaluation sets live in tests/data
and bench/ and are never read here. One logistic head says whether a draft is risky at all,
one head per category says which rule it comes close to. Retraining is this one command:

    .venv/bin/python scripts/train_risk_model.py [--threshold T]

The threshold (the operating point on p(risky)) is chosen from the trade-off curve that
`bench/risk_curve.py` measures on held-out drafts; it is stored with the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import load_settings  # noqa: E402
from bot.embeddings import load_embedder  # noqa: E402
from bot.review.categories import CATEGORIES  # noqa: E402
from bot.review.risk import RISKY, features, save_model  # noqa: E402
from bot.review.semantic import draft_units  # noqa: E402

TRAINING = REPO / "scripts" / "training"
OUT = REPO / "bot" / "review" / "data" / "risk_model.npz"
MIN_POSITIVES = 8  # a category with fewer training drafts gets no head
C = 1.0  # L2 strength of every head (sklearn's default)


def load_drafts() -> list[dict]:
    drafts = []
    for path in sorted(TRAINING.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                drafts.append(json.loads(line))
    return drafts


def feature_matrix(texts: list[str]) -> np.ndarray:
    import os

    embedder = load_embedder(load_settings(os.environ).embedding_model)
    rows = []
    for start in range(0, len(texts), 64):
        batch = texts[start : start + 64]
        units = [draft_units(t) for t in batch]
        flat = [u.text for us in units for u in us]
        vectors = embedder.embed(batch + flat)
        whole, rest = vectors[: len(batch)], vectors[len(batch) :]
        offset = 0
        for i, text in enumerate(batch):
            n = len(units[i])
            rows.append(features(whole[i], rest[offset : offset + n], text))
            offset += n
    return np.stack(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.45, help="operating point")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    drafts = load_drafts()
    x = feature_matrix([d["text"] for d in drafts])
    targets = {RISKY: np.array([d["verdict"] != "ok" for d in drafts])}
    for name in CATEGORIES:
        y = np.array([name in d.get("categories", []) for d in drafts])
        if y.sum() >= MIN_POSITIVES:
            targets[name] = y
    heads, weights, bias, report = [], [], [], {}
    for name, y in targets.items():
        model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        cv = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
        model.fit(x, y)
        heads.append(name)
        weights.append(model.coef_[0])
        bias.append(model.intercept_[0])
        report[name] = {"positives": int(y.sum()), "cv_auc": round(roc_auc_score(y, cv), 3)}
        print(f"{name:34s} positives {int(y.sum()):4d}  5-fold AUC {report[name]['cv_auc']}")
    provenance = {"drafts": len(drafts), "heads": report, "C": C}
    save_model(args.out, heads, np.stack(weights), np.array(bias), args.threshold, provenance)
    print(f"wrote {args.out} ({len(drafts)} drafts, threshold {args.threshold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
