"""Dense search: Chroma's HNSW index against the exact product with the vectors in memory.

Usage: .venv/bin/python bench/dense_search.py [--sizes 10000 100000] [--work DIR]
Reads the guidebot index that bench/speed.py built for each size (in --work), embeds the
labelled questions for real, and compares over the same chunk vectors: exact top-5 (numpy, one
BLAS thread) and Chroma HNSW top-5 with the parameters of NOTES.md set at creation
(cosine, max_neighbors 32, ef_construction 400, ef_search 400), local PersistentClient. Also
times what guidebot runs per question: every chunk's cosine and its best window's (fusion needs
all of them). Reports build time, p50/p95 per query and HNSW recall@5 against exact.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.blas import one_thread  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.embeddings import load_embedder  # noqa: E402
from bot.index.store import open_store  # noqa: E402

# Exact-recall settings measured in NOTES.md (the defaults reached recall@5 of only 0.71).
HNSW = {"space": "cosine", "max_neighbors": 32, "ef_construction": 400, "ef_search": 400}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(call, queries: np.ndarray) -> tuple[list[list[int]], float, float]:  # type: ignore[no-untyped-def]
    found, times = [], []
    for query in queries:
        started = time.perf_counter()
        found.append(call(query))
        times.append((time.perf_counter() - started) * 1000)
    return found, statistics.median(times), _percentile(times, 0.95)


def measure(size: int, work: Path, queries: np.ndarray) -> None:
    """Print the three rows for the index bench/speed.py built for `size` chunks."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = load_settings({"GUIDEBOT_STORE_DIR": str(work / str(size) / "store")})
    snapshot = open_store(settings).load()
    vectors = snapshot.vectors
    n = len(vectors)

    def exact(query: np.ndarray) -> list[int]:
        with one_thread():
            scores = vectors @ query
        top = np.argpartition(-scores, 5)[:5]
        return [int(i) for i in top[np.argsort(-scores[top])]]

    truth, p50, p95 = _timed(exact, queries)
    print(f"| {n} | exact, chunk vectors in memory | 0 | {p50:.2f} | {p95:.2f} | 1.00 |")
    _, p50, p95 = _timed(lambda q: [int(np.argmax(snapshot.similarity(q)))], queries)
    rows = n + len(snapshot.window_vectors)
    print(
        f"| {n} | guidebot: every chunk + best window ({rows} rows) | 0 | "
        f"{p50:.2f} | {p95:.2f} | 1.00 |"
    )
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(folder, ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection("hnsw_bench", configuration={"hnsw": HNSW})
        started = time.perf_counter()
        batch = client.get_max_batch_size()
        for i in range(0, n, batch):
            collection.add(
                ids=[str(j) for j in range(i, min(n, i + batch))], embeddings=vectors[i : i + batch]
            )
        build = time.perf_counter() - started

        def hnsw(query: np.ndarray) -> list[int]:
            result = collection.query(query_embeddings=[query], n_results=5, include=[])
            return [int(i) for i in result["ids"][0]]

        hnsw(queries[0])
        found, p50, p95 = _timed(hnsw, queries)
        recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(found, truth, strict=True)])
        print(
            f"| {n} | Chroma HNSW (NOTES.md parameters) | {build:.0f} | {p50:.2f} | "
            f"{p95:.2f} | {recall:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--work", type=Path, default=REPO / ".guidebot" / "bench-speed")
    args = parser.parse_args()
    embedder = load_embedder("use-multilingual")
    questions = [
        json.loads(line)["question"]
        for line in (REPO / "tests/data/questions.jsonl").open()
        if line.strip()
    ]
    queries = embedder.embed(questions)
    print("| chunks | search | build (s) | p50 (ms) | p95 (ms) | recall@5 vs exact |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in args.sizes:
        measure(size, args.work, queries)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
