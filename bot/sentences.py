"""Verbatim sentence spans: of guideline text (for quotes) and of drafts (for findings).

Both return (start, end) offsets into the text, stripped, so a quote or an excerpt is always
an exact slice. Guidelines are formal prose with abbreviations ("z. B.", "e.g.") that must
not cut; drafts are informal, with emoji, dashes and missing spaces after full stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ABBREVIATIONS = re.compile(
    r"\b(?:z|d|u|o|bzw|ggf|inkl|ca|vgl|evtl|Nr|Dr|Prof|Abs|Art|e\.g|i\.e|etc|vs|approx|no)\.$",
    re.IGNORECASE,
)
_GUIDELINE_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]»“”]?\s+(?=[\"'(\[„“»]?[A-ZÄÖÜ0-9#@])|\n+")
_LIST_MARKER = re.compile(r"(?:[-*•–]|\d{1,2}[.)])\s+")
# A hard-wrapped line ("…an allergic reaction\nor contained…"): one line break between a word
# or a comma and a lower-case word is a soft break inside the sentence, as Markdown reads it.
_WRAPPED_BEFORE = re.compile(r"[\w,;]\Z")
_WRAPPED_AFTER = re.compile(r"[ \t]*[a-zäöüß]")
_DRAFT_BOUNDARY = re.compile(
    r"(?<=[.!?…])[\"')\]]?\s+|\n+|\s+(?:---+|–|—)\s+|(?<=[.!?])(?=[A-ZÄÖÜ])"
)


def _spans(
    text: str,
    boundary: re.Pattern[str],
    keep: Callable[[str], bool],
    joins: Callable[[str, str, str], bool] = lambda before, gap, after: False,
) -> list[tuple[int, int]]:
    """Pieces between boundary matches, stripped, that `keep` accepts; `joins(before, gap,
    after)` says when a boundary match does not cut."""
    cuts: list[tuple[int, int]] = []
    start = 0
    for match in boundary.finditer(text):
        after = text[match.end() : match.end() + 3]
        if joins(text[start : match.start()].rstrip(), match.group(0), after):
            continue
        cuts.append((start, match.start()))
        start = match.end()
    cuts.append((start, len(text)))
    result = []
    for begin, end in cuts:
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        trimmed = piece.strip()
        if keep(trimmed):
            result.append((begin + lead, begin + lead + len(trimmed)))
    return result


def sentence_spans(text: str, min_chars: int = 12) -> list[tuple[int, int]]:
    """Sentences (and list items, without their "- " or "2." marker) of guideline text of at
    least `min_chars` characters."""
    spans = [
        _without_list_marker(text, start, end)
        for start, end in _spans(
            text,
            _GUIDELINE_BOUNDARY,
            keep=lambda piece: len(piece) >= min_chars,
            joins=_joins_guideline,
        )
    ]
    stripped = text.strip()
    if not spans and stripped:  # one short sentence is still a sentence
        start = text.index(stripped)
        return [(start, start + len(stripped))]
    return spans


def _joins_guideline(before: str, gap: str, after: str) -> bool:
    """An abbreviation's full stop, or a hard-wrapped line, does not end a sentence."""
    if "\n" not in gap:
        return bool(_ABBREVIATIONS.search(before))
    line = before.rsplit("\n", 1)[-1].lstrip()
    return (
        gap == "\n"
        and not line.startswith(("#", "|"))
        and bool(_WRAPPED_BEFORE.search(before))
        and bool(_WRAPPED_AFTER.match(after))
    )


def _without_list_marker(text: str, start: int, end: int) -> tuple[int, int]:
    marker = _LIST_MARKER.match(text, start, end)
    return (marker.end(), end) if marker and marker.end() < end else (start, end)


def draft_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a draft post; pieces with fewer than three letters (emoji) are dropped."""
    spans = _spans(text, _DRAFT_BOUNDARY, keep=lambda piece: sum(c.isalpha() for c in piece) >= 3)
    return spans or [(0, len(text))]


def sentences(text: str, min_chars: int = 12) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, min_chars)]


_LINE_MARKUP = re.compile(r"^[\s>#*_\-•]+|[\s*_`]+$")


def asks_question(text: str, start: int, end: int) -> bool:
    """Whether the sentence at text[start:end] belongs to a question the guideline asks
    itself (an FAQ's "**I took a photo. Can I post it?**"): it names a topic, it rules nothing.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return _LINE_MARKUP.sub("", line).endswith("?")
