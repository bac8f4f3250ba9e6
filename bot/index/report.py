"""What an index run did, per file and in total: printed by the CLI, posted by Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FileReport:
    source: str
    status: str  # indexed | unchanged | removed | failed | skipped
    chunks: int = 0
    reason: str = ""


@dataclass
class IndexReport:
    files: list[FileReport] = field(default_factory=list)
    embedded_chunks: int = 0
    total_chunks: int = 0
    rebuilt: bool = False
    changed: bool = False
    rules: str = "none"  # none | loaded | unchanged | invalid
    rules_error: str = ""
    seconds: float = 0.0

    @property
    def warnings(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def has_warnings(self) -> bool:
        return bool(self.warnings) or self.rules == "invalid"

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.__dict__ for f in self.files],
            "embedded_chunks": self.embedded_chunks,
            "total_chunks": self.total_chunks,
            "rebuilt": self.rebuilt,
            "changed": self.changed,
            "rules": self.rules,
            "rules_error": self.rules_error,
            "warnings": len(self.warnings) + (self.rules == "invalid"),
            "seconds": round(self.seconds, 3),
        }
