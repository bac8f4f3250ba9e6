"""How the review's risk model does on a company it has not learned from: each folder held out.

Usage: .venv/bin/python bench/risk_model_heldout.py
For every knowledge folder of the measured invented-organisation draft sets (sets 7 on), the
model is trained as scripts/train_risk_model.py trains it, on the synthetic training drafts
plus the labelled drafts of every *other* folder. It is then scored on the folder's own drafts.
Printed: ROC AUC of p(risky) among the drafts no precise detector flags (the ones the model
decides), and the verdict curve (a draft is ok when no precise detector flags it and p(risky)
is below the threshold). Rows are given for the synthetic-only model, the heads trained with
the labelled drafts, and the shipped recipe (those heads with the nearest drafts' vote). Last,
the floor on p(risky) that a hit of a fuzzy detector (nearest example, disclosure patterns)
needs to count (FUZZY_FLOOR in bot/review/thresholds.py): how many harmless drafts they still
flag, and how many violating drafts lose their only finding.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from bot.review.thresholds import FUZZY_DETECTORS, FUZZY_FLOOR

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from labelled_sets import draft_sets, indexed_engine  # noqa: E402
from train_risk_model import (  # noqa: E402
    LABELLED_WEIGHT,
    THRESHOLD,
    C,
    feature_matrix,
    labelled_drafts,
    load_drafts,
    neighbours_of,
)

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
FLOORS = (0.0, 0.1, 0.2, 0.3, 0.4)  # for the fuzzy detectors' hits


def invented(name: str) -> bool:
    """A set of invented organisations' guidelines, blind set 7 or later ("blind12m")."""
    digits = name.removeprefix("blind").rstrip("abcdefghijklmnopqrstuvwxyz")
    return name.startswith("blind") and digits.isdigit() and int(digits) >= 7


def detector_flags() -> dict[str, list[frozenset[str]]]:
    """Per draft set, which detectors other than the model flag each draft, with the fuzzy
    detectors heard whatever the model says (the floor is what is measured here)."""
    flags: dict[str, list[frozenset[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, knowledge, drafts in draft_sets():
            if name == "sample":
                continue
            reviewer = indexed_engine(knowledge, f"{tmp}/{name}").toolkit.reviewer
            reviewer.fuzzy_floor = 0.0
            flags[name] = []
            for line in drafts.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    review = reviewer.embedded(item["text"], item.get("account", "personal"), None)
                    flags[name].append(frozenset(f.detector for f in review.findings) - {"model"})
    return flags


def fuzzy_floor_table(flags: list[frozenset[str]], p: np.ndarray, risky: np.ndarray) -> None:
    """What each floor on p(risky) for the fuzzy detectors' hits does to the verdicts."""
    fuzzy = np.array([bool(f & FUZZY_DETECTORS) for f in flags])
    firm = np.array([bool(f - FUZZY_DETECTORS) for f in flags])
    harmless = ~risky
    print(
        "| floor | harmless flagged by a fuzzy detector | violating left with no finding "
        f"| precision of ok / harmless flagged at p(risky) >= {THRESHOLD:.2f} |"
    )
    print("|---:|---:|---:|---:|")
    for floor in FLOORS:
        heard = fuzzy & (p >= floor)
        ok = ~firm & ~heard & (p < THRESHOLD)
        lost = risky & fuzzy & ~heard & ok
        print(
            f"| {floor:.2f} | {int((harmless & heard).sum())} of {int(harmless.sum())} "
            f"| {int(lost.sum())} of {int((risky & fuzzy).sum())} "
            f"| {(~risky[ok]).mean():.2f} / {(harmless & ~ok).sum() / harmless.sum():.2f} |"
        )


def main() -> int:
    synthetic, labelled = load_drafts(), labelled_drafts()
    folders = {name: str(knowledge) for name, knowledge, _ in draft_sets()}
    flags = detector_flags()  # in draft_sets() order, as labelled_drafts() reads them
    x_syn = feature_matrix([d["text"] for d in synthetic])
    x_lab = feature_matrix([d["text"] for d in labelled])
    y_syn = np.array([d["verdict"] != "ok" for d in synthetic])
    y_lab = np.array([d["verdict"] != "ok" for d in labelled])
    folder = np.array([folders[d["set"]] for d in labelled])
    test = np.array([invented(d["set"]) for d in labelled])
    found = [flag for name in dict.fromkeys(d["set"] for d in labelled) for flag in flags[name]]
    only = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x_syn, y_syn)
    recipe = f"with the other folders' labelled drafts (weight {LABELLED_WEIGHT:g})"
    shipped = recipe + " and the nearest drafts' vote (shipped)"
    scores = {"synthetic drafts only": only.predict_proba(x_lab)[:, 1],
              recipe: np.zeros(len(labelled)), shipped: np.zeros(len(labelled))}  # fmt: skip
    held = scores[shipped]
    for name in sorted(set(folder[test])):
        train = folder != name
        x = np.vstack([x_syn, x_lab[train]])
        y = np.concatenate([y_syn, y_lab[train]])
        weight = np.r_[np.ones(len(x_syn)), np.full(int(train.sum()), LABELLED_WEIGHT)]
        model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        model.fit(x, y, sample_weight=weight)
        heads = model.predict_proba(x_lab[~train])[:, 1]
        scores[recipe][~train] = heads
        neighbours = neighbours_of(x, y, weight)
        held[~train] = [neighbours.blended(p, row) for p, row in zip(heads, x_lab[~train],
                                                                     strict=True)]  # fmt: skip
    harmless = test & ~y_lab
    print(f"{int(test.sum())} drafts of {len(set(folder[test]))} folders, "
          f"{int(harmless.sum())} harmless\n")  # fmt: skip
    fuzzy = np.array([bool(f & FUZZY_DETECTORS) for f in found])
    firm = np.array([bool(f - FUZZY_DETECTORS) for f in found])
    for label, p in scores.items():
        precise = firm | (fuzzy & (p >= FUZZY_FLOOR))  # as the review decides (thresholds.py)
        free = test & ~precise
        auc = roc_auc_score(y_lab[free], p[free])
        print(f"{label}: ROC AUC among drafts no precise detector flags {auc:.3f}\n")
        print("| p(risky) >= | precision of ok | harmless flagged | ok |")
        print("|---:|---:|---:|---:|")
        for t in THRESHOLDS:
            ok = test & ~precise & (p < t)
            flagged = harmless & ~ok
            print(f"| {t:.2f} | {(~y_lab[ok]).mean():.2f} | {flagged.sum() / harmless.sum():.2f} "
                  f"| {int(ok.sum())} |")  # fmt: skip
        print()
    print(f"The fuzzy detectors' floor (shipped: {FUZZY_FLOOR:.2f}), with the shipped recipe:\n")
    fuzzy_floor_table([f for f, t in zip(found, test, strict=True) if t], held[test], y_lab[test])
    return 0


if __name__ == "__main__":
    sys.exit(main())
