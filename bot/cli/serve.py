"""`guidebot serve`: run the Slack app (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the handler when the command runs
    from bot.engine import Engine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        parents=[subparsers.common],
        help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, otherwise HTTP)",
        description="Serve guidebot in Slack. With SLACK_APP_TOKEN set it connects over Socket "
        "Mode; otherwise (or with --http) it serves POST /slack/events and GET /healthz.",
    )
    parser.add_argument(
        "--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set"
    )
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="HTTP address (default 127.0.0.1; 0.0.0.0 in a container)",
    )
    # The index is built (if missing) by run_serve after Slack accepted the token.
    parser.set_defaults(handler=run_serve, needs_engine=True)


def run_serve(args: argparse.Namespace, engine: Engine) -> int:
    from bot.cli.index import ensure_index
    from bot.service import Guidebot
    from bot.slack.serve import serve

    service = Guidebot(engine, engine.settings)
    return serve(
        service,
        engine.settings,
        http=args.http,
        host=args.host,
        port=args.port,
        prepare=lambda: ensure_index(engine),
    )
