"""`guidebot review`: the text report, the JSON contract, JSON lines, and exit codes."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from bot.cli import main

LEAK = "Wir testen Polarstern gerade bei der Hafenwerk Logistik AG! #NordlichtTeam"


@pytest.fixture
def run(sample_index, monkeypatch, capsys, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUIDEBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'audit.db'}")

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        paths = ["--knowledge", str(sample_index.knowledge_dir), "--store",
                 str(sample_index.store_dir)]  # fmt: skip
        code = main(["review", *args, *paths])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_the_report_shows_verdict_excerpt_rule_and_fix(run, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(LEAK + "\n", encoding="utf-8")
    code, out, _ = run(str(draft))
    assert code == 0  # whatever the verdict
    assert out.startswith("Verdict: Do not post (do_not_post)")
    assert 'Excerpt: "Polarstern"' in out and "Fix: " in out
    assert "Rule: de/social-media-leitlinien.md > " in out


def test_json_output_follows_the_contract(run):
    code, out, _ = run("-", "--json", "--account", "company", "--platform", "x", stdin=LEAK)
    data = json.loads(out)
    assert code == 0 and set(data) >= {"verdict", "findings", "sources", "language", "mode"}
    assert data["verdict"] == "do_not_post" and data["mode"] == "embedded"
    finding = data["findings"][0]
    assert set(finding) == {"category", "severity", "excerpt", "start", "end", "advice",
                            "suggestion", "sources"}  # fmt: skip
    assert LEAK[finding["start"] : finding["end"]] == finding["excerpt"]
    assert {"source", "section", "text", "score"} <= set(finding["sources"][0])


def test_json_lines_review_each_line_and_report_bad_ones_in_place(run):
    lines = [
        json.dumps({"text": "Sunny hike in the Alps this weekend!"}),
        "this is not json",
        json.dumps({"text": ""}),
        json.dumps({"text": "x" * 10_001}),
        json.dumps({"text": "Meine IBAN: DE89 3704 0044 0532 0130 00", "account": "company"}),
    ]
    code, out, _ = run("-", "--jsonl", stdin="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(results) == 5
    assert results[0]["verdict"] in ("ok", "needs_changes") and "error" not in results[0]
    assert "not JSON" in results[1]["error"] and "line 2" in results[1]["error"]
    assert "empty" in results[2]["error"] and "10,000" in results[3]["error"]
    assert results[4]["verdict"] == "do_not_post" and results[4]["language"] == "de"


@pytest.mark.parametrize(("stdin", "message"), [("", "empty"), ("y" * 10_001, "limit")])
def test_an_empty_or_oversized_draft_exits_1_with_a_message(run, stdin, message):
    code, out, err = run("-", stdin=stdin)
    assert code == 1 and out == "" and message in err


def test_a_missing_draft_file_exits_1(run, tmp_path):
    code, _, err = run(str(tmp_path / "nope.txt"))
    assert code == 1 and "No such draft file" in err


def test_json_lines_read_stdin_without_a_file_argument_and_are_audited(run, tmp_path):
    from bot.ops.audit import AuditLog
    from tests.conftest import make_settings

    lines = [json.dumps({"text": LEAK}), json.dumps({"text": "Sunny hike today!"})]
    code, out, _ = run("--jsonl", stdin="\n".join(lines) + "\n")
    verdicts = [json.loads(line)["verdict"] for line in out.splitlines()]
    assert code == 0 and verdicts == ["do_not_post", "ok"]
    settings = make_settings(tmp_path, GUIDEBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'audit.db'}")
    records = list(AuditLog(settings).records_since(datetime(2000, 1, 1, tzinfo=UTC)))
    assert [(r.user, r.kind, r.verdict) for r in records] == [
        ("cli", "review", "do_not_post"),
        ("cli", "review", "ok"),
    ]
    assert records[0].text is None and records[0].text_length == len(LEAK)  # no text stored
