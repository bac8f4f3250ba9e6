"""Ablation of the retriever's parts on both labelled question sets.

Usage: .venv/bin/python bench/ablation.py
Each row switches one part off (RetrievalOptions) over the same index and questions; the
LangChain recipe (1,000/200 splits, Chroma, same embedding model, top-5) is the baseline.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.evaluation import evaluate_questions  # noqa: E402
from bot.retrieval import RetrievalOptions, Retriever  # noqa: E402

DEFAULT = RetrievalOptions()
VARIANTS = [
    ("hybrid (default)", DEFAULT),
    ("dense only (USE)", replace(DEFAULT, dense_weight=1.0)),
    ("lexical only (BM25 + glossary + compounds)", replace(DEFAULT, dense_weight=0.0)),
    ("hybrid without glossary", replace(DEFAULT, glossary=False)),
    ("hybrid without compound splitting", replace(DEFAULT, compounds=False)),
    ("hybrid without the informal-words table", replace(DEFAULT, informal=False)),
]


def main() -> None:
    rows: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, knowledge, questions in question_sets():
            engine = indexed_engine(knowledge, f"{tmp}/{name}")
            snapshot = engine.retriever.snapshot
            for label, options in VARIANTS:
                engine._retriever = Retriever(snapshot, engine.embedder, options)
                result = evaluate_questions(engine, questions)["guidebot"]
                rows.setdefault(label, []).append(
                    f"{result['recall@5']:.2f} | {result['cross_lingual_recall@5']:.2f} | "
                    f"{result['mrr']:.2f}"
                )
            base = evaluate_questions(engine, questions, baseline=True)["baseline"]
            rows.setdefault("LangChain baseline (1000/200, top-5)", []).append(
                f"{base['recall@5']:.2f} | {base['cross_lingual_recall@5']:.2f} | {base['mrr']:.2f}"
            )
    print(
        "| variant | sample R@5 | sample xl R@5 | sample MRR "
        "| corpus R@5 | corpus xl R@5 | corpus MRR |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, cells in rows.items():
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
