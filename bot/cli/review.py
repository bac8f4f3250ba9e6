"""`guidebot review FILE|-`: review a draft before posting, as a report, JSON or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.cli.lines import LineError, input_lines, write_line
from bot.errors import InputError
from bot.models import Review, Source

ACCOUNTS = ("personal", "company")
VERDICT_TEXT = {
    "ok": "OK to post",
    "needs_changes": "Needs changes before posting",
    "do_not_post": "Do not post",
}


def register(subparsers: Any) -> None:
    parents = [subparsers.common] if hasattr(subparsers, "common") else []
    parser = subparsers.add_parser(
        "review", parents=parents, help="check a draft post against the guidelines"
    )
    parser.add_argument(
        "file", nargs="?", default="-", help="file with the draft, or - (default) for stdin"
    )
    parser.add_argument("--account", choices=ACCOUNTS, default="personal")
    parser.add_argument("--platform", help="linkedin, x, instagram, ... (optional)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the review as one JSON object")
    output.add_argument(
        "--jsonl",
        action="store_true",
        help='one JSON draft per input line ({"text", "account"?, "platform"?}), '
        "one JSON result per output line",
    )
    parser.set_defaults(handler=run_review, needs_engine=True, needs_index=True)


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"No such draft file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read {path}: {error}") from None


def run_review(args: argparse.Namespace, engine: Any, out: TextIO | None = None) -> int:
    from bot.service import Guidebot

    out = out or sys.stdout
    service = Guidebot(engine, engine.settings)  # limits and the audit trail, as in Slack
    try:
        if args.jsonl:
            return _run_lines(args, service, out)
        text = _read(args.file).rstrip("\n")
        review = service.review(text, account=args.account, platform=args.platform)
        if args.json:
            out.write(json.dumps(review.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(format_review(review) + "\n")
        return 0
    finally:
        service.close()  # writes the audit records still queued


def _run_lines(args: argparse.Namespace, engine: Any, out: TextIO) -> int:
    """Models load once; a bad line gets an error object in its place and the run goes on."""
    for number, line in input_lines(args.file):
        write_line(out, _review_line(line, number, args, engine))
    return 0


def _review_line(
    line: str | LineError, number: int, args: argparse.Namespace, engine: Any
) -> dict[str, Any]:
    if isinstance(line, LineError):
        return {"error": str(line)}
    if not line.strip():
        return {"error": f"line {number}: empty line, expected a JSON object"}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"line {number}: not JSON ({error.msg})"}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return {"error": f'line {number}: expected an object with a "text" string'}
    account = item.get("account") or args.account
    platform = item.get("platform") or args.platform
    try:
        return engine.review(item["text"], account=account, platform=platform).to_json()
    except InputError as error:
        return {"error": f"line {number}: {error}"}


def format_review(review: Review) -> str:
    """The review as a reader-friendly text report."""
    lines = [f"Verdict: {VERDICT_TEXT[review.verdict]} ({review.verdict})"]
    if review.note:
        lines.append(f"Note: {review.note}")
    if not review.findings:
        lines.append("No problems found. The review is a help, not an approval.")
        if review.sources:
            lines.append("Checked against:")
            lines += [f'  - "{_rule_text(s)}" ({s.source} > {s.section})' for s in review.sources]
    for number, finding in enumerate(review.findings, 1):
        lines.append("")
        lines.append(f"{number}. [{finding.severity}] {finding.category}")
        lines.append(f'   Excerpt: "{finding.excerpt}" (characters {finding.start}-{finding.end})')
        lines.append(f"   Fix: {finding.advice}")
        if finding.suggestion is not None:
            lines.append(f'   Suggestion: "{finding.suggestion}"' if finding.suggestion
                         else "   Suggestion: delete it")  # fmt: skip
        for source in finding.sources[:1]:
            lines.append(f"   Rule: {source.source} > {source.section}")
            lines.append(f'         "{_rule_text(source)}"')
    if review.more_findings:
        lines += ["", f"… and {review.more_findings} more findings."]
    if review.suggested_draft:
        lines += ["", "Suggested draft (reviewed again, nothing found):", review.suggested_draft]
    lines.append("")
    lines.append(f"Language: {review.language}, mode: {review.mode}")
    return "\n".join(lines)


def _rule_text(source: Source) -> str:
    """The rule sentence the finding rests on, else the passage's start."""
    quote = " ".join((source.rule or source.text).split())
    return quote if len(quote) <= 300 else quote[:300] + "…"
