"""Phrase detectors for risks that embeddings blur: copied photos, badge selfies, screenshots of
internal tools, threats, stereotypes and statements made in the employer's name.

The wording is data (bot/review/data/phrases.yaml); this module decides what a match means.
"""

from __future__ import annotations

import re

from bot.review.detectors import Hit
from bot.review.phrases import PhraseBook

_I = re.IGNORECASE

_NEGATED = re.compile(r"\b(?:not|never|nicht|nie|keine?)\W+(?:\w+\W+)?$", _I)


def health_of_others(text: str, phrases: PhraseBook) -> list[Hit]:
    """Health details about another person (a colleague's illness, a pregnancy)."""
    hits = []
    for sentence in re.finditer(r"[^.!?\n]+[.!?]?", text):
        part = sentence.group(0)
        health = phrases["health"].search(part)
        if health and phrases["other_person"].search(part):
            start = sentence.start() + health.start()
            hits.append(Hit("personal_data", start, start + len(health.group(0)), "pattern",
                            "health data"))  # fmt: skip
    return hits


def _found(pattern: re.Pattern[str], text: str, category: str, what: str) -> list[Hit]:
    return [Hit(category, m.start(), m.end(), "pattern", what) for m in pattern.finditer(text)]


def workplace(text: str, phrases: PhraseBook) -> list[Hit]:
    """Photos, screenshots and borrowed content: guideline topics with fixed phrasing."""
    hits = _found(phrases["badge"], text, "confidential_info", "badge or access card")
    hits += _found(phrases["whiteboard"], text, "confidential_info", "whiteboard photo")
    hits += _found(phrases["screenshot"], text, "confidential_info",
                   "screenshot of an internal tool")  # fmt: skip
    if not phrases["permission"].search(text):
        hits += _found(phrases["copyright"], text, "copyright", "content of others")
    return hits


def hostility(text: str, phrases: PhraseBook) -> list[Hit]:
    return _found(phrases["threat"], text, "harassment_or_hate", "threat") + _found(
        phrases["stereotype"], text, "harassment_or_hate", "stereotype"
    )


def speaking(text: str, org_names: tuple[str, ...], phrases: PhraseBook) -> list[Hit]:
    """Statements for the employer; a disclaimer ("nicht im Namen meines Arbeitgebers", "not
    speaking for my company") is the opposite and does not count."""
    pattern = phrases.with_org("speaking", org_names)
    hits = _found(pattern, text, "speaking_for_company", "statement for the employer")
    return [h for h in hits if not _NEGATED.search(text[max(0, h.start - 20) : h.start])]
