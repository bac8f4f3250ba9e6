"""`guidebot index --watch`: re-index the knowledge folder whenever a file in it changes.

Editors and sync clients save in bursts (temp file, rename, metadata), so events are debounced:
a run starts once the folder has been quiet for `debounce_s`. Each run is the normal
incremental `Engine.reindex()`, which switches queries only to a complete index; a failed run
is reported and the watcher keeps going with the previous index in force.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from bot.errors import GuidebotError, KnowledgeDirError
from bot.index.report import IndexReport
from bot.index.scan import is_ignored_name

# Reads (opened / closed without writing) are left out: the index run itself reads every
# file, and would otherwise trigger the next run, forever.
_CHANGES = {"created", "modified", "deleted", "moved", "closed"}
_POLL_S = 0.1


class _ChangeTracker(FileSystemEventHandler):
    """Remembers when the knowledge folder last changed; ignores editor and temp files."""

    def __init__(self) -> None:
        self.pending = threading.Event()
        self.last_change = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed: that file has its own event
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        names = [Path(str(p)).name for p in paths if p]
        if all(is_ignored_name(name) for name in names):
            return
        self.last_change = time.monotonic()
        self.pending.set()


def summary_line(report: IndexReport) -> str:
    """One line per run: what changed, how big the index is, and any file that failed."""
    counts: dict[str, int] = {}
    for entry in report.files:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    files = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no files"
    stamp = time.strftime("%H:%M:%S")
    if not report.changed:
        line = f"[{stamp}] nothing changed ({report.total_chunks} chunks)"
    else:
        verb = "rebuilt" if report.rebuilt else "re-indexed"
        line = (
            f"[{stamp}] {verb} in {report.seconds:.1f}s: {files}; "
            f"{report.embedded_chunks} chunks embedded, {report.total_chunks} in the index"
        )
    problems = [f"{f.source} ({f.reason})" for f in report.warnings]
    if report.rules == "invalid":
        problems.append(f"review-rules.yaml not applied ({report.rules_error})")
    return line + (f"; problems: {'; '.join(problems)}" if problems else "")


def _run_once(engine: Any, quiet: bool) -> None:
    """One incremental run; a failure is printed and the previous index stays in force."""
    try:
        report = engine.reindex()
    except GuidebotError as error:
        print(f"[{time.strftime('%H:%M:%S')}] index run failed: {error}", file=sys.stderr)
        return
    except Exception as error:  # anything else must not end the watch either
        print(
            f"[{time.strftime('%H:%M:%S')}] index run failed ({type(error).__name__}: {error}); "
            "the previous index stays in force.",
            file=sys.stderr,
        )
        return
    if not quiet or report.has_warnings:
        print(summary_line(report), flush=True)


def watch_knowledge(
    engine: Any,
    quiet: bool,
    stop: threading.Event | None = None,
    debounce_s: float = 1.0,
) -> int:
    """Index now, then re-index after every burst of changes until Ctrl-C or `stop` is set."""
    folder = Path(engine.settings.knowledge_dir)
    if not folder.is_dir():
        raise KnowledgeDirError(f"Knowledge folder {folder} does not exist or is not a folder.")
    stop = stop or threading.Event()
    tracker = _ChangeTracker()
    observer = Observer()
    observer.schedule(tracker, str(folder), recursive=True)
    observer.start()  # before the first run, so a change made during it is not missed
    try:
        _run_once(engine, quiet)
        if not quiet:
            print(f"Watching {folder} for changes (Ctrl-C to stop).", flush=True)
        while not stop.is_set():
            if not tracker.pending.wait(_POLL_S):
                continue
            quiet_for = time.monotonic() - tracker.last_change
            if quiet_for < debounce_s:
                stop.wait(debounce_s - quiet_for)
                continue
            tracker.pending.clear()
            _run_once(engine, quiet)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(timeout=5)
    return 0
