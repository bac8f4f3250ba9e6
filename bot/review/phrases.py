"""The precise detectors' phrases (bot/review/data/phrases.yaml), with the rules file applied.

The detectors' wording is data, so the comms team can read it and widen, replace or switch off
an entry in review-rules.yaml. What a match means (which category, what else it needs) stays in
the detector. Every pattern is checked on load; a mistake names the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot.errors import ConfigError
from bot.review.yaml_lines import line_of

REFERENCE = re.compile(r"\{=(\w+)\}")
RUNTIME_REFERENCES = frozenset({"org"})  # filled in at review time: the company's names
NEVER = r"(?!x)x"  # what a switched-off entry matches
_FIELDS = frozenset({"what", "words", "patterns", "case_sensitive", "protected"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 5x faster at start


@dataclass(frozen=True)
class Phrase:
    name: str
    what: str
    words: tuple[str, ...]  # whole words (may hold regex syntax: "empfehl\w*")
    patterns: tuple[str, ...]  # regular expressions
    case_sensitive: bool = False
    protected: bool = False  # can be widened, never switched off or replaced

    def source(self) -> str:
        parts = [rf"(?<!\w)(?:{'|'.join(self.words)})(?!\w)"] if self.words else []
        return "|".join([*parts, *self.patterns]) or NEVER


def check_regex(pattern: str, flags: int, where: str) -> None:
    """ConfigError naming `where` when a pattern (references filled with a dummy) is broken."""
    try:
        re.compile(REFERENCE.sub("x", pattern), flags)
    except re.error as error:
        raise ConfigError(f"{where}: regex {pattern!r} does not compile: {error}") from None


def _texts(value: Any, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise ConfigError(f"{where}: {field} must be a list of non-empty texts.")
    return tuple(value)


def read_phrases(text: str, name: str) -> dict[str, Phrase]:
    """The entries of a phrases file; ConfigError naming the file and line otherwise."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise ConfigError(f"{name}: not valid YAML ({error}).") from None
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{name}, line 1: needs a mapping of phrase entries.")
    phrases = {}
    for key, entry in data.items():
        where = f"{name}, line {line_of(root, (key,))}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: {key} needs what, words and/or patterns.")
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise ConfigError(f"{where}: {key} has an unknown field {unknown[0]!r}.")
        phrase = Phrase(
            name=str(key),
            what=str(entry.get("what", "")),
            words=_texts(entry.get("words"), where, f"{key}.words"),
            patterns=_texts(entry.get("patterns"), where, f"{key}.patterns"),
            case_sensitive=bool(entry.get("case_sensitive", False)),
            protected=bool(entry.get("protected", False)),
        )
        if not phrase.words and not phrase.patterns:
            raise ConfigError(f"{where}: {key} has neither words nor patterns.")
        flags = 0 if phrase.case_sensitive else re.IGNORECASE
        for field in ("words", "patterns"):
            for number, pattern in enumerate(getattr(phrase, field)):
                check_regex(pattern, flags, f"{name}, line {line_of(root, (key, field, number))}")
        phrases[phrase.name] = phrase
    _check_references(phrases, name)
    return phrases


def _check_references(phrases: Mapping[str, Phrase], name: str) -> None:
    for phrase in phrases.values():
        for pattern in (*phrase.words, *phrase.patterns):
            for ref in REFERENCE.findall(pattern):
                if ref not in phrases and ref not in RUNTIME_REFERENCES:
                    raise ConfigError(
                        f"{name}: {phrase.name} refers to {{={ref}}}, which is not an entry."
                    )


class PhraseBook:
    """Compiled phrase entries; `{=name}` is expanded, `{=org}` filled per review."""

    def __init__(self, phrases: Mapping[str, Phrase]) -> None:
        self.phrases = dict(phrases)
        self._compiled: dict[str, re.Pattern[str]] = {}

    def expanded(self, name: str, seen: tuple[str, ...] = ()) -> str:
        if name in seen:
            raise ConfigError(f"phrases: {' -> '.join((*seen, name))} refers to itself.")
        source = self.phrases[name].source()

        def fill(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref in RUNTIME_REFERENCES:
                return match.group(0)
            if ref not in self.phrases:
                raise ConfigError(f"phrases: {name} refers to {{={ref}}}, which is not an entry.")
            return f"(?:{self.expanded(ref, (*seen, name))})"

        return REFERENCE.sub(fill, source)

    def _flags(self, name: str) -> int:
        return 0 if self.phrases[name].case_sensitive else re.IGNORECASE

    def __getitem__(self, name: str) -> re.Pattern[str]:
        if name not in self._compiled:
            self._compiled[name] = re.compile(self.expanded(name), self._flags(name))
        return self._compiled[name]

    def with_org(self, name: str, org_names: tuple[str, ...]) -> re.Pattern[str]:
        """The entry with `{=org}` standing for the company's names (none: never matches)."""
        return _with_org(self, name, org_names)

    def with_changes(self, changes: Mapping[str, Phrase]) -> PhraseBook:
        return PhraseBook({**self.phrases, **changes})


@lru_cache(maxsize=256)
def _with_org(book: PhraseBook, name: str, org_names: tuple[str, ...]) -> re.Pattern[str]:
    org = "|".join(re.escape(n) for n in sorted(org_names, key=len, reverse=True)) or NEVER
    return re.compile(book.expanded(name).replace("{=org}", org), book._flags(name))


def changed_phrase(phrase: Phrase, enabled: bool, add: tuple[str, ...],
                   replace_with: tuple[str, ...] | None) -> Phrase:  # fmt: skip
    """A built-in entry as the rules file changes it."""
    if not enabled:
        return replace(phrase, words=(), patterns=())
    if replace_with is not None:
        return replace(phrase, words=(), patterns=replace_with + add)
    return replace(phrase, patterns=phrase.patterns + add)


@lru_cache(maxsize=1)
def builtin_phrases() -> PhraseBook:
    text = (resources.files("bot.review") / "data" / "phrases.yaml").read_text(encoding="utf-8")
    book = PhraseBook(read_phrases(text, "bot/review/data/phrases.yaml"))
    for name in book.phrases:
        book[name]  # a cycle or a pattern broken only once expanded fails at start
    return book
