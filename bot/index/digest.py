"""The "what changed" digest: what differs between two index generations, in plain words.

Guidelines must be updated often and staff told; a digest lists documents added and removed
and sections added, changed and removed, by title. It is computed from what the index holds
(each chunk's source, section and text), not from file dates, so a re-saved file or a change of
whitespace is no change, and it works the same whichever process built the new generation.

`IndexWatch` remembers the generation last seen by this process and, when the engine answers
from a newer one (a re-index here, or one built elsewhere and picked up), hands the digest to
its listeners (the Slack announcer). Without listeners it does nothing and costs nothing.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.index.docinfo import DocumentInfoIndex
from bot.models import Chunk

log = logging.getLogger(__name__)
CHANGES = ("added", "changed", "removed")


@dataclass(frozen=True)
class SectionChange:
    source: str
    section: str  # "Policy > 3. Privacy > 3.1 Photos"
    change: str  # added | changed | removed


@dataclass(frozen=True)
class Digest:
    generation: str  # the new generation: one digest per generation, however many replicas
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # source -> URL it declares
    languages: list[str] = field(default_factory=list)  # of the knowledge folder, most first

    def __bool__(self) -> bool:
        return bool(self.documents_added or self.documents_removed or self.sections)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digest:
        sections = [SectionChange(**s) for s in data.get("sections", [])]
        return cls(**{**data, "sections": sections})


def _norm(text: str) -> str:
    return " ".join(text.split())


def _by_section(chunks: Iterable[Chunk]) -> dict[str, dict[str, str]]:
    """source -> section -> its text (whitespace normalised), chunks joined in order."""
    parts: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for chunk in chunks:
        sections = parts.setdefault(chunk.source, {})
        sections.setdefault(_norm(chunk.section), []).append((chunk.position, _norm(chunk.text)))
    return {
        source: {name: " ".join(t for _, t in sorted(texts)) for name, texts in sections.items()}
        for source, sections in parts.items()
    }


def compute_digest(
    old: Iterable[Chunk],
    new: Iterable[Chunk],
    generation: str,
    links: Callable[[str], str] = lambda source: "",
) -> Digest:
    """What differs between two generations' chunks; falsy when nothing (but whitespace) did."""
    new = list(new)
    before, after = _by_section(old), _by_section(new)
    sections: list[SectionChange] = []
    for source in sorted(set(before) & set(after)):
        was, now = before[source], after[source]
        sections += [SectionChange(source, s, "added") for s in now if s not in was]
        sections += [
            SectionChange(source, s, "changed") for s in now if s in was and was[s] != now[s]
        ]
        sections += [SectionChange(source, s, "removed") for s in was if s not in now]
    added = sorted(set(after) - set(before))
    mentioned = {*added, *(s.source for s in sections)}
    languages: list[str] = [lang for lang, _ in Counter(c.language for c in new).most_common()]
    return Digest(
        generation=generation,
        documents_added=added,
        documents_removed=sorted(set(before) - set(after)),
        sections=sections,
        links={s: url for s in sorted(mentioned) if (url := links(s))},
        languages=languages or ["en"],
    )


class IndexWatch:
    """Turns "the engine now answers from another generation" into a digest for listeners."""

    def __init__(self, engine: Any, documents: DocumentInfoIndex) -> None:
        self.engine = engine
        self.documents = documents
        self.listeners: list[Callable[[Digest], None]] = []
        self._seen: tuple[str, list[Chunk]] | None = None
        self._lock = threading.Lock()

    def _current(self) -> tuple[str, list[Chunk]] | None:
        try:
            snapshot = self.engine.retriever.snapshot
        except Exception:  # nothing indexed yet (or an engine stand-in without an index)
            return None
        return snapshot.manifest.generation, list(snapshot.chunks)

    def baseline(self) -> None:
        """Remember what is answering now (once), so the next change can be described."""
        if not self.listeners:
            return
        with self._lock:
            if self._seen is None:
                self._seen = self._current()

    def check(self, report: Any = None) -> None:
        """If the generation changed since last seen, tell the listeners what changed."""
        if not self.listeners or (report is not None and not getattr(report, "changed", True)):
            return
        info = self.engine.snapshot_info() if hasattr(self.engine, "snapshot_info") else None
        if info is not None and self._seen is not None and info.generation == self._seen[0]:
            return  # the common case, every refresh tick: nothing new, nothing copied
        with self._lock:
            current = self._current()
            if current is None or (self._seen is not None and self._seen[0] == current[0]):
                return
            previous, self._seen = self._seen, current
        if previous is None:
            return  # the first index this process sees: a baseline, not a change
        digest = compute_digest(
            previous[1], current[1], current[0], lambda s: self.documents.get(s).url
        )
        if not digest:
            return
        for listener in list(self.listeners):
            try:
                listener(digest)
            except Exception as error:  # an announcement must never break indexing
                log.error("digest listener failed: %s", type(error).__name__)
