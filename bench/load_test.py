"""Load test: concurrent simulated users against `guidebot serve --http`, with a re-index.

Usage: .venv/bin/python bench/load_test.py [--users 10] [--seconds 60] [--runs 3] [--think 0.5]

Each run starts a fake Slack (Web API + response_url) on 127.0.0.1, copies the sample
knowledge to a temp dir, indexes it and runs `guidebot serve --http` as a subprocess. `users`
threads then alternate signed app_mention questions and /review-post drafts for `seconds`;
halfway through, a guideline file changes and an admin runs `/guidelines reindex`. Reports
requests handled, errors (non-200 acks, exceptions, replies that never arrived: must be 0),
ack p50/p99, review end-to-end p95, and the server's RSS growth from warm-up to the end, over
the second half (which holds the re-index) and over the last quarter (after it: a leak keeps
growing there, bounded caches and a settled allocator do not).
The table shows medians over runs. Loopback only, bounded in count and time.
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


def _texts(path: Path, key: str) -> list[str]:
    return [json.loads(line)[key] for line in path.open(encoding="utf-8") if line.strip()]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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


def one_run(users: int, seconds: float, run: int, think: float) -> dict[str, float]:
    questions, drafts = _texts(QUESTIONS, "question"), _texts(DRAFTS, "text")
    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        process, url = _serve(tmp, fake)
        form = "application/x-www-form-urlencoded"
        try:
            _post(url, event_body(mention("warm-up", "1.0"), "Ewarm"), "application/json")
            fake.wait_for("chat.postMessage", 1, timeout=30)
            rss_start = _rss_mb(process.pid)
            acks: list[float] = []
            sent_reviews: dict[str, float] = {}
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
                        if n % 2:
                            name = f"r{run}-{n}"
                            body = command_body(
                                "/review-post",
                                drafts[n % len(drafts)],
                                fake.response_url(name),
                                user=f"U{number}",
                            )
                            started = time.monotonic()
                            ack = _post(url, body, form)
                            with lock:
                                sent_reviews[f"/response/{name}"] = started
                        else:
                            event = mention(
                                questions[n % len(questions)], f"{n}.0", user=f"U{number}"
                            )
                            ack = _post(url, event_body(event, f"E{run}-{n}"), "application/json")
                        with lock:
                            acks.append(ack)
                    except Exception as error:  # counted, never hidden
                        with lock:
                            errors.append(f"{type(error).__name__}: {error}")
                    time.sleep(think)

            threads = [threading.Thread(target=user, args=(u,)) for u in range(users)]
            for thread in threads:
                thread.start()
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
            try:
                replies = fake.wait_for(
                    "response_url", len(sent_reviews), timeout=60,
                    where=lambda c: c.path in sent_reviews,
                )  # fmt: skip
            except AssertionError:
                replies = [c for c in fake.of("response_url") if c.path in sent_reviews]
                errors.append(f"{len(sent_reviews) - len(replies)} reviews never replied")
            questions_sent = len(acks) - len(sent_reviews)
            answered = fake.of("chat.postMessage")
            if len(answered) - 1 < questions_sent:  # minus the warm-up answer
                errors.append(f"{questions_sent - len(answered) + 1} questions never answered")
            reviews_e2e = [c.at - sent_reviews[c.path] for c in replies]
            rss_end = _rss_mb(process.pid)
            reindexed = any("reindex" in c.path for c in fake.of("response_url")) or bool(
                fake.of("chat.postEphemeral")
            )
        finally:
            process.terminate()
            process.wait(15)
            fake.stop()
    for error in errors:
        print(f"run {run}: error: {error}", file=sys.stderr)
    return {
        "requests": len(acks),
        "errors": len(errors),
        "ack p50 (ms)": _percentile(acks, 0.5) * 1000,
        "ack p99 (ms)": _percentile(acks, 0.99) * 1000,
        "review end-to-end p95 (ms)": _percentile(reviews_e2e, 0.95) * 1000,
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
    args = parser.parse_args()
    if not (1 <= args.users <= 50 and 5 <= args.seconds <= 600 and 1 <= args.runs <= 10):
        raise SystemExit("keep it bounded: users 1-50, seconds 5-600, runs 1-10")
    results = [one_run(args.users, args.seconds, run, args.think) for run in range(args.runs)]
    print(
        f"{args.users} users, {args.think:g} s think time, {args.seconds:g} s per run, "
        f"median of {args.runs} runs\n"
    )
    print("| measure | median | worst run |\n|---|---:|---:|")
    for key in results[0]:
        values = [r[key] for r in results]
        worst = min(values) if key in {"requests", "re-index reported"} else max(values)
        print(f"| {key} | {statistics.median(values):.1f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
