"""review_draft: precise detectors, semantic detectors, a cited rule and advice per finding.

The embedded review always runs: it is the whole answer without an LLM, and the floor the LLM
review may add to but never lower (see llm_review.py).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from bot.errors import InputError
from bot.language import detect_language
from bot.models import SEVERITY_RANK, Finding, Language, Review, Source, verdict_for
from bot.ops.limits import check_draft
from bot.review import detectors, facts, patterns
from bot.review.advice import advice_for, label
from bot.review.categories import CATEGORIES
from bot.review.cite import citer_for
from bot.review.detectors import Hit
from bot.review.rules import Rules
from bot.review.semantic import (
    THRESHOLD,
    draft_units,
    semantic_hits,
    semantic_model,
)
from bot.sentences import draft_sentence_spans

ACCOUNTS = ("personal", "company")
COMPETITOR_MARGIN = 0.08  # a named competitor needs less semantic evidence of disparagement


def check_review_input(text: str, account: str, settings: Any) -> None:
    """Refuse drafts the review cannot handle, with a message that says what to do."""
    check_draft(text, settings)  # the same size rules as every edge (bot/limits.py)
    if account not in ACCOUNTS:
        raise InputError(f"account must be 'personal' or 'company', not {account!r}.")


def review_draft(text: str, account: str = "personal", platform: str | None = None,
                 *, engine: Any) -> Review:  # fmt: skip
    """Review a draft post; with a chat model configured the LLM refines the embedded result."""
    check_review_input(text, account, engine.settings)
    review = embedded_review(text, account, platform, engine)
    if engine.chat_model is None:
        return review
    from bot.review.llm_review import llm_review

    return llm_review(text, account, platform, engine, review)


def embedded_review(text: str, account: str, platform: str | None, engine: Any) -> Review:
    retriever = engine.retriever
    rules: Rules = engine.rules
    language: Language = detect_language(text)
    context = _context(retriever, rules)
    units = draft_units(text)
    vectors = engine.embedder.embed([u.text for u in units])
    model = semantic_model(engine.embedder, rules)
    citer = citer_for(retriever)
    semantic = semantic_hits(model, units, vectors, citer.support(vectors))

    hits: list[Hit] = [
        *detectors.prompt_injection(text),
        *detectors.secrets(text),
        *detectors.personal_data(text),
        *facts.company_facts(text, rules),
        *detectors.language(text),
        *facts.keyword_rules(text, rules),
        *patterns.workplace(text),
        *patterns.hostility(text),
        *patterns.health_of_others(text),
        *patterns.speaking(text, context["org_names"]),
        *facts.missing_ad(text, rules),
        *facts.political(text, account, rules, context["org_names"], context["fundraising"]),
    ]
    if account == "personal":
        hits += facts.missing_affiliation(text, rules, context["org_names"])
    hits += _competitors(text, rules, model, units, vectors)
    hits += facts.disparagement(text, context["org_names"])
    found = {h.category for h in hits}
    if not facts.tied_to_employer(
        text, account, rules, context["org_names"], context["fundraising"]
    ):
        found.add("political_endorsement_as_company")  # a private opinion: allowed
    hits += [h for h in semantic if h.category not in found]
    hits = [h for h in _whole_instructions(hits, text) if _applies(h.category, account, rules)]

    findings = [_finding(h, text, language, rules, citer, units, vectors) for h in _dedupe(hits)]
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.start))
    sources = _overall_sources(findings) or citer.for_text(_mean(vectors))
    return Review(verdict_for(findings), findings, sources, language, "embedded")


def _applies(category: str, account: str, rules: Rules) -> bool:
    scope = CATEGORIES[category].scope
    return rules.enabled(category) and scope in ("any", account)


_contexts: dict[int, dict[str, Any]] = {}
_lock = threading.Lock()


def _context(retriever: Any, rules: Rules) -> dict[str, Any]:
    """What the review learns from the guidelines themselves, once per index snapshot."""
    with _lock:
        cached = _contexts.get(id(retriever))
        if cached is None or cached["retriever"] is not retriever:
            chunks = retriever.snapshot.chunks
            ban = any(
                facts._FUNDRAISING.search(c.text) and facts._POLITICAL.search(c.text)
                for c in chunks
            )
            if len(_contexts) > 4:
                _contexts.clear()
            cached = _contexts[id(retriever)] = {
                "retriever": retriever,
                "guessed": facts.guess_org_names(chunks),
                "fundraising": ban,
            }
    names = rules.company_names or cached["guessed"]
    return {"org_names": tuple(names), "fundraising": cached["fundraising"]}


def _competitors(text: str, rules: Rules, model: Any, units: list[Any], vectors: np.ndarray
                 ) -> list[Hit]:  # fmt: skip
    """A named competitor in a sentence that reads as disparaging."""
    mentions = facts.competitor_mentions(text, rules)
    if not mentions or "competitor_disparagement" not in model.categories:
        return []
    scores = model.scores(vectors, units)
    negative = [scores["harassment_or_hate"], scores["profanity"]] if (
        "harassment_or_hate" in scores and "profanity" in scores) else []  # fmt: skip
    result = []
    for hit in mentions:
        for i, unit in enumerate(units):
            if not unit.start <= hit.start < unit.end:
                continue
            best = max([scores["competitor_disparagement"][i], *(s[i] for s in negative)])
            harsh = facts.NEGATIVE.search(unit.text) or detectors.language(unit.text)
            if best >= THRESHOLD - COMPETITOR_MARGIN or harsh:
                result.append(hit)
                break
    return result


def _whole_instructions(hits: list[Hit], text: str) -> list[Hit]:
    """An instruction to the reviewer is removed as a whole: widen it to its sentence."""
    result = []
    for hit in hits:
        if hit.category == "prompt_injection" and hit.detector != "semantic":
            start, end = _sentence_of(text, hit.start, hit.end)
            hit = Hit(hit.category, start, end, hit.detector, hit.what, hit.suggestion, hit.score)
        result.append(hit)
    return result


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per category and span; the more precise detector wins."""
    kept: list[Hit] = []
    for hit in hits:
        if any(
            h.category == hit.category and h.start < hit.end and hit.start < h.end for h in kept
        ):
            continue
        kept.append(hit)
    return kept


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    for s, e in draft_sentence_spans(text):
        if s <= start < e:
            return s, max(e, end)
    return start, end


def _finding(hit: Hit, text: str, language: Language, rules: Rules, citer: Any,
             units: list[Any], vectors: np.ndarray) -> Finding:  # fmt: skip
    start, end, suggestion = hit.start, hit.end, hit.suggestion
    tag = None
    if hit.category in ("missing_ad_disclosure", "missing_affiliation_disclosure"):
        start, end = _sentence_of(text, hit.start, hit.end)
        tag = _tag(hit.category, language, rules)
        sentence = text[start:end]
        suggestion = f"{tag} {sentence}" if hit.category == "missing_ad_disclosure" else (
            f"{sentence} {tag}")  # fmt: skip
    unit_vector = _unit_vector(start, end, units, vectors)
    sentence = text[slice(*_sentence_of(text, start, end))]
    found = "" if hit.detector == "semantic" else text[hit.start : hit.end]
    sources = citer.cite(hit.category, unit_vector, sentence, found, language)
    name = text[hit.start : hit.end] if hit.detector == "list" else ""
    advice = advice_for(hit.category, language, label(_what(hit), language, name), sources, tag)
    return Finding(
        category=hit.category,
        severity=rules.severity(hit.category),
        excerpt=text[start:end],
        start=start,
        end=end,
        advice=advice,
        suggestion=suggestion,
        sources=sources,
        detector=hit.detector,
    )


_NO_LABEL = {"missing_ad_disclosure", "missing_affiliation_disclosure",
             "political_endorsement_as_company"}  # fmt: skip


def _what(hit: Hit) -> str:
    """The detector's label for the advice; semantic and keyword hits have none to add."""
    if hit.detector in ("semantic", "keyword") or hit.category in _NO_LABEL:
        return ""
    return hit.what


def _tag(category: str, language: Language, rules: Rules) -> str:
    if category == "missing_ad_disclosure":
        return "#Werbung" if language == "de" else "#ad"
    tags = rules.affiliation_tags
    hashtag = next((t for t in tags if t.startswith("#")), None)
    if hashtag:
        return hashtag
    name = rules.company_names[-1] if rules.company_names else ""
    if language == "de":
        return f"(Ich arbeite bei {name})" if name else "(Ich arbeite dort.)"
    return f"(I work at {name})" if name else "(I work there.)"


def _unit_vector(start: int, end: int, units: list[Any], vectors: np.ndarray) -> np.ndarray:
    """The embedding of the smallest unit that contains the span."""
    containing = [i for i, u in enumerate(units) if u.start <= start and end <= u.end]
    if containing:
        return vectors[min(containing, key=lambda i: units[i].end - units[i].start)]
    return _mean(vectors)


def _mean(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def _overall_sources(findings: list[Finding]) -> list[Source]:
    seen: dict[str, Source] = {}
    for finding in findings:
        for source in finding.sources:
            key = source.chunk_id or f"{source.source}#{source.section}"
            if key not in seen or seen[key].score < source.score:
                seen[key] = source
    return sorted(seen.values(), key=lambda s: -s.score)
