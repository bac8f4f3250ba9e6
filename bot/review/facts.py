"""Detectors that need to know the company: names, codenames, customers, disclosure tags.

With a review-rules.yaml these come from the comms team. Without one (a foreign knowledge
folder) the organisation's own names are guessed from the guidelines: a guideline document
names its organisation again and again ("GitLab team members", "bei Nordlicht").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from bot.language import detect_language
from bot.orgnames import CAPITALISED, name_pattern
from bot.review.detectors import REMOVED, Hit, drop_overlaps
from bot.review.phrases import PhraseBook
from bot.review.rules import Rules

_I = re.IGNORECASE
_INTERNAL_HOST = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)+(?:internal|intranet|corp|local|lan|intra)(?:/[^\s]*)?(?![\w-])", _I
)

AD_LABEL_WINDOW = 60  # "put #ad at the start": a label after this many characters is hidden


def _whole_address(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a configured domain to the whole host and path: "vpn.corp.internal/wiki"."""
    while start > 0 and re.match(r"[\w.-]", text[start - 1]):
        start -= 1
    tail = re.match(r"[^\s]*", text[end:])
    end += len(tail.group(0).rstrip(".,;:!?)")) if tail else 0
    return start, end


def company_facts(text: str, rules: Rules) -> list[Hit]:
    """Codenames, customers and internal host names from the rules, plus generic hosts."""
    found: list[Hit] = []
    for names, category, what in (
        (rules.codenames, "unreleased_product", "internal codename"),
        (rules.confidential_projects, "confidential_info", "confidential project"),
        (rules.customers, "customer_info", "customer name"),
        (rules.internal_domains, "confidential_info", "internal address"),
    ):
        pattern = name_pattern(names)
        for match in pattern.finditer(text) if pattern else ():
            start, end = match.span()
            if what == "internal address":
                start, end = _whole_address(text, start, end)
            found.append(Hit(category, start, end, "list", what,
                             REMOVED if what != "customer name" else None))  # fmt: skip
    for match in _INTERNAL_HOST.finditer(text):
        found.append(Hit("confidential_info", match.start(), match.end(), "pattern",
                         "internal address", REMOVED))  # fmt: skip
    return drop_overlaps(found)


def disclosed(text: str, rules: Rules) -> bool:
    tags = name_pattern(rules.affiliation_tags)
    return bool(rules.phrases["affiliation"].search(text) or (tags and tags.search(text)))


def missing_affiliation(text: str, rules: Rules, org_names: tuple[str, ...]) -> list[Hit]:
    """A personal post that praises the employer without saying the author works there."""
    pattern = name_pattern(rules.company_names or org_names)
    if pattern is None or disclosed(text, rules):
        return []
    mention = pattern.search(text)
    if mention is None or not rules.phrases["promotion"].search(text):
        return []
    return [Hit("missing_affiliation_disclosure", mention.start(), mention.end(), "disclosure",
                mention.group(0))]  # fmt: skip


def ad_labelled(text: str, rules: Rules) -> bool:
    """Whether an advertising label stands where readers see it: at the start, as a tag
    ("#ad", "paid partnership") or as the tag's word heading the post ("Anzeige | …")."""
    labels, heading = _ad_labels(rules.ad_tags)
    window = max(AD_LABEL_WINDOW, len(text) // 5)
    if labels and any(t.start() <= window for t in labels.finditer(text)):
        return True
    return bool(heading and heading.match(text))


@lru_cache(maxsize=8)
def _ad_labels(tags: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The tags anywhere in a text, and a tag's words opening the post, set off from it by a
    bar, colon, dash or line break; compiled once per set of tags."""
    words = sorted({t.lstrip("#") for t in tags if t.lstrip("#")}, key=len, reverse=True)
    if not words:
        return name_pattern(tags), None
    alternatives = "|".join(re.escape(w) for w in words)
    heading = re.compile(rf"\W*(?:{alternatives})\s*(?:[|:–—-]|\n)", re.IGNORECASE)
    return name_pattern(tags), heading


def missing_ad(text: str, rules: Rules) -> list[Hit]:
    """Gifted, sponsored or affiliate content without an advertising label at its start."""
    extra = rules.categories["missing_ad_disclosure"].patterns if rules.categories else ()
    match = rules.phrases["sponsorship"].search(text) or next(
        (m for p in extra if (m := p.search(text))), None
    )
    if ad_labelled(text, rules):
        return []
    labels, _ = _ad_labels(rules.ad_tags)
    tags = list(labels.finditer(text)) if labels else []
    if match is None and tags:
        match = tags[-1]  # labelled, but only at the end where readers miss it
    if match is None:
        return []
    return [Hit("missing_ad_disclosure", match.start(), match.end(), "disclosure", match.group(0))]


def political(text: str, account: str, rules: Rules, org_names: tuple[str, ...],
              guidelines_ban_fundraising: bool,
              in_guidelines: Callable[[str], bool]) -> list[Hit]:  # fmt: skip
    """Party politics in the employer's name, with an official title, or asking for money."""
    topic = rules.phrases["political_topic"].search(text)
    if topic is None or not rules.phrases["endorsement"].search(text):
        return []
    if not tied_to_employer(text, account, rules, org_names, guidelines_ban_fundraising,
                            in_guidelines):  # fmt: skip
        return []
    return [Hit("political_endorsement_as_company", topic.start(), topic.end(), "pattern",
                topic.group(0))]  # fmt: skip


def tied_to_employer(text: str, account: str, rules: Rules, org_names: tuple[str, ...],
                     guidelines_ban_fundraising: bool,
                     in_guidelines: Callable[[str], bool]) -> bool:  # fmt: skip
    """What turns a political opinion, which guidelines allow a private person, into a breach:
    a company account, the employer's name or an official title, a role held at a place the
    company's own guidelines name (`in_guidelines`), or asking for money where the guidelines
    forbid it."""
    names = name_pattern([*rules.company_names, *org_names, *rules.affiliation_tags])
    as_company = account == "company" or bool(
        rules.phrases["official_role"].search(text) or (names and names.search(text))
        or re.search(r"\b(?:we at|wir bei)\b", text, _I)
        or rules.phrases["as_institution"].search(text)
        or _role_at(text, in_guidelines)
    )  # fmt: skip
    return as_company or (
        guidelines_ban_fundraising and bool(rules.phrases["fundraising"].search(text))
    )


# "Als Leiter des Außenbezirks Holzminden", "as a nurse at St Mary's": a role (a capitalised
# title or "a/an …", then up to two words) at a place named in capitals. "As captain of my
# local club" names no place, and "mehr als froh am Sonntag" holds no role.
_ROLE_AT = re.compile(
    r"\b(?i:als|as)\s+(?:(?i:a|an|ein|eine)\s+[\w-]+|(?:[\w-]+\s+){0,2}[A-ZÄÖÜ][\w-]*)"
    r"(?:\s+[\w-]+){0,2}?\s+(?i:bei|beim|am|an|im|des|der|vom|von|zum|zur|at|of|for|with)\s+"
    r"(?:(?i:the|der|die|dem|den|des)\s+)?([A-ZÄÖÜ][\w'’-]+(?:\s+[A-ZÄÖÜ][\w'’-]+){0,2})"
)


def _role_at(text: str, in_guidelines: Callable[[str], bool]) -> bool:
    """A role held at a place whose name the company's own guidelines use: its unit, site or
    short name ("Landeszentrale", "Außenbezirk"), which no list of official titles knows."""
    return any(
        len(word) >= 4 and in_guidelines(word)
        for match in _ROLE_AT.finditer(text)
        for word in match.group(1).split()
    )


def competitor_mentions(text: str, rules: Rules) -> list[Hit]:
    pattern = name_pattern(rules.competitors)
    return [
        Hit("competitor_disparagement", m.start(), m.end(), "list", "competitor")
        for m in (pattern.finditer(text) if pattern else ())
    ]


_SUBJECT = re.compile(r"\s+(?:is|are|'s|ist|sind|has|hat|was|war)\b", _I)


def _product_names(part: str, own: re.Pattern[str] | None, phrases: PhraseBook) -> list[str]:
    """Capitalised names in a sentence that are not the own organisation's. German capitalises
    every noun, so there only CamelCase/acronyms count; a sentence's first word counts when it
    is the subject ("Slack is ...")."""
    english = detect_language(part) == "en"
    names = []
    for match in CAPITALISED.finditer(part):
        word = match.group(0)
        if own and own.fullmatch(word):
            continue
        distinctive = any(c.isupper() for c in word[1:])
        if not (english or distinctive):
            continue
        first = not part[: match.start()].strip()
        if first and not (distinctive or _SUBJECT.match(part, match.end())):
            continue
        if first and phrases["sentence_starters"].fullmatch(word):
            continue
        names.append(word)
    return names


def disparagement(text: str, org_names: tuple[str, ...], phrases: PhraseBook) -> list[Hit]:
    """Harsh words about another company's product ("their CI is a dumpster fire")."""
    own = name_pattern(org_names)
    found = []
    for sentence in re.finditer(r"[^.!?\n]+[.!?]?", text):
        part = sentence.group(0)
        negative = phrases["negative"].search(part)
        if negative is None:
            continue
        if phrases["other_party"].search(part) or _product_names(part, own, phrases):
            start = sentence.start() + negative.start()
            found.append(Hit("competitor_disparagement", start, start + len(negative.group(0)),
                             "pattern", negative.group(0)))  # fmt: skip
    return found


def keyword_rules(text: str, rules: Rules) -> list[Hit]:
    """Keywords and regexes the comms team added per category."""
    found = []
    for name, config in rules.categories.items():
        if name == "missing_ad_disclosure":
            continue  # a sponsor word only matters when the label is missing (missing_ad)
        for pattern in config.patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    found.append(Hit(name, match.start(), match.end(), "keyword", match.group(0)))
    return found
