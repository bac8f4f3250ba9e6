"""Indexing speed: full index throughput, no-change re-run, one-file-changed re-run, peak RSS.

Usage: .venv/bin/python bench/index_speed.py [--repeat 3]
Runs on the sample knowledge/ and, when present, ../shared/corpus, each copied to a temp dir;
reports medians over the repeats.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import load_settings  # noqa: E402
from bot.embeddings import load_embedder  # noqa: E402
from bot.index.indexer import index_folder  # noqa: E402
from bot.index.store import open_store  # noqa: E402

SETS = [("sample knowledge/", REPO / "knowledge"), ("shared/corpus", REPO.parent / "shared/corpus")]


def run_once(source: Path, tmp: Path) -> dict[str, float]:
    knowledge = tmp / "knowledge"
    shutil.copytree(source, knowledge)
    settings = load_settings(
        {"GUIDEBOT_KNOWLEDGE_DIR": str(knowledge), "GUIDEBOT_STORE_DIR": str(tmp / "store")}
    )
    store, embedder = open_store(settings), load_embedder(settings.embedding_model)
    started = time.perf_counter()
    full = index_folder(settings, store, embedder)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    index_folder(settings, store, embedder)
    nochange_s = time.perf_counter() - started
    target = max(knowledge.rglob("*.md"), key=lambda p: p.stat().st_size)
    target.write_text(target.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n")
    started = time.perf_counter()
    changed = index_folder(settings, store, embedder)
    changed_s = time.perf_counter() - started
    return {
        "chunks": full.total_chunks,
        "full_s": full_s,
        "chunks_per_s": full.total_chunks / full_s,
        "nochange_s": nochange_s,
        "changed_s": changed_s,
        "changed_chunks": changed.embedded_chunks,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_embedder(load_settings({}).embedding_model)  # model load is not indexing time
    print(
        "| knowledge | chunks | full index (s) | chunks/s | no-change re-run (s) | "
        "one file changed (s, chunks re-embedded) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, source in SETS:
        if not source.is_dir():
            continue
        runs = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(run_once(source, Path(tmp)))
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(
            f"| {name} | {med['chunks']:.0f} | {med['full_s']:.2f} | {med['chunks_per_s']:.0f} | "
            f"{med['nochange_s']:.3f} | {med['changed_s']:.2f} ({med['changed_chunks']:.0f}) |"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nPeak RSS of the whole benchmark process: {peak_mb:.0f} MB "
        f"(medians of {args.repeat} runs)"
    )


if __name__ == "__main__":
    main()
