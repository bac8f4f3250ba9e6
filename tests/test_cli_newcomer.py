"""A newcomer's first commands: no index yet, a `.env` in the project folder, output piped to
`head`, text meant for people (scores only in --json), and JSON lines that line up.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.ask import format_answer
from bot.models import Answer, Source
from bot.ops.audit import AuditEntry, AuditLog
from tests.conftest import KNOWLEDGE, REPO, make_settings, run_guidebot


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_make_demo_indexes_into_the_store_the_next_commands_read() -> None:
    recipe = (REPO / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "guidebot index" in recipe and "--store" not in recipe


def test_the_first_ask_builds_the_missing_index_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge = tmp_path / "knowledge"  # one document: the point is that it happens, not its size
    (knowledge / "en").mkdir(parents=True)
    shutil.copy(KNOWLEDGE / "en/employee-social-media-policy.md", knowledge / "en")
    shutil.copy(KNOWLEDGE / "review-rules.yaml", knowledge)
    monkeypatch.setenv("GUIDEBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.db'}")
    paths = ["--knowledge", str(knowledge), "--store", str(tmp_path / "store")]
    code = main(["ask", "--json", "May I post photos of the office?", *paths])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["answered"]
    assert "no guideline index" in err and "indexing" in err and "chunks" in err
    _stdin(monkeypatch, b"Sunny day at the trade fair!\n")
    assert main(["review", "-", *paths]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Verdict:") and "no guideline index" not in err  # built once


def test_a_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GUIDEBOT_LOG_LEVEL=chatty\n")
    run = run_guidebot("status", work=tmp_path)
    assert run.returncode == 1 and "GUIDEBOT_LOG_LEVEL" in run.stderr


def test_output_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    log = AuditLog(settings)
    for n in range(600):  # well over a pipe buffer of JSON lines
        log.record(AuditEntry(kind="ask", user=f"U{n}", text="May I post?", answered=True))
    log.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "audit", "export", "--since", "2000-01-01",
         "--format", "jsonl"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
             "GUIDEBOT_DATABASE_URL": settings.database_url, "GUIDEBOT_AUDIT_SALT": "x"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert json.loads(process.stdout.readline())["kind"] == "ask"  # `| head -1`
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(30) == 141 and "Traceback" not in err and "BrokenPipe" not in err


def test_answers_name_section_and_source_and_say_how_sure_in_words() -> None:
    sources = [Source("en/policy.md", "Photos", "No photos.", 0.89), Source("b.md", "X", "y", 0.1)]
    shown = format_answer(Answer("No photos of prototypes [1].", True, "en", "embedded", sources))
    assert "[1] Photos (en/policy.md): close match" in shown
    assert "[2] X (b.md): loosely related" in shown
    assert not re.search(r"\d\.\d\d|score", shown)
    uncovered = format_answer(Answer("Not covered.", False, "en", "embedded", sources[:1]))
    assert "do not answer this directly" in uncovered and "not a match" not in uncovered


def test_ask_jsonl_answers_every_line_in_order_even_bad_bytes_and_blank_lines(
    sample_index, monkeypatch, capsys, tmp_path
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUIDEBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.db'}")
    _stdin(monkeypatch, b"May I post photos of the office?\n\xff\xfe broken\n\nDo I need #ad?\n")
    paths = ["--knowledge", str(sample_index.knowledge_dir), "--store",
             str(sample_index.store_dir)]  # fmt: skip
    assert main(["ask", "--jsonl", *paths]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == 4 and "answer" in results[0] and "answer" in results[3]
    assert "line 2: not valid UTF-8" in results[1]["error"]
    assert "line 3" in results[2]["error"] and "empty" in results[2]["error"]


def test_review_jsonl_reports_a_lone_surrogate_in_place_and_goes_on(
    sample_index, monkeypatch, capsys, tmp_path
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUIDEBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.db'}")
    lines = ['{"text": "Hi \\ud800 there"}', "", '{"text": "Sunny hike in the Alps!"}']
    _stdin(monkeypatch, ("\n".join(lines) + "\n").encode())
    paths = ["--knowledge", str(sample_index.knowledge_dir), "--store",
             str(sample_index.store_dir)]  # fmt: skip
    assert main(["review", "--jsonl", *paths]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == 3
    assert "line 1" in results[0]["error"] and "invalid character" in results[0]["error"]
    assert "line 2" in results[1]["error"] and "verdict" in results[2]


def test_status_shows_which_names_tie_a_question_to_each_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "kestrel-policy.md").write_text(
        "# Social media policy\n\nKestrel staff never post photos of customer machines. "
        "Ask the Kestrel press office first.\n",
        encoding="utf-8",
    )
    paths = ["--knowledge", str(knowledge), "--store", str(tmp_path / "store")]
    assert main(["index", "--quiet", *paths]) == 0
    capsys.readouterr()
    assert main(["status", "--json", *paths]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["documents"][0]["organisation"] == ["Kestrel"]
    assert 0 < status["abstention"]["threshold"] <= status["abstention"]["confident"] < 1
    assert main(["status", *paths]) == 0
    assert "names: Kestrel" in capsys.readouterr().out
