"""Speed at 1k, 10k and 100k chunks: guidebot and the plain LangChain recipe in the same run.

Usage: .venv/bin/python bench/speed.py [--sizes 1000 10000 100000] [--repeat 3] [--work DIR]

Per size: a synthetic corpus (bench/synthetic.py; kept in --work between runs), then for
guidebot: full index, no-change re-index, one-file re-index (a paragraph appended, embedded
for real), store size, warm `ask` p50/p95 over the labelled questions, cold `guidebot ask` and
`guidebot serve --http` until GET /healthz answers (fresh processes); and the same where they
exist for the plain recipe (langchain-chroma, 1,000/200 character splits, same embedder, top-5;
its re-index deletes and re-adds the file's splits). Prints Markdown; medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from synthetic import CACHE, Corpus, DerivedEmbedder  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.embeddings import load_embedder  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.index.indexer import index_folder  # noqa: E402
from bot.index.store import open_store  # noqa: E402
from tests.slack_fake import running_fake  # noqa: E402

QUESTIONS = REPO / "tests/data/questions.jsonl"
PY = sys.executable
COLD_QUESTION = "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _env(knowledge: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GUIDEBOT_"))}
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "GUIDEBOT_KNOWLEDGE_DIR": str(knowledge),
            "GUIDEBOT_STORE_DIR": str(store),
        }
    )
    return env


def _timed_run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"{command[:4]} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def _serve_ready(knowledge: Path, store: Path, work: Path) -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with running_fake() as fake:
        env = _env(knowledge, store) | {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench-secret",
            "SLACK_API_URL": fake.api_url,
            "GUIDEBOT_DATABASE_URL": f"sqlite:///{work / 'audit.db'}",
        }
        command = [PY, "-m", "bot", "serve", "--http", "--port", str(port)]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError("guidebot serve exited")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                        if r.status == 200:
                            return time.perf_counter() - started
                except OSError:
                    time.sleep(0.05)
        finally:
            process.terminate()
            process.wait(15)


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.open() if line.strip()]


def _warm(ask: Any, questions: list[str], repeat: int) -> tuple[float, float]:
    ask(questions[0])
    times = []
    for _ in range(repeat):
        for question in questions:
            started = time.perf_counter()
            ask(question)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), _percentile(times, 0.95)


def _append(path: Path, i: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n## Livestream {i}\n\nAsk the events team {i} days before you stream.\n")


def bench_guidebot(knowledge: Path, work: Path, embedder: Any, repeat: int) -> dict[str, float]:
    store_dir = work / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    settings = load_settings(
        {"GUIDEBOT_KNOWLEDGE_DIR": str(knowledge), "GUIDEBOT_STORE_DIR": str(store_dir)}
    )
    store = open_store(settings)
    started = time.perf_counter()
    full = index_folder(settings, store, embedder)
    result: dict[str, float] = {"chunks": full.total_chunks}
    result["full_index_s"] = time.perf_counter() - started
    nochange, onefile = [], []
    target = sorted(knowledge.glob("*.md"))[0]
    original = target.read_text(encoding="utf-8")
    for i in range(repeat):
        started = time.perf_counter()
        index_folder(settings, store, embedder)
        nochange.append(time.perf_counter() - started)
        _append(target, i)
        started = time.perf_counter()
        index_folder(settings, store, embedder)
        onefile.append(time.perf_counter() - started)
    result["nochange_s"] = statistics.median(nochange)
    result["onefile_s"] = statistics.median(onefile)
    result["store_mb"] = _size_mb(store_dir)
    engine = Engine(settings, store, embedder)
    started = time.perf_counter()
    engine.reload()
    result["load_s"] = time.perf_counter() - started
    result["ask_p50_ms"], result["ask_p95_ms"] = _warm(engine.ask, _questions(), repeat)
    env = _env(knowledge, store_dir)
    cold = [_timed_run([PY, "-m", "bot", "ask", COLD_QUESTION], env) for _ in range(repeat)]
    result["cold_ask_s"] = statistics.median(cold)
    result["serve_ready_s"] = statistics.median(
        [_serve_ready(knowledge, store_dir, work) for _ in range(max(1, repeat - 1))]
    )
    target.write_text(original, encoding="utf-8")
    return result


_PLAIN_COLD = """
import sys, chromadb
from chromadb.config import Settings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from bot.embeddings import load_embedder
model = load_embedder("use-multilingual")
class E(Embeddings):
    def embed_documents(self, texts): return model.embed(texts).tolist()
    def embed_query(self, text): return model.embed([text])[0].tolist()
client = chromadb.PersistentClient(sys.argv[1], Settings(anonymized_telemetry=False))
store = Chroma(client=client, collection_name="plain", embedding_function=E())
print(len(store.similarity_search(sys.argv[2], k=5)))
"""


def bench_plain(knowledge: Path, work: Path, embedder: Any, repeat: int) -> dict[str, float]:
    """The plain LangChain recipe on the same files, with the same embedder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    class _Embeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()  # type: ignore[no-any-return]

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()  # type: ignore[no-any-return]

    folder = work / "plain"
    shutil.rmtree(folder, ignore_errors=True)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)

    def splits(path: Path) -> list[Any]:
        document = Document(path.read_text(encoding="utf-8"), metadata={"source": path.name})
        return splitter.split_documents([document])

    client = chromadb.PersistentClient(str(folder), ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        client=client,
        collection_name="plain",
        embedding_function=_Embeddings(),
        collection_configuration={"hnsw": {"space": "cosine"}},
    )
    files = sorted(knowledge.glob("*.md"))
    started = time.perf_counter()
    documents = [d for path in files for d in splits(path)]
    batch = client.get_max_batch_size()
    for i in range(0, len(documents), batch):
        store.add_documents(documents[i : i + batch])
    result: dict[str, float] = {"chunks": len(documents)}
    result["full_index_s"] = time.perf_counter() - started
    target = files[0]
    original = target.read_text(encoding="utf-8")
    onefile = []
    for i in range(repeat):
        _append(target, i)
        started = time.perf_counter()
        store._collection.delete(where={"source": target.name})
        store.add_documents(splits(target))
        onefile.append(time.perf_counter() - started)
    target.write_text(original, encoding="utf-8")
    result["onefile_s"] = statistics.median(onefile)
    result["ask_p50_ms"], result["ask_p95_ms"] = _warm(
        lambda q: store.similarity_search(q, k=5), _questions(), repeat
    )
    result["store_mb"] = _size_mb(folder)
    env = _env(knowledge, work / "unused") | {"PYTHONPATH": str(REPO)}
    cold = [
        _timed_run([PY, "-c", _PLAIN_COLD, str(folder), COLD_QUESTION], env) for _ in range(repeat)
    ]
    result["cold_ask_s"] = statistics.median(cold)
    return result


ROWS = [
    ("chunks indexed", "chunks", "{:.0f}"),
    ("full index (s)", "full_index_s", "{:.1f}"),
    ("no-change re-index (s)", "nochange_s", "{:.3f}"),
    ("one-file re-index (s)", "onefile_s", "{:.2f}"),
    ("open index in a process (s)", "load_s", "{:.2f}"),
    ("warm ask p50 (ms)", "ask_p50_ms", "{:.1f}"),
    ("warm ask p95 (ms)", "ask_p95_ms", "{:.1f}"),
    ("cold `guidebot ask` (s)", "cold_ask_s", "{:.2f}"),
    ("`guidebot serve` ready (s)", "serve_ready_s", "{:.2f}"),
    ("store on disk (MB)", "store_mb", "{:.1f}"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / ".guidebot" / "bench-speed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-plain", action="store_true", help="skip the LangChain recipe")
    args = parser.parse_args()
    corpus = Corpus()
    embedder = DerivedEmbedder(load_embedder("use-multilingual"))
    started = time.perf_counter()
    embedder.learn(corpus.texts(), CACHE / f"sentences-{corpus.seed}.npz")
    print(f"{len(embedder.known)} sentence vectors ready in {time.perf_counter() - started:.0f} s")
    results: dict[str, dict[str, dict[str, float]]] = {}
    plain: dict[str, float]
    for size in args.sizes:
        work = args.work / str(size)
        knowledge = corpus.write(size, work / "knowledge")
        ours = bench_guidebot(knowledge, work, embedder, args.repeat)
        plain = {} if args.no_plain else bench_plain(knowledge, work, embedder, args.repeat)
        results[str(size)] = {"guidebot": ours, "plain": plain}
        print(f"\n### {size:,} chunks (target size; {len(list(knowledge.glob('*.md')))} files)\n")
        print("| measure | guidebot | plain LangChain recipe |\n|---|---:|---:|")
        for label, key, form in ROWS:
            cells = [form.format(r[key]) if key in r else "-" for r in (ours, plain)]
            print(f"| {label} | {cells[0]} | {cells[1]} |")
        sys.stdout.flush()
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print(
        f"\n{embedder.real_texts} texts were embedded for real during the runs (the rest derived)"
    )


if __name__ == "__main__":
    main()
