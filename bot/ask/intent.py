"""What kind of message came in: a question, a pasted draft, or a greeting asking for help.

"Can I post this? <draft>" is a review, not a question: answering it with the closest rule
misses the codename in the draft. A greeting or "help" gets the help text, never a quote.
The rules here read the shape of the message (a lead-in that points at what follows, quoted
or long post-like text), not its topic, so they hold for any organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from bot.models import Language

Kind = Literal["question", "draft", "help"]

MIN_DRAFT_CHARS = 40  # a pasted post is at least a sentence long
LONG_POST_CHARS = 280  # a message this long without a question is a post, not a question
_LEAD_IN = re.compile(
    r"^(?P<lead>.{0,120}?\b(?:this|these|the following|following|it|das|dies|diesen?|"
    r"folgendes|folgenden|sowas|so)\b[^:\n]{0,40}?)\s*(?::|\?|\n)\s*(?P<draft>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_ABOUT_POSTING = re.compile(
    r"\b(?:post|posten|share|teilen|tweet|publish|veröffentlichen|write|schreiben|put|"
    r"send|senden|upload|ok|okay|fine|in ordnung)\w*\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“„»«‘'](?P<draft>[^\"“”„»«]{40,})[\"”“«»’']")  # MIN_DRAFT_CHARS
_BLOCKQUOTE = re.compile(r"^\s*>\s?(.*)$", re.MULTILINE)
_NOT_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)


@dataclass(frozen=True)
class Intent:
    kind: Kind
    text: str  # the question, or the draft to review
    language: Language | None = None  # known for help phrases ("Hallo" is too short to tell)


@lru_cache(maxsize=1)
def _help_phrases() -> dict[str, Language]:
    """Phrase -> its language; a phrase both languages use ("hi") counts as English."""
    lines = (resources.files("bot.ask") / "data" / "help_phrases.txt").read_text("utf-8")
    phrases: dict[str, Language] = {}
    for line in lines.splitlines():
        if line.strip() and not line.startswith("#"):
            language, phrase = line.split("\t", 1)
            phrases.setdefault(" ".join(phrase.split()), "de" if language == "de" else "en")
    return phrases


def _bare(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def classify(message: str) -> Intent:
    """The kind of a message and the text to act on (the draft without its lead-in)."""
    text = message.strip()
    bare = _bare(text)
    if not bare or bare in _help_phrases():
        return Intent("help", text, _help_phrases().get(bare))
    quoted = [m.group(1) for m in _BLOCKQUOTE.finditer(text)]
    if quoted and sum(len(q) for q in quoted) >= MIN_DRAFT_CHARS:
        return Intent("draft", "\n".join(quoted).strip())
    lead = _LEAD_IN.match(text)
    if lead and _ABOUT_POSTING.search(lead.group("lead")):
        draft = lead.group("draft").strip()
        if len(draft) >= MIN_DRAFT_CHARS:
            return Intent("draft", draft.strip("\"“”„»«'"))
    quote = _QUOTED.search(text)
    if quote and _ABOUT_POSTING.search(text[: quote.start()]):
        return Intent("draft", quote.group("draft").strip())
    if len(text) >= LONG_POST_CHARS and "?" not in text[-200:]:
        return Intent("draft", text)
    return Intent("question", text)
