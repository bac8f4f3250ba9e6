"""Which bundled embedding model should be the default? Measured, not assumed.

Usage: .venv/bin/python bench/embedding_models.py
Indexes both labelled sets with each bundled model and reports hybrid and dense-only recall.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.evaluate import evaluate_questions  # noqa: E402
from bot.ask.retrieval import RetrievalOptions, Retriever  # noqa: E402

MODELS = ["use-multilingual", "minilm"]


def main() -> None:
    print(
        "| model | set | hybrid R@5 | hybrid xl R@5 | dense-only R@5 | dense-only xl R@5 | "
        "ask p50 (ms) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for model in MODELS:
            for name, knowledge, questions in question_sets():
                engine = indexed_engine(
                    knowledge, f"{tmp}/{model}-{name}", GUIDEBOT_EMBEDDING_MODEL=model
                )
                hybrid = evaluate_questions(engine, questions)["guidebot"]
                snapshot = engine.retriever.snapshot
                dense_only = replace(RetrievalOptions(), dense_weight=1.0)
                engine._retriever = Retriever(snapshot, engine.embedder, dense_only)
                dense = evaluate_questions(engine, questions)["guidebot"]
                print(
                    f"| {model} | {name} | {hybrid['recall@5']:.2f} | "
                    f"{hybrid['cross_lingual_recall@5']:.2f} | {dense['recall@5']:.2f} | "
                    f"{dense['cross_lingual_recall@5']:.2f} | {hybrid['latency_ms_p50']:.0f} |"
                )


if __name__ == "__main__":
    main()
