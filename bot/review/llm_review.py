"""LLM mode: the chat model refines the embedded review, within guard rails.

The model gets the draft as delimited data, the retrieved guideline passages and the embedded
findings, and answers with structured output (pydantic). It may add findings, confirm or drop
the embedded *semantic* ones and write suggestions; it can never drop a deterministic finding
(a token, an IBAN, an injection attempt), so a draft with secrets or an injection never turns
"ok". When the draft tries to manipulate the reviewer, or the model quotes its own prompt, the
model's free text is not shown (template advice instead). Malformed output is retried once; any
failure falls back to the embedded review with a note.
"""

from __future__ import annotations

import difflib
import logging
import re
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from bot.config import Settings
from bot.embeddings import Embedder
from bot.llm import LlmGate, invoke_with_timeout
from bot.models import Finding, Language, Review, Source, merge_sources, verdict_for
from bot.prompts import load_prompt
from bot.review.advice import advice_for
from bot.review.categories import BLOCKER_ALWAYS, CATEGORIES
from bot.review.cite import Citer
from bot.review.rulebook import RuleBook
from bot.review.rules import Rules
from bot.sentences import draft_sentence_spans


class Reviewer(Protocol):
    """What the LLM review uses of bot.review.engine.Reviewer."""

    embedder: Embedder
    citer: Citer
    rulebook: RuleBook
    rules: Rules
    settings: Settings
    chat_model: Any
    gate: LlmGate


log = logging.getLogger(__name__)
PROMPT_VARIABLES = frozenset(
    {"language", "account", "platform", "categories", "guidelines", "findings", "draft"}
)
MAX_PASSAGE_CHARS = 1500
MAX_FREE_TEXT = 800  # advice or a suggestion longer than this is not advice
NOTES = {
    "malformed": {
        "en": "The LLM's answer could not be read twice; this is the embedded review.",
        "de": "Die Antwort des LLM war zweimal unlesbar; dies ist die eingebettete Prüfung.",
    },
    "failed": {
        "en": "The LLM was not available ({reason}); this is the embedded review.",
        "de": "Das LLM war nicht erreichbar ({reason}); dies ist die eingebettete Prüfung.",
    },
}

CategoryName: Any = Literal[tuple(CATEGORIES)]  # the built-in category names, checked by pydantic


class LlmFinding(BaseModel):
    """One problem in the draft."""

    category: CategoryName = Field(description="one of the listed category names")
    excerpt: str = Field(description="the exact words of the draft that cause the problem")
    advice: str = Field(description="what to change and which guideline rule applies")
    suggestion: str | None = Field(None, description="replacement text for the excerpt")


class LlmReview(BaseModel):
    """The review of a social-media draft against the guidelines."""

    findings: list[LlmFinding] = Field(default_factory=list)
    verdict: Literal["ok", "needs_changes", "do_not_post"] = "ok"


class MalformedOutput(Exception):
    pass


def _delimit(text: str) -> str:
    """The draft cannot close its own delimiter: tags inside it are defanged."""
    return re.sub(r"<\s*/?\s*draft\s*>", lambda m: m.group(0).replace("<", "‹").replace(">", "›"),
                  text, flags=re.IGNORECASE)  # fmt: skip


def build_messages(text: str, account: str, platform: str | None, review: Review,
                   guidelines: list[Source], rules: Any) -> list[Any]:  # fmt: skip
    from langchain_core.messages import HumanMessage, SystemMessage

    prompt = load_prompt("review", PROMPT_VARIABLES)
    categories = "\n".join(
        f"- {name}: {c.description['en']}" for name, c in CATEGORIES.items() if rules.enabled(name)
    )
    passages = "\n\n".join(
        f"[{i}] {s.source} > {s.section}\n{s.text[:MAX_PASSAGE_CHARS]}"
        for i, s in enumerate(guidelines, 1)
    ) or "(none)"  # fmt: skip
    findings = "\n".join(
        f"- {f.category} ({f.severity}, {f.detector}): \"{f.excerpt}\"" for f in review.findings
    ) or "(none)"  # fmt: skip
    system, user = prompt.render(
        language="German" if review.language == "de" else "English",
        account=account, platform=platform or "unknown", categories=categories,
        guidelines=passages, findings=findings, draft=_delimit(text),
    )  # fmt: skip
    return [SystemMessage(system), HumanMessage(user)]


def _invoke(reviewer: Reviewer, messages: list[Any]) -> LlmReview:
    from langchain_core.exceptions import OutputParserException

    structured = reviewer.chat_model.with_structured_output(LlmReview)
    try:
        result = invoke_with_timeout(
            structured, messages, reviewer.gate, reviewer.settings.llm_timeout_s
        )
    except (ValidationError, OutputParserException, ValueError, KeyError, TypeError) as error:
        raise MalformedOutput(str(error)) from error
    if isinstance(result, dict):
        try:
            result = LlmReview.model_validate(result)
        except ValidationError as error:
            raise MalformedOutput(str(error)) from error
    if not isinstance(result, LlmReview):
        raise MalformedOutput(f"no structured answer ({type(result).__name__})")
    return result


def llm_review(text: str, account: str, platform: str | None, reviewer: Reviewer,
               embedded: Review) -> Review:  # fmt: skip
    """The embedded review refined by the chat model, or the embedded one with a note."""
    language: Language = embedded.language
    vector = reviewer.embedder.embed([text])[0]
    guidelines = merge_sources(embedded.sources, reviewer.citer.for_text(vector, k=4))
    messages = build_messages(text, account, platform, embedded, guidelines, reviewer.rules)
    answer = None
    for _attempt in range(2):  # malformed output is retried once
        try:
            answer = _invoke(reviewer, messages)
            break
        except MalformedOutput as error:
            log.warning("LLM review output malformed: %s", error)
        except Exception as error:  # timeouts, BusyError, and provider errors of every kind
            reason = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
            log.warning("LLM review failed: %s", reason)
            return _fallback(embedded, NOTES["failed"][language].format(reason=reason))
    if answer is None:
        return _fallback(embedded, NOTES["malformed"][language])
    return _merge(text, account, reviewer, embedded, answer, str(messages[0].content))


def _fallback(embedded: Review, note: str) -> Review:
    embedded.note = note
    return embedded


def _shown(value: str | None, system: str, manipulated: bool) -> str | None:
    """The model's free text, unless the draft tried to manipulate it or it quotes the prompt."""
    if value is None or manipulated or len(value) > MAX_FREE_TEXT:
        return None
    flat = " ".join(value.split())
    lines = (" ".join(line.split()) for line in system.splitlines())
    return None if any(len(line) > 40 and line in flat for line in lines) else value


def _merge(text: str, account: str, reviewer: Reviewer, embedded: Review, answer: LlmReview,
           system: str) -> Review:  # fmt: skip
    rules = reviewer.rules
    manipulated = any(f.category == "prompt_injection" for f in embedded.findings)
    suggested = {f.category: f for f in answer.findings}
    # Deterministic findings always stay, and so does any sign of an injection or a secret (the
    # model may be the one being manipulated); other semantic ones stay if the LLM confirms them.
    findings = [
        f for f in embedded.findings
        if f.detector not in ("semantic", "model") or f.category in BLOCKER_ALWAYS
        or f.category in suggested
    ]  # fmt: skip
    for finding in findings:
        llm = suggested.get(finding.category)
        if llm is not None and finding.suggestion is None:
            finding.suggestion = _shown(llm.suggestion, system, manipulated)
    for item in answer.findings:
        if not rules.enabled(item.category) or CATEGORIES[item.category].scope not in (
            "any", account):  # fmt: skip
            continue
        start, end = locate(text, item.excerpt)
        if any(f.category == item.category and f.start < end and start < f.end for f in findings):
            continue
        vector = reviewer.embedder.embed([text[start:end]])[0]
        prior = reviewer.citer.document_prior(text)
        sources = reviewer.citer.cite(item.category, vector, text[start:end], "",
                                      embedded.language, prior)  # fmt: skip
        advice = _shown(item.advice.strip(), system, manipulated) or advice_for(
            item.category, embedded.language, "", sources, german_address=rules.german_address
        )
        suggestion = _shown(item.suggestion, system, manipulated)
        findings.append(Finding(item.category, rules.severity(item.category), text[start:end],
                                start, end, advice, suggestion, sources, "llm"))  # fmt: skip
    findings.sort(key=lambda f: f.start)
    sources = merge_sources(*(f.sources for f in findings)) or embedded.sources
    return Review(verdict_for(findings), findings, sources, embedded.language, "llm")


def locate(text: str, excerpt: str) -> tuple[int, int]:
    """Where the model's quote is in the draft: exact, case-insensitive, else closest sentence."""
    quote = excerpt.strip().strip("\"'„“”")
    if quote:
        at = text.find(quote)
        if at < 0:
            at = text.lower().find(quote.lower())
        if at >= 0:
            return at, at + len(quote)
    spans = draft_sentence_spans(text)
    best = max(spans, key=lambda s: difflib.SequenceMatcher(None, text[s[0] : s[1]], quote).ratio())
    return best
