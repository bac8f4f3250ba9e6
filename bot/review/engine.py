"""The Reviewer: precise detectors, the learned risk model, a cited rule and advice per finding.

The embedded review always runs: it is the whole answer without an LLM, and the floor the LLM
review may add to but never lower (see llm_review.py).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from bot.ask.lexical import stem
from bot.ask.retrieval import Retriever
from bot.config import Settings
from bot.disk_cache import fixed_vectors
from bot.embeddings import Embedder
from bot.errors import InputError
from bot.language import detect_language
from bot.llm import LlmGate
from bot.models import (
    SEVERITY_RANK,
    Finding,
    Language,
    Review,
    Severity,
    merge_sources,
    verdict_for,
)
from bot.ops.limits import check_draft
from bot.review import detectors, facts
from bot.review.advice import advice_for, label, unsure_advice
from bot.review.categories import CATEGORIES
from bot.review.cite import Citer
from bot.review.detectors import Hit
from bot.review.instructions import moved, outside, sentence_of, whole_instructions
from bot.review.registry import Draft, run_detectors
from bot.review.rewrite import rewrite
from bot.review.risk import RISKY, RiskModel, features
from bot.review.rulebook import RuleBook
from bot.review.rules import ExampleDraft, Rules
from bot.review.semantic import SemanticModel, Unit, draft_units, semantic_hits
from bot.review.thresholds import (
    CATEGORY_ALSO,
    CATEGORY_CONFIDENT,
    CATEGORY_HINT,
    COMPETITOR_MARGIN,
    EXAMPLE_SIMILARITY,
    FUZZY_DETECTORS,
    FUZZY_FLOOR,
    MAX_MODEL_FINDINGS,
    THRESHOLD,
)

ACCOUNTS = ("personal", "company")
MAX_FINDINGS = 12  # a long draft: the worst dozen, then "and N more" at the edges
# Precise detectors own these: the model's guess adds nothing but false alarms there.
MODEL_SKIPS = frozenset({"secrets", "prompt_injection"})


def check_review_input(text: str, account: str, settings: Settings) -> None:
    """Refuse drafts the review cannot handle, with a message that says what to do."""
    check_draft(text, settings)  # the same size rules as every edge (bot/limits.py)
    if account not in ACCOUNTS:
        raise InputError(f"account must be 'personal' or 'company', not {account!r}.")


class Reviewer:
    """Everything one index snapshot needs to review drafts, built once per snapshot.

    Collaborators are explicit: the snapshot's retriever (for guideline passages), its review
    rules, the embedder, the learned risk model and the rule book of the company's own rule
    sentences; `chat_model` and `gate` are only used in LLM mode.
    """

    def __init__(self, retriever: Retriever, rules: Rules, embedder: Embedder,
                 risk: RiskModel, categories: tuple[list[str], np.ndarray],
                 settings: Settings, chat_model: Any | None,
                 gate: LlmGate) -> None:  # fmt: skip
        self.retriever = retriever
        self.rules = rules
        self.embedder = embedder
        self.risk = risk
        self.settings = settings
        self.chat_model = chat_model
        self.gate = gate
        chunks = retriever.snapshot.chunks
        self.rulebook = RuleBook(retriever.snapshot, categories)
        self.citer = Citer(retriever, self.rulebook)
        self.semantic = SemanticModel(embedder, rules)
        self.fuzzy_floor = FUZZY_FLOOR  # bench/risk_model_heldout.py measures it at 0 too
        self.examples = rules.examples
        self.example_vectors = (
            fixed_vectors(embedder, [e.text for e in self.examples]) if self.examples else None
        )
        guessed = tuple(dict.fromkeys(n for names in retriever.organisations.values()
                                      for n in names))  # fmt: skip
        self.org_names: tuple[str, ...] = tuple(rules.company_names or guessed)
        self.fundraising_ban = any(
            rules.phrases["fundraising"].search(c.text)
            and rules.phrases["political_topic"].search(c.text)
            for c in chunks
        )

    def review(self, text: str, account: str = "personal", platform: str | None = None
               ) -> Review:  # fmt: skip
        """Review a draft post; with a chat model configured the LLM refines the embedded one."""
        check_review_input(text, account, self.settings)
        review = self.embedded(text, account, platform)
        if self.chat_model is not None:
            from bot.review.llm_review import llm_review

            review = llm_review(text, account, platform, self, review)
        review.suggested_draft = self._checked_rewrite(text, review, account, platform)
        return review

    def _checked_rewrite(self, text: str, review: Review, account: str,
                         platform: str | None) -> str | None:  # fmt: skip
        """The draft with the suggested fixes, if the review finds nothing left in it."""
        corrected = rewrite(text, review.findings)
        if not corrected or corrected == text or not corrected.strip():
            return None
        again = self.embedded(corrected, account, platform)
        return corrected if again.verdict == "ok" else None

    def embedded(self, text: str, account: str, platform: str | None) -> Review:
        instructions = whole_instructions(
            detectors.prompt_injection(text, self.rules.phrases), text
        )
        instructions = [h for h in instructions if _applies(h.category, account, self.rules)]
        if instructions:
            return self._with_instructions(text, instructions, account, platform)
        rules = self.rules
        language: Language = detect_language(text)
        units = draft_units(text)
        vectors = self.embedder.embed([text] + [u.text for u in units])
        whole, vectors = vectors[0], vectors[1:]
        model = self.semantic
        risk = self.risk.probabilities(features(whole, vectors, text))
        # the fuzzy detectors read wording and topic: evidence that needs the model's agreement
        sure = risk[RISKY] >= self.fuzzy_floor
        semantic = semantic_hits(model, units, vectors, self.citer.support(vectors)) if sure else []
        org_names = self.org_names

        draft = Draft(text, account, rules, org_names, self.fundraising_ban, self._in_guidelines)
        hits = [h for h in run_detectors(draft) if sure or h.detector not in FUZZY_DETECTORS]
        hits += _competitors(text, rules, model, units, vectors)
        found = {h.category for h in hits}
        if not facts.tied_to_employer(text, account, rules, org_names, self.fundraising_ban,
                                      self._in_guidelines):  # fmt: skip
            found.add("political_endorsement_as_company")  # a private opinion: allowed
        # A disclosure category asks for one thing; a draft that carries it is not in doubt.
        if facts.ad_labelled(text, rules):
            found.add("missing_ad_disclosure")
        if facts.disclosed(text, rules):
            found.add("missing_affiliation_disclosure")
        hits += [h for h in semantic if h.category not in found]
        hits = [h for h in whole_instructions(hits, text) if _applies(h.category, account, rules)]
        near = self._nearest_example(whole)
        approved = near is not None and near[0].verdict == "ok"
        if near is not None and not approved:
            hits += self._example_hits(near, text, units, vectors, risk, found, account)
        if not approved or any(h.detector != "semantic" for h in hits):
            hits += self._risk_hits(text, account, units, vectors, risk, hits, found)
        # else: close to a post comms approved, and only the fuzzy detectors spoke: no doubt

        # The worst first, capped before citing: the work per draft stays bounded however
        # often a draft repeats a codename.
        hits = sorted(_dedupe(hits, text), key=lambda h: (-SEVERITY_RANK[self._severity(h)],
                                                          h.start))  # fmt: skip
        more = max(0, len(hits) - MAX_FINDINGS)
        prior = self.citer.document_prior(text)
        findings = [self._finding(h, text, language, units, vectors, prior)
                    for h in hits[:MAX_FINDINGS]]  # fmt: skip
        findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.start))
        sources = merge_sources(*(f.sources for f in findings)) or self.rulebook.relevant(whole)
        if not sources:
            sources = self.citer.for_text(whole)
        return Review(verdict_for(findings), findings, sources, language, "embedded",
                      more_findings=more)  # fmt: skip

    def _in_guidelines(self, word: str) -> bool:
        """Whether the company's guidelines use this word (as German or English stem)."""
        index = self.retriever.lexical
        return any(index.knows(stem(word.lower(), language)) for language in ("de", "en"))

    def _with_instructions(self, text: str, instructions: list[Hit], account: str,
                           platform: str | None) -> Review:  # fmt: skip
        """A draft that instructs the reviewer: the instructions are findings, and the rest is
        reviewed as the post it is, so a leak after "ignore your rules" is still named."""
        language: Language = detect_language(text)
        units = draft_units(text)
        vectors = self.embedder.embed([u.text for u in units]) if units else np.zeros((0, 0))
        prior = self.citer.document_prior(text)
        findings = [self._finding(h, text, language, units, vectors, prior)
                    for h in _dedupe(instructions, text)]  # fmt: skip
        pieces, post = outside(text, [(h.start, h.end) for h in instructions])
        if re.search(r"\w", post):
            rest = self.embedded(post, account, platform)
            findings += [moved(f, text, pieces) for f in rest.findings]
        findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.start))
        more = max(0, len(findings) - MAX_FINDINGS)
        findings = findings[:MAX_FINDINGS]
        sources = merge_sources(*(f.sources for f in findings))
        return Review(verdict_for(findings), findings, sources, language, "embedded",
                      more_findings=more)  # fmt: skip

    def _nearest_example(self, whole: np.ndarray) -> tuple[ExampleDraft, np.ndarray] | None:
        """The comms team's labelled draft this one is a paraphrase of (and its vector)."""
        if self.example_vectors is None:
            return None
        similarity = self.example_vectors @ whole
        best = int(np.argmax(similarity))
        if similarity[best] < EXAMPLE_SIMILARITY:
            return None
        return self.examples[best], self.example_vectors[best]

    def _example_hits(self, near: tuple[ExampleDraft, np.ndarray], text: str, units: list[Unit],
                      vectors: np.ndarray, risk: dict[str, float], found: set[str],
                      account: str) -> list[Hit]:  # fmt: skip
        """A draft close to one comms judged risky gets that judgement, with its note; the
        excerpt is the sentence closest to the example."""
        example, vector = near
        categories = [c for c in example.categories if c not in found
                      and _applies(c, account, self.rules)]  # fmt: skip
        if not categories and not found:
            categories = [max(self.risk.categories, key=lambda name: risk[name])]
        if units:
            best = units[int(np.argmax(vectors @ vector))]
            start, end = best.start, best.end
        else:
            start, end = 0, len(text)
        return [Hit(c, start, end, "example", example.note, None, 1.0) for c in categories]

    def _risk_hits(self, text: str, account: str, units: list[Unit], vectors: np.ndarray,
                   probabilities: dict[str, float], hits: list[Hit],
                   found: set[str]) -> list[Hit]:  # fmt: skip
        """Safety first: when the learned model finds the draft risky, say which rule it comes
        close to, even if no detector fired; when a category head is confident, add it, and
        when the draft is not ok anyway, add every category more likely than not. `found`
        holds the categories already reported or ruled out (a private opinion)."""
        found = found | {h.category for h in hits}
        candidates = sorted(
            (
                (probabilities[name], name)
                for name in self.risk.categories
                if name not in MODEL_SKIPS and name not in found
                and _applies(name, account, self.rules)
            ),
            reverse=True,
        )  # fmt: skip
        chosen = [name for p, name in candidates if p >= CATEGORY_CONFIDENT][:MAX_MODEL_FINDINGS]
        risky = probabilities[RISKY] >= self.risk.threshold
        p_top, top = max((probabilities[name], name) for name in self.risk.categories)
        if risky and not hits and not chosen and p_top >= CATEGORY_HINT and candidates and (
            candidates[0][1] == top):  # fmt: skip
            # the model must name the rule it is close to; when that category is switched off
            # or ruled out (a private opinion), the doubt is about something allowed
            chosen = [top]
        if hits or chosen:  # already not ok: a likely further category is named too
            chosen += [
                name
                for p, name in candidates
                if CATEGORY_ALSO <= p < CATEGORY_CONFIDENT and name not in chosen
            ]
            chosen = chosen[:MAX_MODEL_FINDINGS]
        singles = [i for i, u in enumerate(units) if not any(
            o is not u and u.start <= o.start and o.end <= u.end for o in units)]  # fmt: skip
        unit_x = np.stack([features(vectors[i], vectors[i : i + 1], units[i].text)
                           for i in singles]) if singles else None  # fmt: skip
        result = []
        for name in chosen:
            if unit_x is None:
                start, end = 0, len(text)
            else:
                best = singles[int(np.argmax(self.risk.category_scores(unit_x, name)))]
                start, end = units[best].start, units[best].end
            result.append(Hit(name, start, end, "model", "", None, probabilities[name]))
        return result

    def _severity(self, hit: Hit) -> Severity:
        """The learned model's doubt is a warning; a detector's hit (or a draft comms judged)
        has its category's weight."""
        return "warning" if hit.detector == "model" else self.rules.severity(hit.category)

    def _finding(self, hit: Hit, text: str, language: Language, units: list[Unit],
                 vectors: np.ndarray, prior: np.ndarray) -> Finding:  # fmt: skip
        rules = self.rules
        start, end, suggestion = hit.start, hit.end, hit.suggestion
        tag = None
        if hit.category in ("missing_ad_disclosure", "missing_affiliation_disclosure"):
            start, end = sentence_of(text, hit.start, hit.end)
            tag = _tag(hit.category, language, rules)
            sentence = text[start:end]
            suggestion = f"{tag} {sentence}" if hit.category == "missing_ad_disclosure" else (
                f"{sentence} {tag}")  # fmt: skip
        vector = unit_vector(start, end, units, vectors)
        sentence = text[slice(*sentence_of(text, start, end))]
        found = "" if hit.detector in ("semantic", "model") else text[hit.start : hit.end]
        sources = self.citer.cite(hit.category, vector, sentence, found, language, prior)
        name = text[hit.start : hit.end] if hit.detector == "list" else ""
        what = label(_what(hit), language, name)
        if hit.detector == "model":
            advice = unsure_advice(hit.category, language, sources, rules.german_address)
        elif hit.detector == "example" and hit.what:  # comms' own note on the example
            advice = advice_for(hit.category, language, "", sources, None, rules.german_address)
            advice = f"{advice} {hit.what}"
        else:
            advice = advice_for(hit.category, language, what, sources, tag, rules.german_address)
        return Finding(
            category=hit.category,
            severity=self._severity(hit),
            excerpt=text[start:end],
            start=start,
            end=end,
            advice=advice,
            suggestion=suggestion,
            sources=sources,
            detector=hit.detector,
        )


def _applies(category: str, account: str, rules: Rules) -> bool:
    scope = CATEGORIES[category].scope
    return rules.enabled(category) and scope in ("any", account)


def _competitors(text: str, rules: Rules, model: SemanticModel, units: list[Unit],
                 vectors: np.ndarray) -> list[Hit]:  # fmt: skip
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
            harsh = rules.phrases["negative"].search(unit.text) or detectors.language(
                unit.text, rules.phrases
            )
            if best >= THRESHOLD - COMPETITOR_MARGIN or harsh:
                result.append(hit)
                break
    return result


def _dedupe(hits: list[Hit], text: str) -> list[Hit]:
    """One finding per category and excerpt (a name repeated counts once) and per category
    and span; the more precise detector, which comes first, wins."""
    kept: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        key = (hit.category, text[hit.start : hit.end].casefold())
        if key in seen or any(
            h.category == hit.category and h.start < hit.end and hit.start < h.end for h in kept
        ):
            continue
        seen.add(key)
        kept.append(hit)
    return kept


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


def unit_vector(start: int, end: int, units: list[Unit], vectors: np.ndarray) -> np.ndarray:
    """The embedding of the smallest unit that contains the span."""
    containing = [i for i, u in enumerate(units) if u.start <= start and end <= u.end]
    if containing:
        return vectors[min(containing, key=lambda i: units[i].end - units[i].start)]
    return _mean(vectors)


def _mean(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)
