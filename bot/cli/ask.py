"""`guidebot ask`: one question, or one per stdin line with --jsonl."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli import EXIT_OK
from bot.cli.lines import LineError, input_lines, write_line
from bot.errors import InputError
from bot.models import Answer

if TYPE_CHECKING:  # imported by the handler when the command runs
    from bot.engine import Engine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ask", parents=[subparsers.common], help="answer a question from the guidelines"
    )
    parser.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument(
        "--jsonl", action="store_true", help="one question per stdin line, one JSON per line"
    )
    parser.set_defaults(handler=run_ask, needs_engine=True, needs_index=True)


def run_ask(args: argparse.Namespace, engine: Engine) -> int:
    from bot.service import Guidebot

    if not args.jsonl and not args.question:
        raise InputError('Give a question: guidebot ask "May I post photos of the office?"')
    service = Guidebot(engine, engine.settings)
    try:
        return _ask(args, service)
    finally:
        service.close()  # writes the audit records still queued


def _ask(args: argparse.Namespace, service: Any) -> int:
    if args.jsonl:
        for number, line in input_lines():
            write_line(sys.stdout, _ask_line(service, number, line))
        return EXIT_OK
    answer = service.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return EXIT_OK


# How well a passage fits the question, in words; the score itself is in --json. It is the
# passage ranker's probability that this passage answers (bot/ask/rerank.py); on the
# development sets about half of the passages at 0.5 or more held the answer, one in five
# between 0.15 and 0.3, one in ten below.
MATCH_WORDS = ((0.5, "close match"), (0.15, "partly related"), (0.0, "loosely related"))


def match_words(score: float) -> str:
    return next(words for floor, words in MATCH_WORDS if score >= floor)


def _ask_line(service: Any, number: int, line: str | LineError) -> dict[str, Any]:
    if isinstance(line, LineError):
        return {"error": str(line)}
    try:
        return dict(service.ask(line).to_json())
    except InputError as error:
        return {"error": f"line {number}: {error}"}


def format_answer(answer: Answer) -> str:
    """The answer as a person reads it: section and source of each passage, how sure in words."""
    lines = [answer.answer]
    if answer.note:
        lines.append(f"Note: {answer.note}")
    if answer.sources:
        heading = (
            "From the guidelines:"
            if answer.answered
            else "The guidelines do not answer this directly; the closest passages are:"
        )
        lines += ["", heading]
        for i, source in enumerate(answer.sources, 1):
            where = f"{source.section} ({source.source})"
            fit = match_words(source.score) if answer.answered else "not an answer"
            lines.append(f"  [{i}] {where}: {fit}")
    lines.append(f"({answer.mode} mode)")
    return "\n".join(lines)
