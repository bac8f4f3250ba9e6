"""`guidebot index` and `guidebot status`."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli import EXIT_OK, EXIT_WARNINGS

if TYPE_CHECKING:  # imported by the handler when the command runs
    from bot.engine import Engine
    from bot.index.report import IndexReport


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "index", parents=[subparsers.common], help="index the knowledge folder (incremental)"
    )
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    parser.add_argument("--watch", action="store_true", help="keep watching for changes")
    parser.add_argument(
        "--announce",
        action="store_true",
        help="post what changed to GUIDEBOT_ANNOUNCE_CHANNEL in Slack (once per index version)",
    )
    parser.set_defaults(handler=run_index, needs_engine=True)
    status = subparsers.add_parser(
        "status", parents=[subparsers.common], help="what is indexed, and what changed since"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=run_status, needs_engine=True)


def _progress_bar(show: bool) -> Any:
    """A tqdm bar on a terminal's stderr, or (None, None) when quiet or redirected."""
    if not show or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="text", desc="embedding", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar


def run_index(args: argparse.Namespace, engine: Engine) -> int:
    if args.watch:
        from bot.index.watch import watch_knowledge

        return watch_knowledge(announcing(engine) if args.announce else engine, quiet=args.quiet)
    indexer: Any = announcing(engine) if args.announce else engine
    report = _reindex(indexer, rebuild=args.rebuild, show_progress=not (args.quiet or args.json))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    elif not args.quiet or report.has_warnings:
        print(format_report(report))
    return EXIT_WARNINGS if report.has_warnings else EXIT_OK


def announcing(engine: Engine) -> Any:
    """The service with the Slack announcer listening: a content change posts a digest."""
    from bot.errors import ConfigError
    from bot.service import Guidebot
    from bot.slack.announce import announcer
    from bot.slack.app import make_client

    settings = engine.settings
    if not settings.announce_channel:
        raise ConfigError("--announce needs GUIDEBOT_ANNOUNCE_CHANNEL (a Slack channel id).")
    service = Guidebot(engine, settings)
    service.on_guidelines_changed(announcer(service, make_client(settings), settings))
    return service


def _reindex(engine: Any, *, rebuild: bool, show_progress: bool) -> IndexReport:
    progress, bar = _progress_bar(show_progress)
    try:
        return engine.reindex(rebuild=rebuild, progress=progress)
    finally:
        if bar is not None:
            bar.close()


def ensure_index(engine: Engine) -> None:
    """Build the index once when there is none, so a first `ask`, `review` or `serve` works.

    Said on stderr (stdout stays the command's own output, e.g. JSON lines), with the
    progress bar on a terminal and the files that could not be indexed.
    """
    if engine.store.manifest() is not None:
        return
    settings = engine.settings
    where = f"Chroma at {settings.chroma_host}" if settings.chroma_host else settings.store_dir
    print(
        f"guidebot: no guideline index in {where} yet; indexing {settings.knowledge_dir} "
        "first (once).",
        file=sys.stderr,
        flush=True,
    )
    report = _reindex(engine, rebuild=False, show_progress=True)
    print(f"guidebot: {format_report(report, listed=False)}", file=sys.stderr, flush=True)


def format_report(report: IndexReport, listed: bool = True) -> str:
    """The run in words; `listed=False` names only the files that failed or were skipped."""
    counts: dict[str, int] = {}
    for entry in report.files:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines = [
        f"{'Rebuilt' if report.rebuilt else 'Indexed'} in {report.seconds:.2f}s: "
        f"{report.embedded_chunks} chunks embedded, {report.total_chunks} in the index "
        f"({summary or 'no files'})."
    ]
    if not report.changed:
        lines[0] = f"Nothing changed ({report.total_chunks} chunks, {report.seconds:.2f}s)."
    for entry in report.files:
        if entry.status in {"failed", "skipped"}:
            lines.append(f"  {entry.status}: {entry.source}: {entry.reason}")
        elif listed and entry.status in {"indexed", "removed"}:
            lines.append(f"  {entry.status}: {entry.source} ({entry.chunks} chunks)")
    if report.rules == "invalid":
        lines.append(f"  review-rules.yaml NOT applied (previous rules stay): {report.rules_error}")
    elif report.rules == "loaded":
        lines.append("  review-rules.yaml loaded")
    return "\n".join(lines)


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "never"
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def store_bytes(engine: Engine) -> int | None:
    """Bytes the local index takes on disk (None for a Chroma server)."""
    if engine.settings.chroma_host:
        return None
    total = 0
    for folder, _dirs, names in os.walk(engine.settings.store_dir):
        for name in names:
            with contextlib.suppress(OSError):  # a file an index run removes meanwhile
                total += (Path(folder) / name).stat().st_size
    return total


def run_status(args: argparse.Namespace, engine: Engine) -> int:
    status = engine.status()
    size = store_bytes(engine)
    if args.json:
        print(json.dumps({**status.to_json(), "store_bytes": size}, ensure_ascii=False))
        return EXIT_OK
    if status.indexed_at is None:
        print("Nothing indexed yet: run `guidebot index`.")
        return EXIT_OK
    languages = ", ".join(f"{n} {lang}" for lang, n in sorted(status.languages.items()))
    print(
        f"{len(status.documents)} documents ({languages}), {status.chunks} chunks, "
        f"model {status.embedding_model}, last indexed {_when(status.indexed_at)} "
        f"({time.time() - status.indexed_at:.0f}s ago)"
        + (f", {size / 1e6:.1f} MB on disk in {engine.settings.store_dir}" if size else "")
    )
    for doc in status.documents:
        names = f"  names: {', '.join(doc.organisation)}" if doc.organisation else ""
        print(f"  {doc.source}  {doc.chunks} chunks  {doc.language}  {_when(doc.doc_mtime)}{names}")
    if status.abstention:
        print(
            f"Not covered below p(covered) {status.abstention['threshold']:.2f}, answered with a "
            f"caveat below {status.abstention['confident']:.2f} (one model for every folder)."
        )
    if status.changed_since:
        print("Changed since (run `guidebot index`):")
        for source in status.changed_since:
            print(f"  {source}")
    return EXIT_OK
