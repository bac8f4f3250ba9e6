"""Abuse limits as a user meets them: too many requests, empty or oversized input, long threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.errors import InputError, RateLimitedError
from bot.models import Turn
from bot.ops.limits import check_draft, check_question, check_turns
from bot.ops.rate_limit import RateLimiter, humanize_seconds
from tests.conftest import make_settings


class Clock:
    """A clock the test moves by hand, so windows pass without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_request_after_the_limit_is_refused_with_a_time_to_retry() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 600, clock=clock)
    for _ in range(3):
        limiter.check("T1:U1")
        clock.now += 60
    with pytest.raises(RateLimitedError) as refused:
        limiter.check("T1:U1")
    # the first request was at t=0, so the window frees a slot at t=600; now is t=180
    assert refused.value.retry_after_s == pytest.approx(420)
    assert "try again in 7 minutes" in str(refused.value)
    assert "3 requests in the last 10 minutes" in str(refused.value)


def test_the_window_slides_so_old_requests_stop_counting() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 100, clock=clock)
    limiter.check("U1")
    clock.now += 60
    limiter.check("U1")
    clock.now += 41  # the first request is now 101 s old
    limiter.check("U1")
    with pytest.raises(RateLimitedError):
        limiter.check("U1")


def test_refused_requests_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60, clock=clock)
    limiter.check("U1")
    for _ in range(5):
        clock.now += 10
        with pytest.raises(RateLimitedError):
            limiter.check("U1")
    clock.now += 10  # 60 s after the only accepted request
    limiter.check("U1")


def test_each_user_has_their_own_budget() -> None:
    limiter = RateLimiter(1, 60, clock=Clock())
    limiter.check("T1:alice")
    limiter.check("T1:bob")
    limiter.check("T2:alice")
    with pytest.raises(RateLimitedError):
        limiter.check("T1:alice")


def test_concurrent_requests_never_exceed_the_limit() -> None:
    limiter = RateLimiter(50, 3600)
    accepted: list[int] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(20):
            try:
                limiter.check("U1")
            except RateLimitedError:
                continue
            with lock:
                accepted.append(1)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(accepted) == 50


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0.2, "1 second"),
        (45, "45 seconds"),
        (61, "2 minutes"),
        (3600, "60 minutes"),
        (9000, "3 hours"),
    ],
)
def test_waits_are_rounded_up_so_nobody_retries_too_early(seconds: float, said: str) -> None:
    assert humanize_seconds(seconds) == said


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_question_or_draft_is_refused(tmp_path: Path, text: str) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(InputError, match="question is empty"):
        check_question(text, settings)
    with pytest.raises(InputError, match="draft is empty"):
        check_draft(text, settings)


def test_a_too_long_question_names_the_limit_and_its_length(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, GUIDEBOT_MAX_QUESTION_CHARS="100")
    assert check_question("  May I post this?  ", settings) == "May I post this?"
    assert check_question("x" * 100, settings) == "x" * 100
    with pytest.raises(InputError) as refused:
        check_question("x" * 1234, settings)
    assert "1,234 characters" in str(refused.value)
    assert "limit is 100" in str(refused.value)


def test_a_draft_is_kept_exactly_so_finding_offsets_still_fit(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, GUIDEBOT_MAX_DRAFT_CHARS="50")
    draft = "\n  Proud of the team!  \n"
    assert check_draft(draft, settings) == draft
    with pytest.raises(InputError, match=r"51 characters long; the limit is 50"):
        check_draft("y" * 51, settings)


def test_binary_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary"):
        check_draft("PK\x00\x03 zipped", make_settings(tmp_path))


def test_a_long_thread_keeps_its_latest_turns_and_says_so(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, GUIDEBOT_MAX_TURNS="3")
    history = [Turn(f"question {i}", f"answer {i}") for i in range(5)]
    kept, note = check_turns(history, settings)
    assert [t.question for t in kept] == ["question 2", "question 3", "question 4"]
    assert note == (
        "Only the last 3 of 5 earlier messages in this conversation were taken into account."
    )
    assert check_turns(history[:3], settings) == (history[:3], None)


def test_with_no_turns_allowed_the_history_is_dropped(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, GUIDEBOT_MAX_TURNS="0")
    kept, note = check_turns([Turn("q", "a")], settings)
    assert kept == []
    assert note and "not taken into account" in note
