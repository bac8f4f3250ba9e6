"""Heading-aware chunking: paragraphs merged under their section up to a size, never across one.

Chunks are verbatim slices of the loaded text, so any quote from them is findable in the
original. Merging paragraphs under their heading beat fixed 1,000/200 character windows for
every retriever on real guidelines; the size limit (GUIDEBOT_CHUNK_CHARS, default 2,000) was
chosen with bench/chunk_sizes.py: recall@5 rose up to 2,000 and fell beyond (BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re

from bot.index.loaders import Block, LoadedDocument
from bot.language import detect_language
from bot.models import Chunk
from bot.sentences import sentence_spans

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"'„“(\[]?[A-ZÄÖÜ0-9])|\n\s*\n|\n(?=\s*[-*•] )")
CHUNKER_VERSION = "sections-v1+windows-500"
# Each chunk is also embedded as windows of whole sentences up to this size: the multilingual
# model's similarity blurs over a 2,000-character chunk, and the best window of a chunk finds
# the one rule in it (parent-document retrieval; "without sentence windows" in
# bench/ablation.py).
WINDOW_CHARS = 500


def _heading_text(raw: str) -> str:
    return " ".join(raw.strip().lstrip("#").strip().strip("=").split())


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split one over-long block at sentence ends into spans of at most ~limit chars."""
    cuts = [start]
    last = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start() - cuts[-1] > limit and last > cuts[-1]:
            cuts.append(last)
        last = match.end()
    spans = []
    for i, cut in enumerate(cuts):
        stop = cuts[i + 1] if i + 1 < len(cuts) else end
        span_text = text[cut:stop]
        stripped_end = cut + len(span_text.rstrip())
        if stripped_end > cut:
            spans.append((cut, stripped_end))
    # A block without sentence ends (a huge table) is cut hard rather than kept whole.
    result: list[tuple[int, int]] = []
    for span_start, span_end in spans:
        while span_end - span_start > limit * 2:
            cut = text.rfind(" ", span_start, span_start + limit) + 1 or span_start + limit
            result.append((span_start, cut))
            span_start = cut
        result.append((span_start, span_end))
    return result


def _sections(document: LoadedDocument) -> list[tuple[str, list[Block]]]:
    """Text blocks grouped by their section path ("Title > Heading > Subheading")."""
    stack: list[tuple[int, str]] = []
    groups: list[tuple[str, list[Block]]] = []
    for block in document.blocks:
        if block.kind == "heading":
            title = _heading_text(document.text[block.start : block.end])
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, title))
            groups.append((" > ".join(t for _, t in stack), []))
        else:
            if not groups:
                groups.append((document.title, []))
            groups[-1][1].append(block)
    return [(path, blocks) for path, blocks in groups if blocks]


def chunk_document(
    document: LoadedDocument, source: str, doc_hash: str, doc_mtime: float, max_chars: int
) -> list[Chunk]:
    """Chunks of one document, each within one section and at most ~max_chars long."""
    doc_language = detect_language(document.text[:20_000])
    spans: list[tuple[str, int, int]] = []
    for section, blocks in _sections(document):
        current: tuple[int, int] | None = None
        for block in blocks:
            pieces = (
                _split_long(document.text, block.start, block.end, max_chars)
                if block.end - block.start > max_chars
                else [(block.start, block.end)]
            )
            for start, end in pieces:
                if current and end - current[0] <= max_chars:
                    current = (current[0], end)
                else:
                    if current:
                        spans.append((section, *current))
                    current = (start, end)
        if current:
            spans.append((section, *current))
    chunks = []
    for position, (section, start, end) in enumerate(spans):
        text = document.text[start:end]
        digest = hashlib.sha1(f"{source}\x00{position}\x00{text}".encode()).hexdigest()[:20]
        chunks.append(
            Chunk(
                id=digest,
                source=source,
                section=section or document.title,
                text=text,
                language=detect_language(text, default=doc_language),
                position=position,
                doc_hash=doc_hash,
                doc_mtime=doc_mtime,
            )
        )
    return chunks


def window_spans(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """Consecutive runs of whole sentences of at most `size` characters (a longer sentence is
    a window of its own), as (start, end) offsets into the chunk text."""
    windows: list[tuple[int, int]] = []
    for start, end in sentence_spans(text, min_chars=1):
        if windows and end - windows[-1][0] <= size:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows
