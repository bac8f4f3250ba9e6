"""Where a guideline document lives online and which version it is, for citations.

A citation should link to the official document and name the guideline's own version or
effective date: the file's modification time says nothing (a fresh checkout shows today). The
information comes, first match wins, from `knowledge/sources.yaml` (file -> url/title/version),
from Markdown front matter (`url:`, `title:`, `version:`, `effective:`), or from a
"Version 3.1, Stand: 1. Oktober 2026" / "Version 2.2, effective 1 October 2026" line near the
top of the document. Read from the knowledge folder and cached per file modification time, so
the index format does not change; a replica without the folder simply cites without links.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.index.loaders import front_matter
from bot.models import Source

SOURCES_FILE = "sources.yaml"
HEAD_CHARS = 1500  # where a document states its version
_VERSION = re.compile(
    r"\bVersion\s+(\d+(?:\.\d+)*)(?:,\s+(?P<date>\d{1,2}\.?\s+\w+\s+\d{4})\b)?",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(Stand|Effective|gültig ab|valid from|as of|last updated|zuletzt aktualisiert)\b:?"
    r"\s+([^\n;]{0,40}?\b\d{4})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentInfo:
    url: str = ""
    title: str = ""
    version: str = ""  # e.g. "Version 3.1, Stand: 1. Oktober 2026"


def version_in_text(text: str) -> str:
    """ "Version 3.1, Stand: 1. Oktober 2026" from a document's first lines, or ""."""
    head = text[:HEAD_CHARS]
    parts = []
    version = _VERSION.search(head)
    if version:
        parts.append(f"Version {version.group(1)}")
        if version.group("date"):
            parts.append(version.group("date"))
    date = _DATE.search(head)
    if date and not (version and version.group("date")):
        separator = ": " if head[date.end(1) : date.end(1) + 1] == ":" else " "
        parts.append(f"{date.group(1)}{separator}{' '.join(date.group(2).split())}")
    return ", ".join(parts)


def _declared(data: dict[str, Any]) -> DocumentInfo:
    version = " · ".join(str(data[k]) for k in ("version", "effective") if data.get(k))
    if data.get("version") and not str(data["version"]).lower().startswith("v"):
        version = f"Version {version}"
    url = str(data.get("url") or "")
    return DocumentInfo(url if url.startswith(("https://", "http://")) else "",
                        str(data.get("title") or ""), version)  # fmt: skip


class DocumentInfoIndex:
    """Document info per knowledge-folder source, re-read when a file changes."""

    def __init__(self, knowledge_dir: Path) -> None:
        self.root = Path(knowledge_dir)
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def describe(self, sources: list[Source]) -> list[Source]:
        """The sources with their document's URL and version filled in where known."""
        described = []
        for source in sources:
            info = self.get(source.source)
            if info.url or info.version:
                source = replace(source, url=info.url, version=info.version)
            described.append(source)
        return described

    def get(self, source: str) -> DocumentInfo:
        declared = self._sources_file().get(source)
        if declared is not None and declared.url and declared.version:
            return declared
        found = self._from_document(source)
        if declared is None:
            return found
        return DocumentInfo(
            declared.url or found.url, declared.title or found.title,
            declared.version or found.version,
        )  # fmt: skip

    def _sources_file(self) -> dict[str, DocumentInfo]:
        data = self._cached(SOURCES_FILE, self._read_sources)
        return data if isinstance(data, dict) else {}

    def _read_sources(self, path: Path) -> dict[str, DocumentInfo]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return {}
        entries = data.get("sources", data) if isinstance(data, dict) else {}
        if not isinstance(entries, dict):
            return {}
        return {
            str(name): _declared(entry if isinstance(entry, dict) else {"url": entry})
            for name, entry in entries.items()
        }

    def _from_document(self, source: str) -> DocumentInfo:
        info = self._cached(source, self._read_document)
        return info if isinstance(info, DocumentInfo) else DocumentInfo()

    def _read_document(self, path: Path) -> DocumentInfo:
        from bot.index.loaders import LoadError, load_document

        try:
            if path.suffix.lower() in {".md", ".markdown"}:
                text = path.read_text(encoding="utf-8-sig")
                data, start = front_matter(text)
                declared = _declared(data)
                if declared.version:
                    return declared
                return DocumentInfo(declared.url, declared.title, version_in_text(text[start:]))
            return DocumentInfo(version=version_in_text(load_document(path).text))
        except (OSError, UnicodeDecodeError, LoadError):
            return DocumentInfo()

    def _cached(self, name: str, read: Any) -> Any:
        path = self.root / name
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        with self._lock:
            hit = self._cache.get(name)
        if hit is not None and hit[0] == mtime:
            return hit[1]
        value = read(path)
        with self._lock:
            self._cache[name] = (mtime, value)
        return value
