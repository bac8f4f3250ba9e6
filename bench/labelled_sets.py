"""The labelled question sets the benchmarks share, and an indexed engine for each."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import load_settings  # noqa: E402
from bot.engine import Engine, build_engine  # noqa: E402

QUESTION_SETS = [
    ("sample", REPO / "knowledge", REPO / "tests/data/questions.jsonl"),
    ("corpus", REPO.parent / "shared/corpus", REPO / "bench/corpus_questions.jsonl"),
]
# Written by helpers that had seen neither guidebot nor its labelled sets, from the corpus
# documents alone; never fitted on (the abstention model is fitted on QUESTION_SETS only).
BLIND_SETS = [
    ("blind", REPO.parent / "shared/corpus", REPO / "bench/corpus_blind_questions.jsonl"),
    ("blind2", REPO.parent / "shared/corpus", REPO / "bench/corpus_blind2_questions.jsonl"),
    ("sample-blind", REPO / "knowledge", REPO / "bench/sample_blind_questions.jsonl"),
    ("blind4", REPO.parent / "shared/corpus", REPO / "bench/corpus_blind4_questions.jsonl"),
    ("sample-blind2", REPO / "knowledge", REPO / "bench/sample_blind2_questions.jsonl"),
]


def question_sets(blind: bool = False) -> Iterator[tuple[str, Path, Path]]:
    """(name, knowledge folder, questions file) for each set present (../shared is optional);
    with `blind`, also the blind sets, for reporting."""
    for name, knowledge, questions in QUESTION_SETS + (BLIND_SETS if blind else []):
        if knowledge.is_dir() and questions.is_file():
            yield name, knowledge, questions


def indexed_engine(knowledge: Path, store: str, **environ: str) -> Engine:
    """An engine over a fresh index of `knowledge` in `store`, with extra settings."""
    settings = {"GUIDEBOT_KNOWLEDGE_DIR": str(knowledge), "GUIDEBOT_STORE_DIR": store}
    engine = build_engine(load_settings(settings | environ))
    engine.reindex()
    return engine
