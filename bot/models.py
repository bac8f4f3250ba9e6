"""Result objects shared by the core, the CLI and the Slack shell.

The core returns these; the CLI prints them as text or JSON and Slack renders them as blocks,
so every edge works from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["de", "en"]
Mode = Literal["embedded", "llm"]
Verdict = Literal["ok", "needs_changes", "do_not_post"]
Severity = Literal["info", "warning", "blocker"]
# answer: quotes the guidelines; not_covered: they don't say; help: a greeting or "help";
# review: the message held a draft, reviewed like /review-post
AnswerKind = Literal["answer", "not_covered", "help", "review"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "blocker": 2}


@dataclass(frozen=True)
class Chunk:
    """A piece of a guideline document as indexed: verbatim text plus where it came from."""

    id: str
    source: str  # path relative to the knowledge dir, with forward slashes
    section: str  # "Guidelines > Confidentiality > Photos"
    text: str  # verbatim from the source document
    language: Language
    position: int  # order of the chunk within its document
    doc_hash: str  # content hash of the whole document: its version
    doc_mtime: float  # modification time of the document when indexed

    @property
    def indexed_text(self) -> str:
        """What retrieval sees of a chunk: its section titles carry the topic words."""
        return f"{self.section}\n{self.text}"


@dataclass(frozen=True)
class Window:
    """A run of whole sentences inside a chunk, embedded on its own (see bot/chunking.py)."""

    chunk_id: str
    start: int  # offsets into the chunk's text
    end: int


@dataclass(frozen=True)
class Sentence:
    """A guideline sentence or list item inside a chunk, embedded at index time on its own.

    Answers quote these and reviews cite them; `modality` (bot/index/modality.py) says whether
    the sentence prohibits, requires, conditionally permits or permits something.
    """

    chunk_id: str
    start: int  # offsets into the chunk's text
    end: int
    modality: str = "none"


@dataclass(frozen=True)
class Source:
    """A retrieved guideline passage, as cited to the user."""

    source: str
    section: str
    text: str
    score: float
    language: Language = "en"
    chunk_id: str = ""
    doc_hash: str = ""
    doc_mtime: float = 0.0
    rule: str = ""  # the sentence of `text` that states the rule cited (reviews)
    url: str = ""  # the official document online, if it declares one (bot/index/docinfo.py)
    version: str = ""  # the guideline's own version / effective date, if it states one

    @classmethod
    def of(cls, chunk: Chunk, score: float, rule: str = "") -> Source:
        """A chunk as cited, its score clipped to [0, 1]."""
        return cls(
            source=chunk.source,
            section=chunk.section,
            text=chunk.text,
            score=max(0.0, min(1.0, score)),
            language=chunk.language,
            chunk_id=chunk.id,
            doc_hash=chunk.doc_hash,
            doc_mtime=chunk.doc_mtime,
            rule=rule,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "section": self.section,
            "text": self.text,
            "score": round(float(self.score), 4),
        }
        if self.rule:
            data["rule"] = self.rule
        return data


def merge_sources(*groups: list[Source]) -> list[Source]:
    """One entry per passage (the best-scored one), best first: the sources of a whole review."""
    seen: dict[str, Source] = {}
    for group in groups:
        for source in group:
            key = f"{source.chunk_id or source.source + '#' + source.section}:{source.text[:80]}"
            if key not in seen or seen[key].score < source.score:
                seen[key] = source
    return sorted(seen.values(), key=lambda s: -s.score)


@dataclass(frozen=True)
class Turn:
    """One earlier question/answer pair of a conversation (a Slack thread)."""

    question: str
    answer: str = ""


@dataclass
class Answer:
    answer: str
    answered: bool
    language: Language
    mode: Mode
    sources: list[Source] = field(default_factory=list)
    note: str | None = None  # e.g. "the LLM failed, this is the embedded answer"
    audit_id: str | None = None  # set by bot.service; for feedback buttons, not in to_json
    kind: AnswerKind = "answer"
    review: Review | None = None  # set when the message was a pasted draft (kind "review")
    draft: str | None = None  # that draft, for the edges to show (never stored, not in to_json)

    def __post_init__(self) -> None:
        if self.kind == "answer" and not self.answered:
            self.kind = "not_covered"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "answer": self.answer,
            "answered": self.answered,
            "language": self.language,
            "mode": self.mode,
            "sources": [s.to_json() for s in self.sources],
            "kind": self.kind,
        }
        if self.note:
            data["note"] = self.note
        if self.review is not None:
            data["review"] = self.review.to_json()
        return data


@dataclass
class Finding:
    category: str
    severity: Severity
    excerpt: str  # exactly draft[start:end]
    start: int
    end: int
    advice: str
    suggestion: str | None = None
    sources: list[Source] = field(default_factory=list)
    detector: str = ""  # which detector produced it (e.g. "regex", "semantic", "llm")

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "severity": self.severity,
            "excerpt": self.excerpt,
            "start": self.start,
            "end": self.end,
            "advice": self.advice,
            "suggestion": self.suggestion,
            "sources": [s.to_json() for s in self.sources],
        }


def verdict_for(findings: list[Finding]) -> Verdict:
    """The worst severity decides: blocker -> do_not_post, warning -> needs_changes."""
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    if worst >= SEVERITY_RANK["blocker"]:
        return "do_not_post"
    if worst >= SEVERITY_RANK["warning"]:
        return "needs_changes"
    return "ok"


@dataclass
class Review:
    verdict: Verdict
    findings: list[Finding]
    sources: list[Source]
    language: Language
    mode: Mode
    note: str | None = None
    audit_id: str | None = None  # set by bot.service; for feedback buttons, not in to_json
    suggested_draft: str | None = None  # the findings' fixes applied, itself reviewed ok
    more_findings: int = 0  # findings left out after the first MAX_FINDINGS

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
            "sources": [s.to_json() for s in self.sources],
            "language": self.language,
            "mode": self.mode,
        }
        if self.note:
            data["note"] = self.note
        if self.suggested_draft is not None:
            data["suggested_draft"] = self.suggested_draft
        if self.more_findings:
            data["more_findings"] = self.more_findings
        return data


@dataclass(frozen=True)
class SnapshotInfo:
    """The index generation in use: what health probes and answer footers show."""

    generation: str
    chunks: int
    indexed_at: float


@dataclass(frozen=True)
class DocumentStatus:
    source: str
    chunks: int
    language: Language
    doc_hash: str
    doc_mtime: float
    organisation: tuple[str, ...] = ()  # the names that tie a question or draft to it


@dataclass
class IndexStatus:
    documents: list[DocumentStatus]
    chunks: int
    languages: dict[str, int]
    indexed_at: float | None
    embedding_model: str
    changed_since: list[str]  # documents added, changed or removed since the last index run
    # "is this covered?": below `threshold` not covered, below `confident` answered with a
    # caveat (bot/ask/abstention.py; fitted once on labelled sets, the same for every folder)
    abstention: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [
                d.__dict__ | {"organisation": list(d.organisation)} for d in self.documents
            ],
            "chunks": self.chunks,
            "languages": self.languages,
            "indexed_at": self.indexed_at,
            "embedding_model": self.embedding_model,
            "changed_since": self.changed_since,
            "abstention": self.abstention,
        }
