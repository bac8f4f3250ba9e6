"""Measure retrieval quality by chunk size on both labelled question sets.

Usage: .venv/bin/python bench/chunk_sizes.py [SIZE ...]
Prints recall@5, cross-lingual recall@5 and MRR per chunk size (GUIDEBOT_CHUNK_CHARS) for the
sample knowledge and, when present, ../shared/corpus.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.evaluate import evaluate_questions  # noqa: E402


def main(sizes: list[int]) -> None:
    print("| chunk chars | set | chunks | recall@5 | cross-lingual recall@5 | MRR |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for name, knowledge, questions in question_sets():
                engine = indexed_engine(
                    knowledge, f"{tmp}/{name}-{size}", GUIDEBOT_CHUNK_CHARS=str(size)
                )
                result = evaluate_questions(engine, questions)["guidebot"]
                print(
                    f"| {size} | {name} | {result['chunks']} | {result['recall@5']:.2f} | "
                    f"{result['cross_lingual_recall@5']:.2f} | {result['mrr']:.2f} |"
                )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [400, 600, 800, 1200, 1600])
