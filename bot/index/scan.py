"""Which files of the knowledge folder are guidelines, and their content hashes.

Hidden, temporary and editor files are never guidelines; links that leave the folder are not
followed; unsupported types are reported, not silently dropped.
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
NOT_GUIDELINES = {RULES_FILE, "sources.yaml", "review-examples.yaml"}


def is_ignored_name(name: str) -> bool:
    """Hidden, temporary and editor files that are never guidelines."""
    return (
        name.startswith((".", "~$", ".~lock"))
        or name.endswith(("~", ".tmp", ".swp", ".part"))
        or name in {"Thumbs.db", "desktop.ini"}
    )


def scan_knowledge(root: Path) -> tuple[list[tuple[str, Path]], list[FileReport]]:
    """Guideline files under root as (relative source, path), plus notes on skipped files."""
    if not root.exists():
        raise KnowledgeDirError(f"Knowledge folder {root} does not exist.")
    if not root.is_dir():
        raise KnowledgeDirError(f"Knowledge folder {root} is not a folder.")
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    skipped: list[FileReport] = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not is_ignored_name(d))
        if not Path(folder).resolve().is_relative_to(real_root):
            dirs[:] = []
            continue
        for name in sorted(names):
            path = Path(folder) / name
            source = path.relative_to(root).as_posix()
            if is_ignored_name(name) or source in NOT_GUIDELINES:
                continue
            if not path.resolve().is_relative_to(real_root):
                continue  # a symlink pointing outside the knowledge folder
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
