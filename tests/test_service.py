"""The Guidebot facade as the CLI and Slack use it: limits, audit trail, gaps, feedback.

Most tests run over `StandInEngine`, a small real implementation of the engine's interface
(the real engine is exercised once at the end over the sample index).
"""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import audit as audit_cli
from bot.config import Settings
from bot.errors import BusyError, InputError, RateLimitedError
from bot.models import Answer, Finding, IndexStatus, Review, Source, Turn
from bot.ops.audit import AuditEntry, AuditLog
from bot.ops.audit_writer import AuditWriter
from bot.service import CLI, Actor, Guidebot
from tests.conftest import make_settings

POLICY = Source("en/policy.md", "Policy > Photos", "No photos of prototypes.", 0.8, "en",
                doc_hash="hash-policy-v2")  # fmt: skip
LEITLINIEN = Source("de/leitlinien.md", "Vertraulichkeit", "Keine Zahlen.", 0.7, "de",
                    doc_hash="hash-leitlinien-v1")  # fmt: skip
ALICE = Actor(user="U_ALICE", team="T_ACME")


class StandInEngine:
    """Answers questions mentioning "photo", flags drafts mentioning "revenue"."""

    def __init__(self) -> None:
        self.questions: list[tuple[str, list[Turn]]] = []
        self.fail_with: Exception | None = None

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        if self.fail_with:
            raise self.fail_with
        self.questions.append((question, list(history)))
        if "photo" in question.lower():
            return Answer("No photos of prototypes [1].", True, "en", "embedded", [POLICY])
        return Answer("The guidelines do not cover this; ask #comms.", False, "en", "embedded")

    def review(self, text: str, account: str = "personal", platform: str | None = None) -> Review:
        if "revenue" not in text:
            return Review("ok", [], [POLICY], "en", "embedded")
        start = text.index("revenue")
        finding = Finding("financial_figures", "blocker", "revenue", start, start + 7,
                          "Unpublished figures.", sources=[LEITLINIEN])  # fmt: skip
        return Review("do_not_post", [finding], [POLICY], "en", "embedded")

    def status(self) -> IndexStatus:
        return IndexStatus([], 0, {}, None, "stand-in", [])

    def reindex(self, *, rebuild: bool = False, progress: Any = None) -> Any:
        return None


def _bot(tmp_path: Path, **environ: str) -> tuple[Guidebot, StandInEngine]:
    engine = StandInEngine()
    return Guidebot(engine, make_settings(tmp_path, **environ)), engine


def _exported(bot: Guidebot) -> list[dict[str, Any]]:
    assert bot.writes.flush()  # records are written off the reply path
    return [
        audit_cli.record_row(r) for r in bot.audit.records_since(datetime(2000, 1, 1, tzinfo=UTC))
    ]


def test_an_answer_comes_back_with_its_audit_record(tmp_path: Path) -> None:
    ticks = iter(i * 0.25 for i in range(1000))  # each reading of the clock: 250 ms later
    bot = Guidebot(StandInEngine(), make_settings(tmp_path), timer=lambda: next(ticks))
    answer = bot.ask("  May I post a photo of the new prototype? ")
    assert answer.answered and answer.audit_id
    assert "audit_id" not in answer.to_json()
    [record] = _exported(bot)
    assert record["id"] == answer.audit_id
    assert (record["user"], record["team"], record["kind"]) == ("cli", None, "ask")
    assert record["answered"] is True and record["mode"] == "embedded"
    assert record["doc_hashes"] == {"en/policy.md": "hash-policy-v2"}
    assert record["text_length"] == len("May I post a photo of the new prototype?")
    assert record["text"] is None
    assert record["latency_ms"] == 250  # the engine call, timed by the service's clock


def test_a_review_records_its_verdict_categories_and_all_cited_versions(tmp_path: Path) -> None:
    bot, _ = _bot(tmp_path)
    review = bot.review("Our revenue doubled!", account="company", platform="x", actor=ALICE)
    assert review.verdict == "do_not_post" and review.audit_id
    [record] = _exported(bot)
    assert (record["user"], record["team"]) == ("U_ALICE", "T_ACME")
    assert (record["verdict"], record["categories"]) == ("do_not_post", ["financial_figures"])
    assert record["doc_hashes"] == {
        "en/policy.md": "hash-policy-v2",
        "de/leitlinien.md": "hash-leitlinien-v1",
    }
    assert (record["account"], record["platform"]) == ("company", "x")


def test_latency_is_measured_around_the_engine_call(tmp_path: Path) -> None:
    ticks = iter([10.0, 10.25, 99.0, 99.0])
    bot = Guidebot(StandInEngine(), make_settings(tmp_path), timer=lambda: next(ticks))
    bot.ask("photo?")
    assert _exported(bot)[0]["latency_ms"] == 250


def test_slack_users_are_rate_limited_but_the_cli_is_not(tmp_path: Path) -> None:
    bot, engine = _bot(tmp_path, GUIDEBOT_RATE_LIMIT="2/10m")
    bot.ask("photo 1", actor=ALICE)
    bot.review("hello", actor=ALICE)  # asks and reviews share one budget
    with pytest.raises(RateLimitedError, match=r"try again in (9|10) minutes"):
        bot.ask("photo refused", actor=ALICE)
    bot.ask("photo 4", actor=Actor(user="U_BOB", team="T_ACME"))
    for i in range(5):
        bot.ask(f"photo from the command line {i}", actor=CLI)
    assert "photo refused" not in [q for q, _ in engine.questions]
    assert len(_exported(bot)) == 8  # the refused request left no record


def test_bad_input_is_refused_before_the_engine_or_the_rate_limit(tmp_path: Path) -> None:
    bot, engine = _bot(tmp_path, GUIDEBOT_MAX_QUESTION_CHARS="20", GUIDEBOT_RATE_LIMIT="1/10m")
    with pytest.raises(InputError, match="empty"):
        bot.ask("   ", actor=ALICE)
    with pytest.raises(InputError, match="limit is 20"):
        bot.ask("photo " * 10, actor=ALICE)
    bot.ask("photo?", actor=ALICE)  # the refused inputs did not use up the budget
    assert len(engine.questions) == 1 and len(_exported(bot)) == 1


def test_a_long_thread_is_trimmed_and_the_answer_says_so(tmp_path: Path) -> None:
    bot, engine = _bot(tmp_path, GUIDEBOT_MAX_TURNS="2")
    history = [Turn(f"q{i}", f"a{i}") for i in range(4)]
    answer = bot.ask("and a photo?", history=history)
    assert [t.question for t in engine.questions[0][1]] == ["q2", "q3"]
    assert answer.note and "last 2 of 4 earlier messages" in answer.note


def test_uncovered_questions_become_redacted_knowledge_gaps(tmp_path: Path) -> None:
    bot, _ = _bot(tmp_path)
    bot.ask("How do I apply for parental leave? Mail me: jane@acme.com", actor=ALICE)
    bot.ask("how do i apply for parental leave? mail me: bob@acme.com", actor=ALICE)
    bot.ask("May I post a photo?", actor=ALICE)
    assert bot.writes.flush()
    [gap] = bot.gaps(limit=5)
    assert gap.text == "How do I apply for parental leave? Mail me: [email]"
    assert gap.count == 2


def test_gaps_are_not_kept_when_switched_off(tmp_path: Path) -> None:
    bot, _ = _bot(tmp_path, GUIDEBOT_RECORD_GAPS="false")
    bot.ask("How do I apply for parental leave?")
    assert bot.writes.flush() and bot.gaps() == []


def test_feedback_on_answers_and_reviews_reaches_the_admin_views(tmp_path: Path) -> None:
    bot, _ = _bot(tmp_path)
    answer = bot.ask("photo?", actor=ALICE)
    review = bot.review("Our revenue!", actor=ALICE)
    bot.feedback(answer.audit_id or "", "helpful", ALICE)
    bot.feedback(review.audit_id or "", "unclear_guideline", ALICE, note="Which figures?")
    assert bot.feedback_counts()["ask"]["helpful"] == 1
    assert bot.feedback_counts()["review"]["unclear_guideline"] == 1
    [report] = bot.unclear_reports(limit=5)
    assert (report.user, report.kind, report.note) == ("U_ALICE", "review", "Which figures?")
    assert (report.source, report.section) == ("en/policy.md", "Policy > Photos")


def test_an_engine_failure_is_audited_and_passed_on(tmp_path: Path) -> None:
    bot, engine = _bot(tmp_path)
    engine.fail_with = BusyError("All LLM slots are busy")
    with pytest.raises(BusyError):
        bot.ask("photo?", actor=ALICE)
    [record] = _exported(bot)
    assert (record["error"], record["answered"], record["user"]) == ("BusyError", None, "U_ALICE")


def test_the_user_is_served_even_when_the_audit_database_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path)
    log = AuditLog(settings)
    bot = Guidebot(StandInEngine(), settings, audit=log, writes=AuditWriter(log, 10, (0.01,)))
    with sqlite3.connect(tmp_path / "audit.db") as db:  # e.g. a botched migration
        db.execute("DROP TABLE guidebot_audit_records")
    with caplog.at_level(logging.WARNING):
        answer = bot.ask("May I post a photo of the secret prototype?")
        assert answer.answered and bot.writes.flush()
    assert "could not write audit record (attempt 2): OperationalError" in caplog.text
    assert "audit: could not write audit record, lost (OperationalError)" in caplog.text
    assert bot.writes.health() == {
        "state": "failing",
        "backlog": 0,
        "lost": 2,
        "error": "OperationalError",
    }  # the record and the purge
    assert "secret prototype" not in caplog.text


def test_archived_text_past_retention_is_cleared_by_the_running_bot(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, GUIDEBOT_ARCHIVE_TEXT="true", GUIDEBOT_RETENTION_DAYS="30")
    old_log = AuditLog(settings, now=lambda: datetime(2020, 1, 1, tzinfo=UTC))
    old_id = old_log.record(AuditEntry(kind="review", user="U1", text="A post from 2020"))
    old_log.close()
    bot = Guidebot(StandInEngine(), settings)
    new = bot.review("A post from today")
    texts = {r["id"]: r["text"] for r in _exported(bot)}
    assert texts == {old_id: None, new.audit_id: "A post from today"}


def test_served_requests_are_logged_without_their_text(tmp_path: Path) -> None:
    from bot.ops.logging_setup import setup_logging

    settings: Settings = make_settings(tmp_path)
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        setup_logging(settings, stream=stream)
        bot = Guidebot(StandInEngine(), settings)
        bot.ask("May I post a photo of the Zeppelin prototype?", actor=ALICE)
        bot.review("Zeppelin revenue tripled", actor=ALICE)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    written = stream.getvalue()
    assert "ask actor=T_ACME:U_ALICE question=len=" in written
    assert "verdict=do_not_post" in written
    assert "Zeppelin" not in written


def test_the_real_engine_over_the_sample_guidelines(sample_index: Settings, tmp_path: Path) -> None:
    from bot.engine import build_engine

    engine = build_engine(sample_index)
    bot = Guidebot(engine, sample_index, audit=AuditLog(make_settings(tmp_path)))
    answer = bot.ask("How long are business posts archived?", actor=ALICE)
    review = bot.review("Our Q3 revenue is up 40% vs plan, don't tell anyone yet!", actor=ALICE)
    assert answer.answered and answer.audit_id and review.audit_id
    assert review.verdict != "ok"
    versions = {d.source: d.doc_hash for d in engine.status().documents}
    for record in _exported(bot):
        assert record["doc_hashes"] and record["doc_hashes"].items() <= versions.items()
    assert _exported(bot)[1]["categories"]
