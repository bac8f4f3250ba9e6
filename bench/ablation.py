"""Ablation of the retriever's parts on both labelled question sets.

Usage: .venv/bin/python bench/ablation.py
Each row switches one part off (RetrievalOptions) over the same index and questions; the
LangChain recipe (1,000/200 splits, Chroma, same embedding model, top-5) is the baseline.
Columns: R@5 / cross-lingual R@5 / MRR for each labelled set, the blind ones included.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from baseline import baseline  # noqa: E402
from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.evaluate import evaluate_questions, load_questions  # noqa: E402
from bot.ask.retrieval import RetrievalOptions, Retriever  # noqa: E402

DEFAULT = RetrievalOptions()
VARIANTS = [
    ("hybrid (default)", DEFAULT),
    ("dense only (USE)", replace(DEFAULT, dense_weight=1.0)),
    ("hybrid without sentence windows", replace(DEFAULT, windows=False)),
    (
        "hybrid without windows, equal weights (the first landing)",
        replace(DEFAULT, windows=False, dense_weight=0.5),
    ),
    ("lexical only (BM25 + glossary + compounds)", replace(DEFAULT, dense_weight=0.0)),
    ("hybrid without glossary", replace(DEFAULT, glossary=False)),
    ("hybrid without compound splitting", replace(DEFAULT, compounds=False)),
    ("hybrid without the informal-words table", replace(DEFAULT, informal=False)),
]


def main() -> None:
    rows: dict[str, list[str]] = {}
    names: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, knowledge, questions in question_sets(blind=True):
            names.append(name)
            engine = indexed_engine(knowledge, f"{tmp}/{name}")
            snapshot = engine.retriever.snapshot
            for label, options in VARIANTS:
                engine._retriever = Retriever(snapshot, engine.embedder, options)
                result = evaluate_questions(engine, questions)["guidebot"]
                rows.setdefault(label, []).append(_cell(result))
            base = baseline(engine, load_questions(questions))
            rows.setdefault("LangChain baseline (1000/200, top-5)", []).append(_cell(base))
    print("| variant | " + " | ".join(f"{n} R@5 / xl R@5 / MRR" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for label, cells in rows.items():
        print(f"| {label} | " + " | ".join(cells) + " |")


def _cell(result: dict[str, float]) -> str:
    return (
        f"{result['recall@5']:.2f} / {result['cross_lingual_recall@5']:.2f} / {result['mrr']:.2f}"
    )


if __name__ == "__main__":
    main()
