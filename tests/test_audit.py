"""The audit trail as comms, legal and admins meet it, on SQLite and on a real PostgreSQL.

The PostgreSQL variant uses the session's throwaway server (tests/pg_fixtures.py). Without
PostgreSQL binaries it is not collected, unless GUIDEBOT_REQUIRE_POSTGRES=1 asks for it, in
which case it fails with an install hint.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import audit as audit_cli
from bot.config import Settings
from bot.errors import ConfigError, InputError
from bot.ops.audit import AuditEntry, AuditLog
from tests.conftest import make_settings
from tests.pg_fixtures import POSTGRES_BIN, REQUIRE_POSTGRES, drop_database, new_database

BACKENDS = ["sqlite"]
if POSTGRES_BIN or REQUIRE_POSTGRES:
    BACKENDS.append(pytest.param("postgresql", marks=pytest.mark.slow))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty audit database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    url = new_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def _settings(tmp_path: Path, url: str, **environ: str) -> Settings:
    return make_settings(tmp_path, GUIDEBOT_DATABASE_URL=url, **environ)


def _entry(text: str = "Proud of our team!", **fields: object) -> AuditEntry:
    base: dict[str, object] = {"kind": "review", "user": "U1", "team": "T1", "text": text}
    base.update(fields)
    return AuditEntry(**base)  # type: ignore[arg-type]


def _export(log: AuditLog, fmt: str, since: str = "2000-01-01") -> str:
    out = io.StringIO()
    audit_cli.write_export(log, audit_cli.parse_date(since), fmt, out)
    return out.getvalue()


def test_by_default_only_a_keyed_hash_and_the_length_are_kept(
    tmp_path: Path, database_url: str
) -> None:
    log = AuditLog(_settings(tmp_path, database_url))
    first = log.record(_entry("Secret launch on Friday!", verdict="do_not_post"))
    second = log.record(_entry("Secret launch on Friday!", verdict="do_not_post"))
    other = log.record(_entry("Nice weather today"))
    records = [log.get(i) for i in (first, second, other)]
    assert all(r is not None and r.text is None for r in records)
    assert records[0].text_length == len("Secret launch on Friday!")  # type: ignore[union-attr]
    expected = hmac.new(b"test-salt", b"Secret launch on Friday!", hashlib.sha256).hexdigest()
    assert records[0].text_hash == records[1].text_hash == expected  # type: ignore[union-attr]
    assert records[2].text_hash != expected  # type: ignore[union-attr]
    assert "Secret launch" not in _export(log, "jsonl")
    log.close()


def test_the_draft_never_reaches_the_database_file(tmp_path: Path) -> None:
    log = AuditLog(_settings(tmp_path, f"sqlite:///{tmp_path / 'audit.db'}"))
    log.record(_entry("Our Q3 revenue is up 40 percent"))
    log.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("audit.db*"))
    assert b"Q3 revenue" not in on_disk


def test_without_a_configured_salt_one_is_kept_in_the_database(
    tmp_path: Path, database_url: str
) -> None:
    settings = _settings(tmp_path, database_url, GUIDEBOT_AUDIT_SALT="")
    first, again = AuditLog(settings), AuditLog(settings)  # e.g. two replicas, or a restart
    elsewhere = AuditLog(make_settings(tmp_path / "b", GUIDEBOT_AUDIT_SALT=""))
    assert first.hash_text("draft") == again.hash_text("draft")
    assert elsewhere.hash_text("draft") != first.hash_text("draft")
    assert first.hash_text("draft") != hashlib.sha256(b"draft").hexdigest()
    for log in (first, again, elsewhere):
        log.close()


def test_a_record_keeps_what_was_decided_against_which_guideline_versions(
    tmp_path: Path, database_url: str
) -> None:
    clock = Clock()
    log = AuditLog(_settings(tmp_path, database_url), now=clock)
    record_id = log.record(
        _entry(
            verdict="needs_changes",
            categories=["undisclosed_ad", "confidential_info", "undisclosed_ad"],
            doc_hashes={"en/policy.md": "abc123"},
            sources=[{"source": "en/policy.md", "section": "Policy > Ads"}],
            mode="embedded",
            language="en",
            account="personal",
            platform="linkedin",
            latency_ms=42,
        )
    )
    [row] = [json.loads(line) for line in _export(log, "jsonl").splitlines()]
    assert row["id"] == record_id
    assert row["created_at"] == "2025-03-01T12:00:00+00:00"
    assert (row["user"], row["team"], row["kind"]) == ("U1", "T1", "review")
    assert row["verdict"] == "needs_changes" and row["answered"] is None
    assert row["categories"] == ["confidential_info", "undisclosed_ad"]
    assert row["doc_hashes"] == {"en/policy.md": "abc123"}
    assert (row["mode"], row["latency_ms"], row["platform"]) == ("embedded", 42, "linkedin")
    log.close()


def test_archived_text_is_exported_then_cleared_after_the_retention_period(
    tmp_path: Path, database_url: str
) -> None:
    clock = Clock()
    settings = _settings(
        tmp_path, database_url, GUIDEBOT_ARCHIVE_TEXT="true", GUIDEBOT_RETENTION_DAYS="30"
    )
    log = AuditLog(settings, now=clock)
    old = log.record(_entry("An old post about our booth"))
    clock.now += timedelta(days=20)
    recent = log.record(_entry("A new post about our booth"))
    clock.now += timedelta(days=15)  # old is 35 days old, recent 15
    assert "An old post" in _export(log, "jsonl")

    report = log.purge()
    assert (report.texts_cleared, report.records_deleted) == (1, 0)
    old_row, recent_row = log.get(old), log.get(recent)
    assert old_row is not None and old_row.text is None and old_row.verdict is None
    assert old_row.text_length == len("An old post about our booth")  # statistics stay
    assert recent_row is not None and recent_row.text == "A new post about our booth"

    report = log.purge(all_records=True)
    assert report.records_deleted == 1
    assert log.get(old) is None and log.get(recent) is not None
    log.close()


def test_feedback_is_counted_by_kind_and_a_second_click_replaces_the_first(
    tmp_path: Path, database_url: str
) -> None:
    log = AuditLog(_settings(tmp_path, database_url))
    answer = log.record(_entry("May I post photos?", kind="ask", answered=True))
    review = log.record(_entry("Draft"))
    log.add_feedback(answer, "not_helpful", "U1")
    log.add_feedback(answer, "helpful", "U1")  # changed their mind
    log.add_feedback(answer, "helpful", "U2")
    log.add_feedback(review, "unclear_guideline", "U3")
    counts = log.feedback_counts()
    assert counts["ask"] == {"helpful": 2, "not_helpful": 0, "unclear_guideline": 0}
    assert counts["review"] == {"helpful": 0, "not_helpful": 0, "unclear_guideline": 1}
    with pytest.raises(InputError, match="one of helpful, not_helpful, unclear_guideline"):
        log.add_feedback(answer, "love it", "U1")
    with pytest.raises(InputError, match="no longer on record"):
        log.add_feedback("0" * 32, "helpful", "U1")
    log.close()


def test_unclear_guideline_reports_cite_the_passage_and_hide_personal_data(
    tmp_path: Path, database_url: str
) -> None:
    clock = Clock()
    log = AuditLog(_settings(tmp_path, database_url), now=clock)
    cited = [{"source": "en/policy.md", "section": "Policy > Photos"}]
    first = log.record(_entry("q1", kind="ask", answered=True, sources=cited))
    second = log.record(_entry("q2", kind="ask", answered=True))
    log.add_feedback(first, "unclear_guideline", "U1", note="Call me on +49 170 1234567")
    clock.now += timedelta(minutes=5)
    log.add_feedback(second, "unclear_guideline", "U2", source="de/leitlinien.md", section="Fotos")
    newest, older = log.unclear_reports(limit=5)
    assert (newest.user, newest.source, newest.section) == ("U2", "de/leitlinien.md", "Fotos")
    assert (older.source, older.section) == ("en/policy.md", "Policy > Photos")
    assert older.note == "Call me on [phone]"
    assert older.at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    log.close()


def test_knowledge_gaps_are_redacted_merged_and_counted(tmp_path: Path, database_url: str) -> None:
    clock = Clock()
    log = AuditLog(_settings(tmp_path, database_url), now=clock)
    log.record_gap("Can <@U123ABC> post our parking rules? Ask jane@corp.com", "en")
    clock.now += timedelta(hours=1)
    log.record_gap("can <@U999XYZ> post our parking rules ask bob@corp.com!", "en")
    log.record_gap("Darf ich über Fusionen posten?", "de")
    top, other = log.gaps(limit=10)
    assert top.text == "Can [user] post our parking rules? Ask [email]"
    assert top.count == 2
    assert top.last_seen - top.first_seen == timedelta(hours=1)
    assert (other.text, other.count, other.language) == ("Darf ich über Fusionen posten?", 1, "de")
    clock.now += timedelta(days=400)
    assert log.purge().gaps_deleted == 2
    assert log.gaps() == []
    log.close()


PLANTED = {
    "sk-proj-4fT9xQ2mZ7LkP0aW3bN8cR5dS1eV6gH": "[secret]",  # OpenAI-style API key
    "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp": "[secret]",  # Slack bot token
    "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8": "[secret]",  # GitHub token
    "AKIAIOSFODNN7EXAMPLE": "[secret]",  # AWS access key id
    "DE89 3704 0044 0532 0130 00": "[iban]",
    "+49 30 1234 5678": "[phone]",
    "hunter2!Xy": "[secret]",  # after "password is"
}


def test_stored_gaps_keep_no_secret_or_personal_data_the_review_would_flag(
    tmp_path: Path,
) -> None:
    log = AuditLog(_settings(tmp_path, f"sqlite:///{tmp_path / 'audit.db'}"))
    keys = list(PLANTED)
    question = (
        f"Can I post my key {keys[0]} or the token {keys[1]} and {keys[2]} / {keys[3]}? "
        f"Pay to {keys[4]}, call {keys[5]}, the password is {keys[6]}"
    )
    log.record_gap(question, "en")
    [gap] = log.gaps()
    for planted in PLANTED:
        assert planted not in gap.text
    for part in ("AbCdEfGh", "4fT9xQ2m", "IOSFODNN", "hunter2", "5678", "0532"):
        assert part not in gap.text
    assert gap.text.startswith("Can I post my key [secret] or the token [secret]")
    assert "[iban]" in gap.text and "[phone]" in gap.text
    log.close()


def test_many_threads_can_write_at_once(tmp_path: Path, database_url: str) -> None:
    log = AuditLog(_settings(tmp_path, database_url))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                log.record(_entry(f"draft {n}-{i}"))
                log.record_gap("Is TikTok allowed?", "en")
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_export(log, "jsonl").splitlines()) == 60
    assert [g.count for g in log.gaps()] == [60]
    log.close()


def test_the_sqlite_folder_is_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'audit.db'}"
    AuditLog(_settings(tmp_path, url)).close()
    assert (tmp_path / "deep" / "er" / "audit.db").is_file()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("postgresql://bob:hunter2@127.0.0.1:1/audit", "Cannot open the audit database"),
    ],
)
def test_a_bad_database_url_is_explained_without_its_password(
    tmp_path: Path, url: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as refused:
        AuditLog(_settings(tmp_path, url))
    assert "hunter2" not in str(refused.value)


def _cli(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="guidebot")
    audit_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    assert args.needs_engine is False
    return int(args.handler(args, settings))


def test_cli_exports_a_period_as_csv_or_jsonl(tmp_path: Path, database_url: str) -> None:
    clock = Clock()
    settings = _settings(tmp_path, database_url, GUIDEBOT_ARCHIVE_TEXT="true")
    log = AuditLog(settings, now=clock)
    log.record(_entry("before the period"))
    clock.now = datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
    inside = log.record(_entry("=HYPERLINK(evil)", categories=["a", "b"]))
    log.add_feedback(inside, "helpful", "U9")
    log.close()

    assert _cli(settings, "audit", "export", "--since", "2025-04-01", "--output",
                str(tmp_path / "out.csv")) == 0  # fmt: skip
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["id"] == inside
    assert row["text"] == "'=HYPERLINK(evil)"  # a spreadsheet must not run it as a formula
    assert (row["categories"], row["feedback"]) == ("a;b", "helpful")

    assert _cli(settings, "audit", "export", "--since", "2025-01-01", "--format", "jsonl",
                "--output", str(tmp_path / "out.jsonl")) == 0  # fmt: skip
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["text"] for r in rows] == ["before the period", "=HYPERLINK(evil)"]
    assert rows[1]["feedback"][0]["user"] == "U9"


def test_cli_refuses_a_malformed_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _cli(make_settings(tmp_path), "audit", "export", "--since", "01.04.2025")
    assert "use YYYY-MM-DD" in capsys.readouterr().err


def test_cli_purge_reports_what_it_removed(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path, database_url, GUIDEBOT_ARCHIVE_TEXT="true")
    clock = Clock()
    log = AuditLog(settings, now=clock)
    log.record(_entry("ancient"))
    log.close()
    # the CLI runs at the real current time, long after 2025-03-01 + 365 days
    assert _cli(settings, "audit", "purge") == 0
    assert "cleared the text of 1 record and" in capsys.readouterr().out
    assert _cli(settings, "audit", "purge", "--all") == 0
    assert "deleted 1 record and 0 knowledge gaps" in capsys.readouterr().out
