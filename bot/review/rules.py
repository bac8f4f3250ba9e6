"""review-rules.yaml: what the comms team can change without code, validated with line numbers.

The indexer validates the file and stores the result (a plain dict) in the index manifest, so
every replica reviews with the same rules and a broken file never replaces working ones.
`Rules.from_data(None)` gives the built-in defaults, which must review sensibly on their own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from bot.errors import ConfigError, RulesError
from bot.models import Severity
from bot.review.categories import BLOCKER_ALWAYS, CATEGORIES
from bot.review.phrases import PhraseBook, builtin_phrases, changed_phrase, check_regex
from bot.review.vocabulary import load_vocabulary
from bot.review.yaml_lines import line_of

# Disclosure wording that is fine for any employer (used with or without a rules file).
DEFAULT_AD_TAGS = ("#ad", "#anzeige", "#werbung", "#sponsored", "#advertisement",
                   "paid partnership", "bezahlte partnerschaft", "sponsored by", "gesponsert",
                   "in kooperation mit", "unbezahlte werbung")  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"regex {pattern!r} does not compile: {error}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]


class CategoryRule(_Strict):
    enabled: bool = True
    severity: Severity | None = None
    keywords: list[str] = Field(default_factory=list)
    regexes: list[Regex] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    cues: list[Regex] = Field(default_factory=list)  # make semantic evidence credible
    builtin_examples: bool = True  # false: only this file's examples count
    builtin_cues: bool = True


class CompanyRule(_Strict):
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    codenames: list[str] = Field(default_factory=list)  # products in development
    confidential_projects: list[str] = Field(default_factory=list)  # strategic, secret plans
    customers: list[str] = Field(default_factory=list)
    competitors: list[str] = Field(default_factory=list)
    internal_domains: list[str] = Field(default_factory=list)


class DisclosureRule(_Strict):
    affiliation_tags: list[str] = Field(default_factory=list)
    ad_tags: list[str] = Field(default_factory=list)


class AdviceRule(_Strict):
    address: Literal["Sie", "du"] = "Sie"  # how German advice addresses the employee


class PhraseRule(_Strict):
    """A change to a built-in phrase entry (bot/review/data/phrases.yaml)."""

    enabled: bool = True
    add: list[str] = Field(default_factory=list)  # regexes matched besides the built-in ones
    replace: list[str] | None = None  # regexes matched instead of the built-in ones


class ExampleDraft(BaseModel):
    """One labelled draft from knowledge/review-examples.yaml (comms' own decisions)."""

    model_config = ConfigDict(extra="ignore")  # source, decided_by, decided_at: provenance
    text: str = Field(min_length=1)
    verdict: Literal["ok", "needs_changes", "do_not_post"]
    categories: list[str] = Field(default_factory=list)
    note: str = ""


class ExamplesFile(_Strict):
    examples: list[ExampleDraft] = Field(default_factory=list)


class RulesFile(_Strict):
    version: int = 1
    examples: list[ExampleDraft] = Field(default_factory=list)  # from review-examples.yaml
    advice: AdviceRule = Field(default_factory=AdviceRule)
    company: CompanyRule = Field(default_factory=CompanyRule)
    disclosure: DisclosureRule = Field(default_factory=DisclosureRule)
    categories: dict[str, CategoryRule] = Field(default_factory=dict)
    phrases: dict[str, PhraseRule] = Field(default_factory=dict)


def validate_rules_text(text: str, name: str = "review-rules.yaml") -> dict[str, Any]:
    """The validated rules as a JSON-serialisable dict; RulesError naming the line otherwise."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RulesError(f"{name}{where}: not valid YAML ({problem}).") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RulesError(f"{name} line 1: expected a mapping with company, disclosure, categories.")
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        line = line_of(root, loc)
        where = ".".join(str(p) for p in loc)
        raise RulesError(f"{name} line {line}: {where}: {first['msg']}.") from None
    for category, rule in parsed.categories.items():
        line = line_of(root, ("categories", category))
        if category not in CATEGORIES:
            known = ", ".join(sorted(CATEGORIES))
            raise RulesError(f"{name} line {line}: unknown category {category!r} (known: {known}).")
        if category in BLOCKER_ALWAYS and (
            not rule.enabled or rule.severity not in (None, "blocker")
        ):
            raise RulesError(
                f"{name} line {line}: {category} cannot be disabled or weakened: "
                "such drafts must never pass review."
            )
    _check_phrases(parsed, root, name)
    return parsed.model_dump(mode="json")


def _check_phrases(parsed: RulesFile, root: yaml.Node | None, name: str) -> None:
    builtin = builtin_phrases()
    for entry, rule in parsed.phrases.items():
        line = line_of(root, ("phrases", entry))
        if entry not in builtin.phrases:
            known = ", ".join(sorted(builtin.phrases))
            raise RulesError(
                f"{name} line {line}: unknown phrase entry {entry!r} (known: {known})."
            )
        if builtin.phrases[entry].protected and (not rule.enabled or rule.replace is not None):
            raise RulesError(
                f"{name} line {line}: phrases.{entry} can be widened (add:), not switched off "
                "or replaced: such drafts must never pass review."
            )
        for part in ("add", "replace"):
            for number, pattern in enumerate(getattr(rule, part) or []):
                where = f"{name} line {line_of(root, ('phrases', entry, part, number))}"
                try:
                    check_regex(pattern, re.IGNORECASE, where)
                except ConfigError as error:
                    raise RulesError(str(error)) from None
    book = _phrase_book(parsed)
    try:
        for entry in book.phrases:  # a reference can reach a changed entry from any other
            book.expanded(entry)
    except ConfigError as error:
        raise RulesError(f"{name} line {line_of(root, ('phrases',))}: {error}") from None


def _phrase_book(parsed: RulesFile) -> PhraseBook:
    builtin = builtin_phrases()
    if not parsed.phrases:
        return builtin
    return builtin.with_changes({
        entry: changed_phrase(builtin.phrases[entry], rule.enabled, tuple(rule.add),
                              tuple(rule.replace) if rule.replace is not None else None)
        for entry, rule in parsed.phrases.items()
    })  # fmt: skip


def validate_examples_text(text: str, name: str = "review-examples.yaml") -> list[dict[str, Any]]:
    """The comms team's labelled drafts; RulesError naming the line otherwise."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RulesError(f"{name}{where}: not valid YAML.") from None
    try:
        parsed = ExamplesFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc)
        raise RulesError(f"{name} line {line_of(root, loc)}: {where}: {first['msg']}.") from None
    for number, example in enumerate(parsed.examples):
        unknown = sorted(set(example.categories) - set(CATEGORIES))
        if unknown:
            line = line_of(root, ("examples", number))
            raise RulesError(f"{name} line {line}: unknown category {unknown[0]!r}.")
    return [e.model_dump(mode="json") for e in parsed.examples]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"Cannot read {path}: {error}") from error


def validate_rules_file(path: Path, examples: Path | None = None) -> dict[str, Any]:
    """review-rules.yaml (if there) with review-examples.yaml's drafts (if there)."""
    rules = validate_rules_text(_read(path), str(path)) if path.is_file() else {}
    if examples is not None and examples.is_file():
        rules["examples"] = validate_examples_text(_read(examples), str(examples))
    return rules


@dataclass(frozen=True)
class CategoryConfig:
    """A category as reviewed: built-in defaults with the rules file applied."""

    name: str
    enabled: bool
    severity: Severity
    patterns: tuple[re.Pattern[str], ...]  # keywords and regexes from the rules file
    examples: tuple[str, ...]
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    company_names: tuple[str, ...] = ()  # name and aliases
    codenames: tuple[str, ...] = ()
    confidential_projects: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    internal_domains: tuple[str, ...] = ()
    affiliation_tags: tuple[str, ...] = ()
    ad_tags: tuple[str, ...] = DEFAULT_AD_TAGS
    categories: dict[str, CategoryConfig] = field(default_factory=dict)
    from_file: bool = False
    german_address: str = "Sie"
    examples: tuple[ExampleDraft, ...] = ()  # comms' labelled drafts (review-examples.yaml)
    phrases: PhraseBook = field(default_factory=builtin_phrases)  # the precise detectors' wording

    def enabled(self, category: str) -> bool:
        config = self.categories.get(category)
        return bool(config and config.enabled)

    def severity(self, category: str) -> Severity:
        return self.categories[category].severity

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Rules:
        return _rules_from_json(json.dumps(data, sort_keys=True) if data else "")


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword matches as a whole word (or tag), case-insensitively."""
    escaped = re.sub(r"(?:\\[ -]|-)+", r"[\\s-]+", re.escape(keyword.strip()))
    start = r"(?<![\w#@])" if keyword[:1].isalnum() else ""
    end = r"(?!\w)" if keyword[-1:].isalnum() else ""
    return re.compile(start + escaped + end, re.IGNORECASE)


@lru_cache(maxsize=32)
def _rules_from_json(raw: str) -> Rules:
    parsed = RulesFile.model_validate(json.loads(raw)) if raw else RulesFile()
    vocabulary = load_vocabulary()
    categories = {}
    for name, category in CATEGORIES.items():
        rule = parsed.categories.get(name, CategoryRule())
        patterns = [_keyword_pattern(k) for k in rule.keywords if k.strip()]
        patterns += [re.compile(r, re.IGNORECASE) for r in rule.regexes]
        categories[name] = CategoryConfig(
            name=name,
            enabled=rule.enabled or name in BLOCKER_ALWAYS,
            severity=rule.severity or category.severity,
            patterns=tuple(patterns),
            examples=(vocabulary.examples.get(name, ()) if rule.builtin_examples else ())
            + tuple(rule.examples),
            cues=(vocabulary.cues.get(name, ()) if rule.builtin_cues else ()) + tuple(rule.cues),
        )
    company = parsed.company
    names = ([company.name] if company.name else []) + company.aliases
    ad_tags = tuple(
        dict.fromkeys([*DEFAULT_AD_TAGS, *(t.lower() for t in parsed.disclosure.ad_tags)])
    )
    return Rules(
        company_names=tuple(n for n in names if n.strip()),
        codenames=tuple(company.codenames),
        confidential_projects=tuple(company.confidential_projects),
        customers=tuple(company.customers),
        competitors=tuple(company.competitors),
        internal_domains=tuple(company.internal_domains),
        affiliation_tags=tuple(parsed.disclosure.affiliation_tags),
        ad_tags=ad_tags,
        categories=categories,
        from_file=bool(raw),
        german_address=parsed.advice.address,
        examples=tuple(parsed.examples),
        phrases=_phrase_book(parsed),
    )
