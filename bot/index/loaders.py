"""Turn guideline files into plain text plus a list of heading and paragraph blocks.

Every loader returns the document's text and blocks that point into it by offset, so a chunk is
always a verbatim slice: for Markdown and plain text the file itself, for HTML, PDF and DOCX the
text a reader sees. A loader raises LoadError with a reason a person understands.

Hostile and oddly encoded files are handled in bot.index.file_guards.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.index.file_guards import (
    MAX_TEXT_CHARS,
    LoadError,
    check_archive,
    decode_text,
    too_long,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "text"
    start: int
    end: int
    level: int = 0  # heading level, 1 = title


@dataclass(frozen=True)
class LoadedDocument:
    text: str
    blocks: list[Block]
    title: str


class _Builder:
    """Accumulates extracted blocks into one text with offsets (HTML, PDF, DOCX)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.length = 0

    def add(self, kind: str, text: str, level: int = 0) -> None:
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        self.blocks.append(Block(kind, self.length, self.length + len(text), level))
        self.parts.append(text)
        self.length += len(text)

    def build(self, fallback_title: str) -> LoadedDocument:
        text = "".join(self.parts)
        return LoadedDocument(text, self.blocks, _title(text, self.blocks, fallback_title))


def _title(text: str, blocks: list[Block], fallback: str) -> str:
    for block in blocks:
        if block.kind == "heading":
            return text[block.start : block.end].lstrip("# ").strip()
    return fallback


_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def _line_blocks(text: str, markdown: bool) -> list[Block]:
    """Paragraphs separated by blank lines; Markdown headings become heading blocks."""
    blocks: list[Block] = []
    offset = 0
    para_start: int | None = None
    para_end = 0
    in_fence = False
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        end = offset + len(line.rstrip("\r\n"))
        if markdown and stripped.startswith("```"):
            in_fence = not in_fence
        heading = markdown and not in_fence and _MD_HEADING.match(line)
        setext = (
            markdown
            and not in_fence
            and para_start is not None
            and _SETEXT.match(stripped)
            and i > 0
            and lines[i - 1].strip()
        )
        if setext and para_start is not None:
            level = 1 if stripped.startswith("=") else 2
            blocks.append(Block("heading", para_start, para_end, level))
            para_start = None
        elif heading:
            if para_start is not None:
                blocks.append(Block("text", para_start, para_end))
                para_start = None
            level = len(heading.group(1))
            start = offset + (len(line) - len(line.lstrip()))
            blocks.append(Block("heading", start, end, level))
        elif not stripped:
            if para_start is not None and not in_fence:
                blocks.append(Block("text", para_start, para_end))
                para_start = None
        else:
            if para_start is None:
                para_start = offset + (len(line) - len(line.lstrip()))
            para_end = end
        offset += len(line)
    if para_start is not None:
        blocks.append(Block("text", para_start, para_end))
    return blocks


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def front_matter(text: str) -> tuple[dict[str, Any], int]:
    """A Markdown file's YAML front matter and the offset where its body starts (0: none)."""
    match = _FRONT.match(text)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, 0
    return (data, match.end()) if isinstance(data, dict) else ({}, 0)


# Bumped when a loader reads the same file differently, or names are guessed differently
# (bot/orgnames.py): stored records are rebuilt.
LOADER_VERSION = "loaders-v4"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def blank_comments(text: str) -> str:
    """HTML comments replaced by spaces (line breaks kept): Markdown never shows them, so
    they are notes about the file ("Source: …"), not guideline text; offsets stay valid."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def load_markdown(path: Path) -> LoadedDocument:
    text = blank_comments(decode_text(path.read_bytes()))
    body = front_matter(text)[1]  # url:/version: metadata, not guideline text
    blocks = [b for b in _line_blocks(text, markdown=True) if b.start >= body]
    return LoadedDocument(text, blocks, _title(text, blocks, path.stem))


def load_text(path: Path) -> LoadedDocument:
    text = decode_text(path.read_bytes())
    blocks = _line_blocks(text, markdown=False)
    return LoadedDocument(text, blocks, path.stem)


def load_html(path: Path) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(path.read_bytes()), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        tag.decompose()
    builder = _Builder()
    heading_tags = {f"h{i}": i for i in range(1, 7)}
    text_tags = {"p", "li", "td", "th", "blockquote", "pre", "dd", "dt", "figcaption"}
    for element in soup.find_all(list(heading_tags) + list(text_tags)):
        if element.name in text_tags and element.find_parent(list(text_tags)):
            continue  # nested (a <p> inside an <li>): its parent already holds the text
        text = " ".join(element.get_text(" ", strip=True).split())
        if element.name in heading_tags:
            builder.add("heading", text, heading_tags[element.name])
        else:
            builder.add("text", text)
    if not builder.blocks:
        body = " ".join(soup.get_text(" ", strip=True).split())
        builder.add("text", body)
    title = soup.title.get_text(strip=True) if soup.title else path.stem
    document = builder.build(title)
    return LoadedDocument(document.text, document.blocks, title or document.title)


def load_docx(path: Path) -> LoadedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise LoadError(f"not a readable DOCX file ({error.__class__.__name__})") from None
    except Exception as error:  # zipfile.BadZipFile, lxml errors: all mean a broken file
        raise LoadError(f"not a readable DOCX file ({error})") from None
    builder = _Builder()
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        match = re.match(r"(Heading|Überschrift)\s*(\d)", style)
        if style == "Title":
            builder.add("heading", paragraph.text, 1)
        elif match:
            builder.add("heading", paragraph.text, int(match.group(2)) + 1)
        else:
            builder.add("text", paragraph.text)
    for table in document.tables:
        for row in table.rows:
            builder.add("text", " | ".join(cell.text.strip() for cell in row.cells))
    return builder.build(path.stem)


def load_pdf(path: Path) -> LoadedDocument:
    """Text of each page; lines set in a larger font than the body become headings."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        # Many PDFs are "encrypted" with an empty password only to forbid editing: open them.
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF: it needs a password; save a copy without one")
        lines: list[tuple[str, float]] = []
        length = 0
        for page in reader.pages:
            page_lines = _pdf_lines(page)
            length += sum(len(text) for text, _ in page_lines)
            if length > MAX_TEXT_CHARS:
                raise LoadError(too_long(length))
            lines.extend(page_lines)
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"not a readable PDF ({error})") from None
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise LoadError(f"not a readable PDF ({error.__class__.__name__}: {error})") from None
    if not any(text.strip() for text, _ in lines):
        raise LoadError("PDF has no extractable text (scanned image?)")
    sizes = [size for text, size in lines if text.strip() and size > 0]
    body = statistics.median(sizes) if sizes else 0.0
    builder = _Builder()
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.add("text", " ".join(paragraph))
            paragraph.clear()

    for text, size in lines:
        text = " ".join(text.split())
        if not text:
            flush()
        elif body and size > body * 1.15 and len(text) < 120:
            flush()
            builder.add("heading", text, 1 if size > body * 1.6 else 2)
        else:
            paragraph.append(text)
            if text.endswith((".", ":", "!", "?")) and len(text) < 60:
                flush()
    flush()
    return builder.build(path.stem)


def _pdf_lines(page: object) -> list[tuple[str, float]]:
    """(line text, font size) pairs, via pypdf's text visitor."""
    fragments: list[tuple[str, float, float]] = []  # text, size, y

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(tm[3] * cm[3]) if tm and cm else 1.0
        fragments.append((text, size * (scale or 1.0), tm[5] * cm[3] + cm[5] if tm else 0.0))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    lines: list[tuple[str, float]] = []
    current: list[str] = []
    current_size = 0.0
    for text, size, _y in fragments:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece.strip():
                current.append(piece)
                current_size = max(current_size, size)
            if i < len(pieces) - 1:
                lines.append(("".join(current), current_size))
                current, current_size = [], 0.0
    if current:
        lines.append(("".join(current), current_size))
    return lines


LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def load_document(path: Path) -> LoadedDocument:
    """Load any supported file; raise LoadError (empty, too large, unreadable, broken)."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'}")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LoadError(f"cannot read file ({error.strerror})") from None
    if size == 0:
        raise LoadError("empty file")
    if size > MAX_FILE_BYTES:
        raise LoadError(
            f"file is {size / 1e6:.0f} MB, above the {MAX_FILE_BYTES // 10**6} MB limit"
        )
    try:
        document = loader(path)
    except PermissionError:
        raise LoadError("permission denied") from None
    except OSError as error:
        raise LoadError(f"cannot read file ({error.strerror or error})") from None
    if not any(b.kind == "text" for b in document.blocks):
        raise LoadError("no text found")
    if len(document.text) > MAX_TEXT_CHARS:
        raise LoadError(too_long(len(document.text)))
    return document
