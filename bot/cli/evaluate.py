"""`guidebot eval questions FILE` and `guidebot eval drafts FILE`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli import EXIT_OK

if TYPE_CHECKING:  # imported by the handler when the command runs
    from bot.engine import Engine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("eval", help="measure quality on a labelled set")
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    questions = kinds.add_parser(
        "questions", parents=[subparsers.common], help="retrieval and abstention on questions"
    )
    questions.add_argument("file", type=Path)
    questions.add_argument("--json", action="store_true")
    questions.set_defaults(handler=run_questions, needs_engine=True)
    drafts = kinds.add_parser("drafts", parents=[subparsers.common], help="review quality")
    drafts.add_argument("file", type=Path)
    drafts.add_argument("--json", action="store_true")
    drafts.set_defaults(handler=run_drafts, needs_engine=True)


def run_questions(args: argparse.Namespace, engine: Engine) -> int:
    from bot.ask.evaluate import evaluate_questions, format_question_eval

    result = evaluate_questions(engine, args.file)
    print(json.dumps(result, indent=2) if args.json else format_question_eval(result))
    return EXIT_OK


def run_drafts(args: argparse.Namespace, engine: Engine) -> int:
    from bot.review.evaluate import evaluate_drafts, format_draft_eval

    result = evaluate_drafts(engine, args.file)
    print(json.dumps(result, indent=2) if args.json else format_draft_eval(result))
    return EXIT_OK
