"""Load test: concurrent simulated users against `guidebot serve --http`, with a re-index.

Usage: .venv/bin/python bench/load_test.py [--users 10] [--seconds 60] [--runs 3] [--think 0.5]

Each run starts a fake Slack (Web API + response_url) on 127.0.0.1, copies the sample
knowledge to a temp dir, indexes it and runs `guidebot serve --http` as a subprocess. `users`
threads then alternate signed app_mention questions and /review-post drafts for `seconds`;
halfway through, a guideline file changes and an admin runs `/guidelines reindex`. Reports
requests handled, errors (non-200 acks, exceptions), lost replies (a question or review whose
answer never arrived, in its thread, at its response_url or privately: must be 0), ack p50/p99,
answer and review end-to-end p95, audit records lost, and the server's RSS growth from warm-up
to the end, over the second half (which holds the re-index) and over the last quarter (after
it: a leak keeps growing there, bounded caches and a settled allocator do not).
With `--fault slack` the fake Slack answers 500 on response_url and chat.postMessage for 10 s a
quarter into the run; with `--fault audit` another process holds the audit SQLite database
locked for 10 s. The table shows medians over runs. Loopback only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slack_ack import start_server  # noqa: E402

from bot.measure import percentile  # noqa: E402
from tests.slack_fake import TEAM, FakeSlack  # noqa: E402
from tests.slack_requests import (  # noqa: E402
    ADMIN,
    SECRET,
    command_body,
    event_body,
    mention,
    signed_headers,
)

QUESTIONS = REPO / "tests/data/questions.jsonl"
DRAFTS = REPO / "tests/data/drafts.jsonl"
MAX_REQUESTS = 20_000
FAULT_SECONDS = 10.0


def _texts(path: Path, key: str) -> list[str]:
    return [json.loads(line)[key] for line in path.open(encoding="utf-8") if line.strip()]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _serve(tmp: Path, fake: FakeSlack) -> tuple[subprocess.Popen[bytes], str]:
    """The server over a copy of the sample knowledge, so the run can change a guideline."""
    knowledge = tmp / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    return start_server(
        tmp, fake, knowledge, GUIDEBOT_ADMINS=f"{TEAM}:{ADMIN}", GUIDEBOT_RATE_LIMIT="100000/1s"
    )


def _post(url: str, body: str, content_type: str) -> float:
    headers = signed_headers(SECRET, body)
    headers["Content-Type"] = content_type
    request = urllib.request.Request(
        f"{url}/slack/events", data=body.encode(), headers=headers, method="POST"
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    return time.monotonic() - started


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def _fault(kind: str, fake: FakeSlack, tmp: Path, seconds: float) -> subprocess.Popen[bytes] | None:
    """Slack failing (500 on response_url and the Web API) or the audit database locked."""
    if kind == "slack":
        fake.fail_for("response_url", seconds, 500)
        fake.fail_for("chat.postMessage", seconds, 500)
    elif kind == "audit":
        database = str(tmp / "audit.db")
        return subprocess.Popen([sys.executable, "-c", LOCKER, database, str(seconds)])
    return None


def _delivered(fake: FakeSlack, method: str, key: str, sent: dict[str, float]) -> dict[str, float]:
    """When each sent request's reply arrived (first successful delivery), by request key."""
    arrived: dict[str, float] = {}
    for call in fake.of(method):
        name = call.path if key == "path" else str(call.args.get(key))
        if call.status == 200 and name in sent and name not in arrived:
            arrived[name] = call.at
    return arrived


def one_run(users: int, seconds: float, run: int, think: float, fault: str) -> dict[str, float]:
    questions, drafts = _texts(QUESTIONS, "question"), _texts(DRAFTS, "text")
    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        process, url = _serve(tmp, fake)
        form = "application/x-www-form-urlencoded"
        locker = None
        try:
            _post(url, event_body(mention("warm-up", "1.0"), "Ewarm"), "application/json")
            fake.wait_for("chat.postMessage", 1, timeout=30)
            rss_start = _rss_mb(process.pid)
            acks: list[float] = []
            sent_reviews: dict[str, float] = {}
            sent_questions: dict[str, float] = {}
            errors: list[str] = []
            counter = iter(range(MAX_REQUESTS))
            lock = threading.Lock()
            stop_at = time.monotonic() + seconds

            def user(number: int) -> None:
                while time.monotonic() < stop_at:
                    n = next(counter, None)
                    if n is None:
                        return
                    try:
                        started = time.monotonic()
                        if n % 2:
                            name = f"r{run}-{n}"
                            body = command_body(
                                "/review-post",
                                drafts[n % len(drafts)],
                                fake.response_url(name),
                                user=f"U{number}",
                            )
                            ack = _post(url, body, form)
                            with lock:
                                sent_reviews[f"/response/{name}"] = started
                        else:
                            event = mention(
                                questions[n % len(questions)], f"{n}.0", user=f"U{number}"
                            )
                            ack = _post(url, event_body(event, f"E{run}-{n}"), "application/json")
                            with lock:
                                sent_questions[f"{n}.0"] = started
                        with lock:
                            acks.append(ack)
                    except Exception as error:  # counted, never hidden
                        with lock:
                            errors.append(f"{type(error).__name__}: {error}")
                    time.sleep(think)

            threads = [threading.Thread(target=user, args=(u,)) for u in range(users)]
            for thread in threads:
                thread.start()
            if fault != "none":
                time.sleep(seconds / 4)
                locker = _fault(fault, fake, tmp, FAULT_SECONDS)
                time.sleep(seconds / 4)
            else:
                time.sleep(seconds / 2)
            rss_half = _rss_mb(process.pid)
            policy = tmp / "knowledge/en/employee-social-media-policy.md"
            policy.write_text(policy.read_text() + "\n\n## Livestreams\n\nAsk first.\n")
            _post(url, command_body("/guidelines", "reindex", fake.response_url("reindex"),
                                    user=ADMIN), form)  # fmt: skip
            time.sleep(seconds / 4)
            rss_late = _rss_mb(process.pid)
            for thread in threads:
                thread.join(seconds + 30)
            deadline = time.monotonic() + 60
            while True:  # replies still on their way (retries back off for up to ~15 s)
                reviews = _delivered(fake, "response_url", "path", sent_reviews)
                fallbacks = [c for c in fake.of("chat.postEphemeral") if c.status == 200]
                answers = _delivered(fake, "chat.postMessage", "thread_ts", sent_questions)
                lost = (len(sent_reviews) - len(reviews) - len(fallbacks)) + (
                    len(sent_questions) - len(answers)
                )
                if lost <= 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            reviews_e2e = [at - sent_reviews[name] for name, at in reviews.items()]
            answers_e2e = [at - sent_questions[ts] for ts, at in answers.items()]
            rss_end = _rss_mb(process.pid)
            reindexed = any(c.path == "/response/reindex" for c in fake.of("response_url"))
            health = json.loads(urllib.request.urlopen(f"{url}/healthz", timeout=5).read())
        finally:
            if locker is not None:
                locker.wait(30)
            process.terminate()
            process.wait(15)
            fake.stop()
    for error in errors:
        print(f"run {run}: error: {error}", file=sys.stderr)
    return {
        "requests": len(acks),
        "errors": len(errors),
        "lost replies": max(0, lost),
        "replies sent privately (fallback)": len(fallbacks),
        "ack p50 (ms)": percentile(acks, 0.5) * 1000,
        "ack p99 (ms)": percentile(acks, 0.99) * 1000,
        "answer end-to-end p95 (ms)": percentile(answers_e2e, 0.95) * 1000,
        "review end-to-end p95 (ms)": percentile(reviews_e2e, 0.95) * 1000,
        "audit records lost": float(health.get("audit", {}).get("lost", 0)),
        "RSS growth, whole run (MB)": rss_end - rss_start,
        "RSS growth, second half (MB)": rss_end - rss_half,
        "RSS growth, last quarter (MB)": rss_end - rss_late,
        "re-index reported": float(reindexed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--think", type=float, default=0.5, help="seconds between a user's requests"
    )
    parser.add_argument(
        "--fault",
        choices=("none", "slack", "audit"),
        default="none",
        help=f"a {FAULT_SECONDS:g} s fault a quarter into the run: Slack answering 500 "
        "(response_url and Web API), or the audit database locked by another process",
    )
    args = parser.parse_args()
    if not (1 <= args.users <= 50 and 5 <= args.seconds <= 600 and 1 <= args.runs <= 10):
        raise SystemExit("keep it bounded: users 1-50, seconds 5-600, runs 1-10")
    results = [
        one_run(args.users, args.seconds, run, args.think, args.fault) for run in range(args.runs)
    ]
    print(
        f"{args.users} users, {args.think:g} s think time, {args.seconds:g} s per run, "
        f"fault: {args.fault}, median of {args.runs} runs\n"
    )
    print("| measure | median | worst run |\n|---|---:|---:|")
    for key in results[0]:
        values = [r[key] for r in results]
        worst = min(values) if key in {"requests", "re-index reported"} else max(values)
        print(f"| {key} | {statistics.median(values):.1f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
