"""Slack ack latency under load: 20 concurrent /review-post while the reviews run.

Usage: .venv/bin/python bench/slack_ack.py [--concurrency 20] [--runs 5] [--slow-review 1.0]

Starts a fake Slack (Web API + response_url) on 127.0.0.1, indexes the sample knowledge into a
temporary store, runs `guidebot serve --http` as a subprocess, then fires `concurrency` signed
/review-post requests at once, `runs` times. Per run it takes p50/p99 of the time to the HTTP
200 (the ack Slack waits for, limit 3 s) and of the time until the ephemeral review reached the
response_url; the table shows the median over runs. A second scenario serves the same ASGI app
in-process with an engine whose reviews take `--slow-review` seconds (think: a slow LLM), so
the work queue is deep while the acks are measured. Loopback only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.slack_fake import FakeSlack  # noqa: E402
from tests.slack_requests import SECRET, command_body, signed_headers  # noqa: E402

DRAFTS = [REPO / "tests/data/drafts.jsonl", REPO / "bench/corpus_drafts.jsonl"]
RUN_TIMEOUT_S = 120.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def drafts() -> list[str]:
    texts = [json.loads(line)["text"] for p in DRAFTS if p.is_file()
             for line in p.open(encoding="utf-8") if line.strip()]  # fmt: skip
    return texts or ["Sneak peek: Polarstern launches next month!"]


def start_server(
    tmp: Path, fake: FakeSlack, knowledge: Path = REPO / "knowledge", **settings: str
) -> tuple[subprocess.Popen[bytes], str]:
    """Index `knowledge` and run `guidebot serve --http` against the fake; (process, url)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GUIDEBOT_"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url, "HF_HUB_OFFLINE": "1",
                "GUIDEBOT_DATABASE_URL": f"sqlite:///{tmp / 'audit.db'}",
                "GUIDEBOT_STORE_DIR": str(tmp / "store"),
                "GUIDEBOT_KNOWLEDGE_DIR": str(knowledge), **settings})  # fmt: skip
    guidebot = [sys.executable, "-m", "bot"]
    subprocess.run([*guidebot, "index"], env=env, cwd=tmp, check=True, capture_output=True)
    log = (tmp / "serve.log").open("wb")
    process = subprocess.Popen([*guidebot, "serve", "--http", "--port", str(port)], env=env,
                               cwd=tmp, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit((tmp / "serve.log").read_text())
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("guidebot serve did not become ready within 60 s")


def start_slow_in_process(tmp: Path, fake: FakeSlack, delay: float) -> tuple[Any, str]:
    """The same ASGI app under uvicorn in this process, over an engine with slow reviews."""
    import uvicorn

    from bot.config import load_settings
    from bot.engine import Engine, build_engine
    from bot.service import Guidebot
    from bot.slack.app import create_app
    from bot.slack.serve import SlackAsgi

    class SlowReviewEngine(Engine):
        def review(self, text: str, account: str = "personal", platform: str | None = None
                   ) -> Any:  # fmt: skip
            time.sleep(delay)
            return super().review(text, account, platform)

    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url, "GUIDEBOT_RATE_LIMIT": "1000/1s",
        "GUIDEBOT_DATABASE_URL": f"sqlite:///{tmp / 'audit-slow.db'}",
        "GUIDEBOT_STORE_DIR": str(tmp / "store"), "GUIDEBOT_KNOWLEDGE_DIR": str(REPO / "knowledge"),
    })  # fmt: skip
    plain = build_engine(settings)
    engine = SlowReviewEngine(settings, plain.store, plain.embedder)
    service = Guidebot(engine, settings)
    service.warm_up()
    asgi = SlackAsgi(create_app(service, settings), service.health, signing_secret=SECRET)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(asgi, log_config=None, lifespan="on"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def one_run(url: str, fake: FakeSlack, run: int, concurrency: int, texts: list[str]
            ) -> tuple[list[float], list[float]]:  # fmt: skip
    """Fire `concurrency` commands at once; (ack seconds, end-to-end seconds) per command."""
    barrier = threading.Barrier(concurrency)
    sent: dict[str, float] = {}
    acks: list[float] = []
    lock = threading.Lock()

    def fire(i: int) -> None:
        name = f"r{run}-{i}"
        body = command_body("/review-post", texts[(run * concurrency + i) % len(texts)],
                            fake.response_url(name), user=f"U{name}")  # fmt: skip
        request = urllib.request.Request(
            f"{url}/slack/events",
            data=body.encode(),
            headers=signed_headers(SECRET, body),
            method="POST",
        )
        barrier.wait()
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            status = response.status
        elapsed = time.monotonic() - started
        if status != 200:
            raise RuntimeError(f"HTTP {status}")
        with lock:
            sent[f"/response/{name}"] = started
            acks.append(elapsed)

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    prefix = f"/response/r{run}-"
    replies = fake.wait_for("response_url", concurrency, timeout=RUN_TIMEOUT_S,
                            where=lambda c: c.path.startswith(prefix))  # fmt: skip
    ends = [c.at - sent[c.path] for c in replies if c.path in sent]
    return acks, ends


def measure(url: str, fake: FakeSlack, runs: int, concurrency: int, texts: list[str],
            first_run: int) -> dict[str, float]:  # fmt: skip
    one_run(url, fake, first_run - 1, min(4, concurrency), texts)  # warm-up, not counted
    rows = [one_run(url, fake, first_run + r, concurrency, texts) for r in range(runs)]
    ms = 1000.0
    return {
        "ack p50": statistics.median(percentile(a, 0.5) for a, _ in rows) * ms,
        "ack p99": statistics.median(percentile(a, 0.99) for a, _ in rows) * ms,
        "ack max (all runs)": max(max(a) for a, _ in rows) * ms,
        "ephemeral reply p50": statistics.median(percentile(e, 0.5) for _, e in rows) * ms,
        "ephemeral reply p99": statistics.median(percentile(e, 0.99) for _, e in rows) * ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-review", type=float, default=1.0, help="seconds; 0 skips it")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 100 or not 1 <= args.runs <= 20:
        raise SystemExit("keep it bounded: concurrency 1-100, runs 1-20")
    if not 0 <= args.slow_review <= 5:
        raise SystemExit("keep it bounded: --slow-review 0-5 seconds")
    texts = drafts()
    fake = FakeSlack().start()
    columns: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_server(Path(tmp), fake)
        try:
            columns["`guidebot serve --http`, real reviews"] = measure(
                url, fake, args.runs, args.concurrency, texts, 0
            )
        finally:
            process.terminate()
            process.wait(15)
        if args.slow_review:
            server, url = start_slow_in_process(Path(tmp), fake, args.slow_review)
            try:
                columns[f"in-process, reviews take {args.slow_review:g} s"] = measure(
                    url, fake, args.runs, args.concurrency, texts, 100
                )
            finally:
                server.should_exit = True
    fake.stop()
    names = list(columns)
    print(
        f"\n{args.concurrency} concurrent signed /review-post over HTTP (loopback), "
        f"{args.runs} runs each, median over runs; {os.cpu_count()} cores\n"
    )
    print("| ms | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for measure_name in columns[names[0]]:
        cells = " | ".join(f"{columns[n][measure_name]:.0f}" for n in names)
        print(f"| {measure_name} | {cells} |")


if __name__ == "__main__":
    main()
