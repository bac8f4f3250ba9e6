"""A corrected draft from the findings' suggestions, offered only when it passes the review.

Putting each suggestion in place of its excerpt can leave broken text: deleting an e-mail
address from "Contact me at anna@x.de." leaves "Contact me at." The rewrite therefore drops
the whole sentence when what would remain of it is a fragment, and the caller reviews the
result again and offers it only when that review finds nothing (a kept teaser, a second risk).
"""

from __future__ import annotations

import re

from bot.models import Finding
from bot.sentences import draft_sentence_spans

MIN_REMAINING_WORDS = 4  # fewer words left of a sentence after a deletion: drop the sentence
_DANGLING = re.compile(
    r"(?:\b(?:at|to|on|in|of|for|with|from|by|via|an|bei|unter|von|mit|für|über|auf|and|und|"
    r"or|oder|the|der|die|das|my|mein\w*|our|unser\w*)|[:,(–-])\W*$",
    re.IGNORECASE,
)


def rewrite(text: str, findings: list[Finding]) -> str | None:
    """The draft with the suggestions applied, or None when no finding suggests anything."""
    edits = sorted(
        (f for f in findings if f.suggestion is not None and text[f.start : f.end] == f.excerpt),
        key=lambda f: f.start,
    )
    spans: list[tuple[int, int, str]] = []
    for finding in edits:
        start, end, replacement = finding.start, finding.end, finding.suggestion or ""
        if not replacement:
            start, end = _deletion_span(text, start, end)
        if spans and start < spans[-1][1]:
            continue  # overlapping findings: the first one wins
        spans.append((start, end, replacement))
    if not spans:
        return None
    parts, position = [], 0
    for start, end, replacement in spans:
        parts += [text[position:start], replacement]
        position = end
    parts.append(text[position:])
    return _tidy("".join(parts))


def _deletion_span(text: str, start: int, end: int) -> tuple[int, int]:
    """What a deletion removes: the excerpt, or its whole sentence when only a fragment (or a
    dangling "Contact me at") would be left of it."""
    for s, e in draft_sentence_spans(text):
        if s <= start and end <= e:
            before, after = text[s:start], text[end:e]
            remaining = len(re.findall(r"\w+", before + " " + after))
            if remaining < MIN_REMAINING_WORDS or _DANGLING.search(before):
                return s, e
    return start, end


def _tidy(text: str) -> str:
    """No double spaces or a space before punctuation where something was cut out."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()
