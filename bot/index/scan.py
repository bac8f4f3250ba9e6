"""Which files of the knowledge folder are guidelines, and their content hashes.

Hidden, temporary and editor files are never guidelines; links that leave the folder are not
followed, and a folder reached twice (a link back up, `en/again -> ..`) is walked once. Entries
that cannot be used (a link loop, a dangling link, a name that is not valid UTF-8, a folder
that cannot be read, an unsupported type) are reported and skipped: one bad entry never stops
the run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bot.errors import KnowledgeDirError
from bot.index.loaders import LOADERS
from bot.index.report import FileReport

RULES_FILE = "review-rules.yaml"
# Configuration beside the guidelines: rules, document links/versions, comms' examples.
EXAMPLES_FILE = "review-examples.yaml"
NOT_GUIDELINES = {RULES_FILE, "sources.yaml", EXAMPLES_FILE}


def is_ignored_name(name: str) -> bool:
    """Hidden, temporary and editor files that are never guidelines."""
    return (
        name.startswith((".", "~$", ".~lock"))
        or name.endswith(("~", ".tmp", ".swp", ".part"))
        or name in {"Thumbs.db", "desktop.ini"}
    )


def _printable(relative: str) -> str:
    """A name with undecodable bytes shown as U+FFFD, safe to print, store and send."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _problem(path: Path, real_root: Path) -> str | None:
    """Why a directory entry cannot be indexed, or None when it can."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8: rename it"
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return "broken link: its target does not exist"
    except (RuntimeError, OSError) as error:  # RuntimeError: a symlink loop (Python 3.11)
        if isinstance(error, RuntimeError) or getattr(error, "errno", None) == 40:
            return "link loop: the link points back to itself"
        return f"cannot read: {getattr(error, 'strerror', None) or error}"
    if not resolved.is_relative_to(real_root):
        return "link to outside the knowledge folder: not followed"
    return None


def scan_knowledge(root: Path) -> tuple[list[tuple[str, Path]], list[FileReport]]:
    """Guideline files under root as (relative source, path), plus notes on skipped entries."""
    if not root.exists():
        raise KnowledgeDirError(f"Knowledge folder {root} does not exist.")
    if not root.is_dir():
        raise KnowledgeDirError(f"Knowledge folder {root} is not a folder.")
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    skipped: list[FileReport] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        where = Path(str(error.filename or root))
        source = where.relative_to(root).as_posix() if where != root else "."
        reason = f"cannot read folder: {error.strerror or error}"
        skipped.append(FileReport(_printable(source), "skipped", reason=reason))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=unreadable):
        here = Path(folder)
        identity = (here.stat().st_dev, here.stat().st_ino)
        if identity in visited:  # reached again through a link: walked already
            dirs[:] = []
            continue
        visited.add(identity)
        kept_dirs = []
        for name in sorted(d for d in dirs if not is_ignored_name(d)):
            reason = _problem(here / name, real_root)
            if reason is None:
                kept_dirs.append(name)
            elif not reason.startswith("link to outside"):
                source = (here / name).relative_to(root).as_posix()
                skipped.append(FileReport(_printable(source), "skipped", reason=reason))
        dirs[:] = kept_dirs
        for name in sorted(names):
            path = here / name
            source = path.relative_to(root).as_posix()
            if is_ignored_name(name) or source in NOT_GUIDELINES:
                continue
            reason = _problem(path, real_root)
            if reason is not None:
                if not reason.startswith("link to outside"):
                    skipped.append(FileReport(_printable(source), "skipped", reason=reason))
                continue
            if path.suffix.lower() not in LOADERS:
                skipped.append(FileReport(source, "skipped", reason="unsupported file type"))
                continue
            found.append((source, path))
    return found, skipped


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]
