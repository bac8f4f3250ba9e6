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

from bot.config import load_settings  # noqa: E402
from bot.engine import build_engine  # noqa: E402
from bot.evaluation import evaluate_questions  # noqa: E402

SETS = [
    ("sample", REPO / "knowledge", REPO / "tests/data/questions.jsonl"),
    ("corpus", REPO.parent / "shared/corpus", REPO / "bench/corpus_questions.jsonl"),
]


def main(sizes: list[int]) -> None:
    print("| chunk chars | set | chunks | recall@5 | cross-lingual recall@5 | MRR |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for name, knowledge, questions in SETS:
                if not knowledge.is_dir():
                    continue
                settings = load_settings(
                    {
                        "GUIDEBOT_KNOWLEDGE_DIR": str(knowledge),
                        "GUIDEBOT_STORE_DIR": f"{tmp}/{name}-{size}",
                        "GUIDEBOT_CHUNK_CHARS": str(size),
                    }
                )
                engine = build_engine(settings)
                engine.reindex()
                result = evaluate_questions(engine, questions)["guidebot"]
                print(
                    f"| {size} | {name} | {result['chunks']} | {result['recall@5']:.2f} | "
                    f"{result['cross_lingual_recall@5']:.2f} | {result['mrr']:.2f} |"
                )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [400, 600, 800, 1200, 1600])
