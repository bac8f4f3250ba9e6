"""The `guidebot` command: a thin shell that parses arguments and prints core results.

Each command group lives in its own module with a `register(subparsers)` function; handlers
get `(args, engine)` or `(args, settings)` and return an exit code. Those modules import what
their handlers need (the engine, sqlalchemy) inside the handler, so building the parser stays
cheap and a command pays only for its own imports. Domain errors are
translated into a message and an exit code once, here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import Settings, load_settings
from bot.errors import GuidebotError
from bot.ops.logging_setup import setup_logging

# Exit codes (documented in README.md).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_WARNINGS = 3  # indexed, but some files were skipped or the rules file is broken
EXIT_BROKEN_PIPE = 141  # the reader went away (`guidebot status | head -1`), as 128 + SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import ask, audit, evaluate, index, review, serve

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge", metavar="DIR", help="knowledge folder (GUIDEBOT_KNOWLEDGE_DIR)"
    )
    common.add_argument("--store", metavar="DIR", help="index folder (GUIDEBOT_STORE_DIR)")
    parser = argparse.ArgumentParser(
        prog="guidebot",
        description="Social-media guidelines at the moment of posting: ask, review, serve.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subparsers.common = common  # type: ignore[attr-defined]  # parent parser for every command
    for module in (index, ask, review, evaluate, serve, audit):
        module.register(subparsers)
    return parser


def settings_from_env(args: argparse.Namespace) -> Settings:
    """Settings from the environment, then `.env` in the working directory (or the nearest
    parent folder with one), then the defaults: real environment variables always win.

    The `.env` is looked up from where `guidebot` runs, not from where the code is installed,
    so a project folder with its own `.env` works whichever virtualenv runs the command.
    """
    from dotenv import find_dotenv, load_dotenv

    load_dotenv(find_dotenv(usecwd=True), override=False)
    settings = load_settings(os.environ)
    return settings.with_dirs(getattr(args, "knowledge", None), getattr(args, "store", None))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_env(args)
        # One-shot commands print results, not an INFO log, unless a level is asked for.
        quiet = args.command != "serve" and "GUIDEBOT_LOG_LEVEL" not in os.environ
        setup_logging(settings, os.environ)
        if quiet:
            logging.getLogger().setLevel(logging.WARNING)
        if getattr(args, "needs_engine", False):
            from bot.engine import build_engine

            engine = build_engine(settings)
            if getattr(args, "needs_index", False):
                from bot.cli.index import ensure_index

                ensure_index(engine)
            code = int(args.handler(args, engine))
        else:
            code = int(args.handler(args, settings))
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at interpreter exit
        return code
    except GuidebotError as error:
        print(f"guidebot: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The output's reader closed the pipe (`| head`): stop quietly, as other tools do.

    Standard output is pointed at /dev/null so the interpreter's final flush cannot raise
    the same error again as a traceback on exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
