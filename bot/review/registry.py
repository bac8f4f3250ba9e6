"""The review's detectors behind one interface, in the order they run.

Each detector reads a `Draft` (the text, the account type, the rules in force and what the
reviewer learned from the guidelines) and returns hits. Order matters only for ties: when two
detectors flag the same span for the same category, the earlier (more precise) one is kept.
The semantic detector and the learned risk model run after these, in bot/review/engine.py,
because they also weigh what the precise detectors already found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.review import detectors, facts, patterns
from bot.review.detectors import Hit
from bot.review.rules import Rules


@dataclass(frozen=True)
class Draft:
    text: str
    account: str  # "personal" or "company"
    rules: Rules
    org_names: tuple[str, ...]  # the employer's names (rules file, else guessed from the docs)
    fundraising_ban: bool  # the guidelines ban political fundraising explicitly
    in_guidelines: Callable[[str], bool]  # whether the company's guidelines use a word


Detector = Callable[[Draft], list[Hit]]


def _personal_only(detector: Detector) -> Detector:
    return lambda draft: detector(draft) if draft.account == "personal" else []


DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("prompt injection", lambda d: detectors.prompt_injection(d.text, d.rules.phrases)),
    ("secrets", lambda d: detectors.secrets(d.text)),
    ("personal data", lambda d: detectors.personal_data(d.text)),
    ("configured names", lambda d: facts.company_facts(d.text, d.rules)),
    ("insults and swearing", lambda d: detectors.language(d.text, d.rules.phrases)),
    ("rules-file keywords", lambda d: facts.keyword_rules(d.text, d.rules)),
    ("workplace photos and copyright", lambda d: patterns.workplace(d.text, d.rules.phrases)),
    ("threats and stereotypes", lambda d: patterns.hostility(d.text, d.rules.phrases)),
    ("health of others", lambda d: patterns.health_of_others(d.text, d.rules.phrases)),
    ("speaking for the employer",
     lambda d: patterns.speaking(d.text, d.org_names, d.rules.phrases)),
    ("advertising label", lambda d: facts.missing_ad(d.text, d.rules)),
    ("political endorsement",
     lambda d: facts.political(d.text, d.account, d.rules, d.org_names, d.fundraising_ban,
                               d.in_guidelines)),
    ("affiliation disclosure",
     _personal_only(lambda d: facts.missing_affiliation(d.text, d.rules, d.org_names))),
    ("disparagement", lambda d: facts.disparagement(d.text, d.org_names, d.rules.phrases)),
)  # fmt: skip


def run_detectors(draft: Draft) -> list[Hit]:
    """Every registered detector's hits, in registry order."""
    return [hit for _, detector in DETECTORS for hit in detector(draft)]
