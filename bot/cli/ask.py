"""`guidebot ask`: one question, or one per stdin line with --jsonl."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli import EXIT_OK
from bot.engine import Engine
from bot.errors import InputError
from bot.models import Answer


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
    parser.set_defaults(handler=run_ask, needs_engine=True)


def run_ask(args: argparse.Namespace, engine: Engine) -> int:
    from bot.service import Guidebot

    service = Guidebot(engine, engine.settings)
    if args.jsonl:
        for line in sys.stdin:
            question = line.strip()
            if not question:
                continue
            try:
                result = service.ask(question).to_json()
            except InputError as error:
                result = {"error": str(error)}
            print(json.dumps(result, ensure_ascii=False), flush=True)
        return EXIT_OK
    if not args.question:
        raise InputError('Give a question: guidebot ask "May I post photos of the office?"')
    answer = service.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return EXIT_OK


def format_answer(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.note:
        lines.append(f"Note: {answer.note}")
    if answer.sources:
        heading = "Sources:" if answer.answered else "Closest passages (not a match):"
        lines += ["", heading]
        for i, source in enumerate(answer.sources, 1):
            lines.append(f"  [{i}] {source.source} — {source.section} (score {source.score:.2f})")
    lines.append(f"({answer.mode} mode)")
    return "\n".join(lines)
