"""Warm latency of `ask` and `review` on an index of ~1,000 chunks.

Usage: .venv/bin/python bench/latency.py [--copies 8] [--repeat 3]
The sample knowledge and ../shared/corpus are copied `copies` times under different names to
make a ~1,000-chunk index; every labelled question and draft is run `repeat` times after a
warm-up. Reports the median over repeats of p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import load_settings  # noqa: E402
from bot.engine import build_engine  # noqa: E402

SOURCES = [REPO / "knowledge", REPO.parent / "shared/corpus"]
QUESTIONS = [REPO / "tests/data/questions.jsonl", REPO / "bench/corpus_questions.jsonl"]
DRAFTS = [REPO / "tests/data/drafts.jsonl", REPO / "bench/corpus_drafts.jsonl"]


def _lines(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths if p.is_file() for line in p.open() if line.strip()]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(call, items: list, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    p50s, p95s = [], []
    for _ in range(repeat):
        times = []
        for item in items:
            started = time.perf_counter()
            call(item)
            times.append((time.perf_counter() - started) * 1000)
        p50s.append(statistics.median(times))
        p95s.append(_percentile(times, 0.95))
    return statistics.median(p50s), statistics.median(p95s)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        for copy in range(args.copies):
            for source in SOURCES:
                if source.is_dir():
                    shutil.copytree(source, knowledge / f"copy{copy}" / source.name)
        engine = build_engine(
            load_settings(
                {"GUIDEBOT_KNOWLEDGE_DIR": str(knowledge), "GUIDEBOT_STORE_DIR": f"{tmp}/store"}
            )
        )
        engine.reindex()
        chunks = len(engine.retriever.snapshot.chunks)
        questions, drafts = _lines(QUESTIONS), _lines(DRAFTS)
        engine.ask("warm-up")
        ask = measure(lambda q: engine.ask(q["question"]), questions, args.repeat)
        print(f"Index of {chunks} chunks; medians of {args.repeat} runs\n")
        print("| call | items | p50 (ms) | p95 (ms) |\n|---|---:|---:|---:|")
        print(f"| ask | {len(questions)} | {ask[0]:.1f} | {ask[1]:.1f} |")
        if drafts:
            engine.review("warm-up draft")
            review = measure(
                lambda d: engine.review(d["text"], d.get("account", "personal"), d.get("platform")),
                drafts,
                args.repeat,
            )
            print(f"| review | {len(drafts)} | {review[0]:.1f} | {review[1]:.1f} |")


if __name__ == "__main__":
    main()
