"""The plain LangChain recipe on the same files and questions, beside guidebot.

1,000/200 character splits, Chroma, the same embedding model, top-5 similarity, no abstention:
what a team would build first. Kept out of the product package; `make bench` runs it.

    .venv/bin/python bench/baseline.py QUESTIONS.jsonl [--knowledge DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.ask.evaluate import (  # noqa: E402
    _rank,
    _summarise,
    evaluate_questions,
    format_question_eval,
    load_questions,
)
from bot.config import load_settings  # noqa: E402
from bot.engine import Engine, build_engine  # noqa: E402
from bot.index.loaders import load_document  # noqa: E402
from bot.measure import percentile  # noqa: E402


def baseline(engine: Engine, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The plain LangChain recipe on the same files and questions (no abstention)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from bot.index.scan import scan_knowledge

    embedder = engine.embedder

    class _Embeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    documents = []
    files, _ = scan_knowledge(engine.settings.knowledge_dir)
    for source, path in files:
        try:
            text = load_document(path).text
        except Exception:
            continue
        documents.append(Document(page_content=text, metadata={"source": source}))
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(folder, ChromaSettings(anonymized_telemetry=False))
        store = Chroma(
            client=client,
            collection_name="baseline",
            embedding_function=_Embeddings(),
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        store.add_documents(splitter.split_documents(documents))
        ranks: list[int | None] = []
        latencies: list[float] = []
        for item in items:
            started = time.perf_counter()
            found = store.similarity_search(item["question"], k=5)
            latencies.append((time.perf_counter() - started) * 1000)
            pairs = [(d.metadata["source"], d.page_content) for d in found]
            ranks.append(_rank(item, pairs) if item["covered"] else None)
    summary = _summarise(items, ranks, [True] * len(items))
    summary["latency_ms_p50"] = statistics.median(latencies)
    summary["latency_ms_p95"] = percentile(latencies, 0.95)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--knowledge", default=str(REPO / "knowledge"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as store:
        settings = load_settings(os.environ).with_dirs(args.knowledge, store)
        engine = build_engine(settings)
        engine.reindex()
        result = evaluate_questions(engine, args.questions)
        result["baseline"] = baseline(engine, load_questions(args.questions))
    print(format_question_eval(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
