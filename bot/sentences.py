"""Verbatim sentence spans of guideline text, for extractive answers and quotes."""

from __future__ import annotations

import re

# A sentence ends at . ! ? followed by space and an upper-case letter/digit/quote, or at a line
# break (list items, headings). Abbreviations like "z. B." and "e.g." must not cut.
_ABBREVIATIONS = re.compile(
    r"\b(?:z|d|u|o|bzw|ggf|inkl|ca|vgl|evtl|Nr|Dr|Prof|Abs|Art|e\.g|i\.e|etc|vs|approx|no)\.$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]»“”]?\s+(?=[\"'(\[„“»]?[A-ZÄÖÜ0-9#@])|\n+")


def sentence_spans(text: str, min_chars: int = 12) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text, stripped, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if "\n" not in match.group(0) and _ABBREVIATIONS.search(candidate):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        trimmed = piece.strip()
        if len(trimmed) >= min_chars or (trimmed and len(spans) == 1):
            result.append((begin + lead, begin + lead + len(trimmed)))
    return result


def sentences(text: str, min_chars: int = 12) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, min_chars)]
