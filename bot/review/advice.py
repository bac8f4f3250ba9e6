"""Advice per category in German and English, naming the guideline rule that backs it.

The texts are data (bot/review/data/advice.yaml); German advice uses "Sie" unless
review-rules.yaml says `advice: {address: du}`.
"""

from __future__ import annotations

from bot.models import Language, Source
from bot.review.vocabulary import load_vocabulary


def label(what: str, language: Language, name: str = "") -> str:
    """A detector's label in the draft's language, with the found name quoted if given."""
    text = load_vocabulary().labels_de.get(what, what) if language == "de" else what
    if name:
        text += f" „{name}“" if language == "de" else f' "{name}"'
    return text


_DEFAULT_TAG = {
    "missing_affiliation_disclosure": {"en": '"I work at …"', "de": "„Ich arbeite bei …“"},
    "missing_ad_disclosure": {"en": "#ad", "de": "#Werbung"},
}


def rule_name(source: Source) -> str:
    """The cited rule as a reader finds it: the last heading(s) and the document."""
    parts = [p.strip() for p in source.section.split(">") if p.strip()]
    section = " > ".join(parts[-2:]) if len(parts) > 2 else " > ".join(parts[1:] or parts)
    return f"„{section}“ ({source.source})"


def form(language: Language, german_address: str = "Sie") -> str:
    """Which template form to use: "en", "de" (Sie) or "de_du"."""
    return "de_du" if language == "de" and german_address == "du" else language


def advice_for(category: str, language: Language, what: str, sources: list[Source],
               tag: str | None = None, german_address: str = "Sie") -> str:  # fmt: skip
    vocabulary = load_vocabulary()
    chosen = form(language, german_address)
    template = vocabulary.advice.get(category, vocabulary.advice["confidential_info"])[chosen]
    detail = f" ({what})" if what else ""
    default_tag = _DEFAULT_TAG.get(category, {}).get(language, "")
    text = template.format(what=detail, what_plain=what or "secret", tag=tag or default_tag)
    if sources:
        text += vocabulary.frames["rule"][chosen].format(rule=rule_name(sources[0]))
    return text


def unsure_advice(category: str, language: Language, sources: list[Source],
                  german_address: str = "Sie") -> str:  # fmt: skip
    """What a doubtful finding tells the employee: the rule it comes close to, what to check."""
    from bot.review.categories import CATEGORIES

    title = CATEGORIES[category].title[language]
    if sources:
        quote = sources[0].rule or sources[0].text[:200]
        rule = f"„{quote}“" if language == "de" else f'"{quote}"'
        rule += f" ({rule_name(sources[0])})"
    else:
        rule = title
    template = load_vocabulary().frames["unsure"][form(language, german_address)]
    return template.format(title=title, rule=rule)
