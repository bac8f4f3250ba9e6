"""Answer an employee's question from the guidelines: extractive by default, LLM if configured.

The embedded answer quotes the one or two guideline sentences closest to the question,
verbatim, and cites their sections; nothing is paraphrased, so nothing is invented. When the
retrieved passages do not cover the question, it says so and names the contact instead.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from bot.ask.abstention import AbstentionModel, OffTopicBank
from bot.ask.quotes import (
    PERMISSION_QUESTION,
    Quote,
    QuoteRanker,
    best_quotes,
    load_ranker,
    shown_quotes,
)
from bot.ask.retrieval import Hit, Retriever, formalise, to_source, translate_terms
from bot.config import Settings
from bot.errors import BusyError, InputError
from bot.language import detect_language
from bot.llm import LlmGate, echoes, invoke_with_timeout
from bot.models import Answer, Language, Review, Source, Turn
from bot.prompts import load_prompt

log = logging.getLogger(__name__)

TOP_K = 5
GIST = {
    "prohibited": {"en": "No, the guidelines rule this out:", "de": "Nein, das schließen die "
                   "Leitlinien aus:"},
    "conditional": {"en": "Only under the condition the guidelines set:", "de": "Nur unter der "
                    "Bedingung, die die Leitlinien nennen:"},
    "required": {"en": "Only if you follow this rule:", "de": "Nur, wenn Sie diese Regel "
                 "beachten:"},
    "permitted": {"en": "Yes, the guidelines allow this:", "de": "Ja, das erlauben die "
                  "Leitlinien:"},
}  # fmt: skip
LANGUAGE_NAMES = {"de": "German (Deutsch)", "en": "English"}
TEXT = {
    "intro": {"de": "Das sagen die Leitlinien dazu:", "en": "Here is what the guidelines say:"},
    "other_language": {
        "de": "(Die zitierte Stelle ist auf Englisch.)",
        "en": "(The quoted passage is in German.)",
    },
    "not_covered": {
        "de": "Dazu habe ich in den Leitlinien nichts gefunden. Bitte fragen Sie bei "
        "{contact} nach.",
        "en": "The guidelines don't cover this. Please ask {contact}.",
    },
    "llm_failed": {
        "de": "Das Sprachmodell war nicht erreichbar; dies ist die Antwort aus den Leitlinien "
        "ohne KI.",
        "en": "The language model was unavailable; this is the answer straight from the "
        "guidelines, without AI.",
    },
    "llm_unusable": {
        "de": "Die Antwort des Sprachmodells war nicht verwendbar; dies ist die Antwort aus den "
        "Leitlinien ohne KI.",
        "en": "The language model's answer could not be used; this is the answer straight from "
        "the guidelines, without AI.",
    },
    "unsure": {
        "en": "I'm not sure the guidelines cover exactly this; the passage above is the closest "
        "I found. If it does not answer your question, please ask {contact}.",
        "de": "Ich bin nicht sicher, ob die Leitlinien genau das regeln; oben steht die "
        "nächstliegende Stelle. Wenn sie Ihre Frage nicht beantwortet, fragen Sie bitte "
        "{contact}.",
    },
    "help": {
        "en": "I answer questions about our social-media guidelines, quoting the rule that "
        "applies, e.g. “May I post photos from the office?” or “Do I need #ad for a gifted "
        "product?”. To check a draft, use /review-post, the “Review a post” shortcut on a "
        "message, or paste it here after “Can I post this:”.",
        "de": "Ich beantworte Fragen zu unseren Social-Media-Leitlinien und zitiere die Regel, "
        "die gilt, z. B. „Darf ich Fotos aus dem Büro posten?“ oder „Brauche ich #Werbung für "
        "ein geschenktes Produkt?“. Einen Entwurf prüfe ich mit /review-post, über das Kürzel "
        "„Review a post“ an einer Nachricht, oder wenn Sie ihn hier nach „Kann ich das "
        "posten:“ einfügen.",
    },
    "review": {
        "en": "This looks like a draft post, so I reviewed it (next time /review-post does "
        "the same): {verdict}",
        "de": "Das sieht nach einem Entwurf aus, deshalb habe ich ihn geprüft (das geht auch "
        "mit /review-post): {verdict}",
    },
    "llm_busy": {
        "de": "Das Sprachmodell ist gerade ausgelastet; dies ist die Antwort ohne KI.",
        "en": "The language model is busy right now; this is the answer without AI.",
    },
}


VERDICT_TEXT: dict[str, dict[str, str]] = {
    "ok": {
        "en": "no sign that it breaks a rule; the check helps but is not an approval.",
        "de": "kein Hinweis auf einen Regelverstoß; die Prüfung hilft, ist aber keine Freigabe.",
    },
    "needs_changes": {
        "en": "please change it before posting.",
        "de": "bitte vor dem Posten ändern.",
    },
    "do_not_post": {"en": "do not post it like this.", "de": "so bitte nicht posten."},
}


class Answerer:
    """Answers questions from one index snapshot; its collaborators are explicit.

    `abstention` decides "is this covered?", `offtopic` holds the vectors of everyday questions
    no guideline answers, `ranker` picks the sentences to quote (bot/ask/quotes.py);
    `chat_model` and `gate` are used only in LLM mode.
    """

    def __init__(self, retriever: Retriever, abstention: AbstentionModel, offtopic: OffTopicBank,
                 settings: Settings, chat_model: Any | None, gate: LlmGate,
                 ranker: QuoteRanker | None = None) -> None:  # fmt: skip
        self.retriever = retriever
        self.ranker = ranker or load_ranker()  # which retrieved sentence to quote
        self.abstention = abstention
        self.offtopic = offtopic
        self.settings = settings
        self.chat_model = chat_model
        self.gate = gate

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        question = question.strip()
        if not question:
            raise InputError("Please ask a question, e.g. 'May I post photos of the office?'")
        language = detect_language(question, default=_history_language(history))
        retriever = self.retriever
        query, content = retriever.query_vectors(question, history)  # one embedder call
        hits = retriever.hits(question, history, k=TOP_K, query=query)
        sources = [to_source(h) for h in hits]
        features = question_features(retriever, question, query, content, hits, self.offtopic)
        if not hits or not self.abstention.covered(features):
            return _not_covered(language, sources, self.settings.contact)
        quotes = best_quotes(retriever, question, query, hits, self.ranker)
        permission = bool(PERMISSION_QUESTION.search(question))
        embedded = _extractive(language, quotes, sources, permission, self.ranker.second_gap)
        if not self.abstention.sure(features):  # in doubt: the best rule, and how sure it is
            unsure = TEXT["unsure"][language].format(contact=self.settings.contact)
            embedded = _with_note(embedded, unsure)
        if self.chat_model is None:
            return embedded
        return self._llm_answer(question, history, language, sources, embedded)

    def _llm_answer(
        self,
        question: str,
        history: Sequence[Turn],
        language: Language,
        sources: list[Source],
        embedded: Answer,
    ) -> Answer:
        """Ask the chat model; on any failure fall back to the embedded answer and say so."""
        prompt = load_prompt(
            "answer", frozenset({"language_name", "contact", "passages", "history", "question"})
        )
        system, user = prompt.render(
            language_name=LANGUAGE_NAMES[language],
            contact=self.settings.contact,
            passages="\n\n".join(
                f"[{i}] ({s.source} — {s.section})\n{s.text}" for i, s in enumerate(sources, 1)
            ),
            history="\n".join(f"- Q: {t.question}\n  A: {t.answer}" for t in history) or "(none)",
            question=question,
        )
        started = time.perf_counter()
        try:
            reply: Any = invoke_with_timeout(
                self.chat_model,
                [("system", system), ("human", user)],
                self.gate,
                self.settings.llm_timeout_s,
            )
            # `.text` joins the text blocks of providers that answer with a list of blocks.
            text = reply.text if hasattr(reply, "text") else str(reply)
            if not isinstance(text, str):
                raise ValueError("the model returned no text")
        except BusyError:
            return _with_note(embedded, TEXT["llm_busy"][language])
        except Exception as error:  # provider down, timeout, bad credentials: fall back, say so
            log.warning(
                "LLM answer failed after %.1fs: %s",
                time.perf_counter() - started,
                type(error).__name__,
            )
            return _with_note(embedded, TEXT["llm_failed"][language])
        text = text.strip()
        if echoes(text, system):  # a question talked the model into revealing its instructions
            log.warning("LLM answer repeated its system prompt; using the embedded answer")
            return _with_note(embedded, TEXT["llm_unusable"][language])
        if text.startswith("NOT_COVERED"):
            return _not_covered(language, sources, self.settings.contact, mode="llm")
        answer = _parse_llm_text(text, language, sources)
        if answer is None:  # no citation of a retrieved passage: ungrounded, so not shown
            log.warning("LLM answer cited no retrieved passage; using the embedded answer")
            return _with_note(embedded, TEXT["llm_unusable"][language])
        return answer


def help_answer(language: Language) -> Answer:
    """What the bot can do, in the asker's language: the reply to greetings, thanks, "help"."""
    return Answer(TEXT["help"][language], False, language, "embedded", kind="help")


def review_answer(review: Review, draft: str) -> Answer:
    """A pasted draft's review, as the reply to the message that held it."""
    language = review.language
    verdict = VERDICT_TEXT[review.verdict][language]
    lines = [TEXT["review"][language].format(verdict=verdict)]
    lines += [f"• {f.excerpt[:80]}: {f.advice}" for f in review.findings[:3]]
    sources = review.sources[:TOP_K]  # an answer cites at most TOP_K; all are in `review`
    return Answer("\n".join(lines), True, language, review.mode, sources,
                  kind="review", review=review, draft=draft)  # fmt: skip


def _history_language(history: Sequence[Turn]) -> Language:
    return detect_language(history[-1].question) if history else "en"


def question_features(
    retriever: Retriever,
    question: str,
    query: np.ndarray,
    content: np.ndarray,
    hits: list[Hit],
    offtopic: OffTopicBank,
) -> dict[str, float]:
    """What the abstention model reads (see bot/ask/abstention.py); `query` and `content` are
    the question's `query_vectors`, `offtopic` the everyday off-topic questions."""
    snapshot = retriever.snapshot
    rows = [i for h in hits for i in snapshot.sentences_of(h.chunk.id)]
    return {
        "dense": max((h.dense for h in hits), default=0.0),
        "sentence": float(np.max(snapshot.sentence_vectors[rows] @ query)) if rows else 0.0,
        "known": _known_vocabulary(retriever, question),
        "offtopic": _closest(offtopic, query, content),
    }


def _closest(offtopic: OffTopicBank, query: np.ndarray, content: np.ndarray) -> float:
    """Closeness to the nearest everyday question, read whole or by content words."""
    if not len(offtopic.whole):
        return 0.0
    return max(float(np.max(offtopic.whole @ query)), float(np.max(offtopic.content @ content)))


def _known_vocabulary(retriever: Retriever, question: str) -> float:
    """Share of the question's vocabulary (idf-weighted) that the guidelines use at all.

    A question whose rare words no guideline contains ("Elternzeit", "VPN", "canteen") is
    rarely answered by them, however close the topic sounds to the embedding. Slack-speak
    counts as the guideline words it stands for ("pics": photos), and the name of an
    organisation whose guidelines are indexed is no unknown word, even where its document
    only ever says "the Company".
    """
    language = detect_language(question)
    index = retriever.lexical
    for pattern in retriever.documents.values():
        question = pattern.sub(" ", question)
    terms = list(dict.fromkeys(index.query_terms(formalise(question, language), language)))
    if not terms:
        return 0.0
    weights = index.idf_weights(terms)
    known = sum(
        weight
        for term, weight in zip(terms, weights, strict=True)
        if index.knows(term) or any(index.knows(t) for t in translate_terms(term, language))
    )
    return known / sum(weights)


def _extractive(language: Language, quotes: list[Quote], sources: list[Source],
                permission: bool, second_gap: float) -> Answer:  # fmt: skip
    """One or two verbatim sentences, each cited by its source number; for a "may I" question
    led by a one-line gist that follows from the first quote's modality (none when unclear),
    so it can never contradict the quote."""
    chosen = shown_quotes(quotes, second_gap)
    ids = {s.chunk_id: i + 1 for i, s in enumerate(sources)}
    gist = GIST.get(chosen[0].modality) if chosen and permission else None
    lines = [gist[language] if gist else TEXT["intro"][language]]
    for quote in chosen:
        text = " ".join(quote.text.split())  # a hard-wrapped sentence is one quoted line
        lines.append(f"> “{text}” [{ids[quote.hit.chunk.id]}]")
    if chosen and all(q.hit.chunk.language != language for q in chosen):
        lines.append(TEXT["other_language"][language])
    return Answer("\n".join(lines), True, language, "embedded", sources)


def _not_covered(
    language: Language, sources: list[Source], contact: str, mode: str = "embedded"
) -> Answer:
    text = TEXT["not_covered"][language].format(contact=contact)
    return Answer(text, False, language, "llm" if mode == "llm" else "embedded", sources)


_CITATION = re.compile(r"\[(\d{1,2})\]")


def _parse_llm_text(text: str, language: Language, sources: list[Source]) -> Answer | None:
    """Keep citations of retrieved passages only; renumber them in order of first use."""
    used: list[int] = []
    for match in _CITATION.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= len(sources) and number not in used:
            used.append(number)
    renumber = {old: new for new, old in enumerate(used, 1)}

    def replace(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return f"[{renumber[number]}]" if number in renumber else ""

    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", _CITATION.sub(replace, text)).strip()
    if not used or not re.search(r"[^\W\d_]{2}", _CITATION.sub("", cleaned)):
        return None  # nothing cited, or citations without words: nothing to show
    return Answer(cleaned, True, language, "llm", [sources[n - 1] for n in used])


def _with_note(answer: Answer, note: str) -> Answer:
    return dataclasses.replace(answer, note=note)
