"""Append comms' decisions to knowledge/review-examples.yaml, so the review learns from them.

The file belongs to the comms team too (they may edit and comment it), so an append keeps
everything already there byte for byte: the new item is added as text under `examples:` and
the result is checked by parsing it; only a file whose layout does not allow that (e.g. a
flow-style list, or another key after the list) is rewritten from its parsed data. Writers on
several threads or processes take turns with a lock file, and each write is a rename of a
complete temporary file, so the next index run never reads half an item.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

EXAMPLES_FILE = "review-examples.yaml"
HEADER = (
    "# Drafts with the comms team's decision, used as examples by the review.\n"
    "# guidebot appends decisions taken in Slack with 'use as example'; edit freely.\n"
    "examples:\n"
)
_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: one writer at a time is all we can promise
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def example_item(
    text: str, verdict: str, categories: list[str], note: str, decided_by: str, on: date
) -> dict[str, Any]:
    """One item in the contract's shape (see the module docstring of bot/review/examples)."""
    return {
        "text": text,
        "verdict": verdict,
        "categories": list(categories),
        "note": note,
        "source": "slack-approval",
        "decided_by": decided_by,
        "decided_at": on.isoformat(),
    }


def _examples(text: str) -> list[Any] | None:
    data = yaml.safe_load(text) if text.strip() else None
    if data is None:
        return []
    if not isinstance(data, dict):
        return None
    examples = data.get("examples")
    return examples if isinstance(examples, list) else ([] if examples is None else None)


def _appended_text(existing: str, item: dict[str, Any]) -> str:
    if not existing.strip():
        existing = HEADER
    elif not re.search(r"^examples:", existing, re.MULTILINE):
        existing = existing.rstrip("\n") + "\nexamples:\n"
    found = _ITEM.search(existing, existing.index("examples:"))
    indent = found.group(1) if found else "  "
    dumped = yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=1000)
    block = "".join(indent + line for line in dumped.splitlines(keepends=True))
    return existing.rstrip("\n") + "\n" + block


def append_example(knowledge_dir: Path, item: dict[str, Any]) -> Path:
    """Add `item` to the examples file (created if missing); returns the file's path."""
    path = Path(knowledge_dir) / EXAMPLES_FILE
    with _locked(path):
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        before = _examples(existing)
        text = _appended_text(existing, item)
        try:
            after = _examples(text)
        except yaml.YAMLError:
            after = None
        if before is None or after != [*before, item]:
            data = yaml.safe_load(existing) if existing.strip() else {}
            data = data if isinstance(data, dict) else {"previous": data}
            examples = data.get("examples")
            data["examples"] = [*(examples if isinstance(examples, list) else []), item]
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        _write_atomically(path, text)
    return path


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
