"""JSON lines in and out for `ask --jsonl` and `review --jsonl`: one output line per input line.

Scripts pair results with inputs by position, so every input line gets exactly one output
line, in order: a blank line, a line that is not UTF-8 or not JSON gets an `{"error": ...}`
object in its place instead of being skipped or ending the run with a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.errors import InputError


class LineError(ValueError):
    """One input line cannot be used; the message says why and names the line."""


def input_lines(name: str = "-") -> Iterator[tuple[int, str | LineError]]:
    """(line number, text) for each line of a file or stdin, or a LineError for a bad one."""
    if name != "-":
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            raise InputError(f"Cannot read {name}: {error.strerror or error}") from None
        yield from _numbered(data.splitlines(keepends=True))
        return
    binary: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    yield from _numbered(binary if binary is not None else sys.stdin)


def _numbered(
    stream: Iterable[bytes] | Iterable[str],
) -> Iterator[tuple[int, str | LineError]]:
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        except UnicodeDecodeError as error:
            yield number, LineError(f"line {number}: not valid UTF-8 (byte {error.start + 1})")
            continue
        yield number, line.rstrip("\r\n").removeprefix("\ufeff" if number == 1 else "")


def write_line(out: TextIO, data: dict[str, Any]) -> None:
    """One JSON object on one line, flushed so a reader sees each result as it comes."""
    out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()
