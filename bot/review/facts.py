"""Detectors that need to know the company: names, codenames, customers, disclosure tags.

With a review-rules.yaml these come from the comms team. Without one (a foreign knowledge
folder) the organisation's own names are guessed from the guidelines: a guideline document
names its organisation again and again ("GitLab team members", "bei Nordlicht").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.language import detect_language
from bot.orgnames import CAPITALISED, name_pattern
from bot.review.detectors import REMOVED, Hit, drop_overlaps
from bot.review.patterns import AS_INSTITUTION
from bot.review.rules import Rules

_I = re.IGNORECASE
_INTERNAL_HOST = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)+(?:internal|intranet|corp|local|lan|intra)(?:/[^\s]*)?(?![\w-])", _I
)

# Employment said in the post itself, for any employer.
_AFFILIATION = re.compile(
    r"\b(?:i|we) (?:work|worked|am working) (?:at|for|on|with|in)\b|\bi'm an? [\w -]{0,40}\bat\b"
    r"|\bmy (?:employer|company|team|colleagues|job|work)\b|\b(?:our|my) team at\b"
    r"|\bteam ?members?\b|\bemployee\b|\bviews (?:are )?(?:my|mine)\b|\bopinions? (?:are )?my own\b"
    r"|\bwe at\b|\bas an? [\w -]{0,30}(?:engineer|employee|developer|manager)\b|#lifeat\w+"
    r"|\bi(?:'m| am) (?:on|in|part of) (?:the|our) [\w -]{0,30}team\b"
    r"|#\w+team\b|\bich arbeite\b|\barbeite (?:bei|für)\b|\bbin (?:ich )?[\w -]{0,40}\bbei\b"
    r"|\bmein(?:em|en)? (?:arbeitgeber|team|job)\b|\bunser(?:em)? team\b|\bwir bei\b"
    r"|\bprivatmeinung\b|\bmeine (?:private |persönliche )?meinung\b|\bmitarbeiter\w*\b",
    _I,
)
_PROMOTION = re.compile(
    r"\b(?:best|greatest|amazing|awesome|love|loving|incredible|fantastic|game[- ]?changer|"
    r"highly recommend|must[- ]have|should (?:try|switch|use|buy)|try it|check (?:it|them) out|"
    r"never look(?:ed|ing)? back|do yourself a favou?r|book a demo|"
    r"give it a (?:try|shot)|beste[nrs]?|großartig\w*|"
    r"genial\w*|empfehl\w*|müsst ihr|unbedingt|"
    r"ausprobieren|hammer|unschlagbar|spitze)\b",
    _I,
)
_SPONSOR = re.compile(
    r"\b(?:sent|gave|gifted|gifting) (?:me|us)\b|\b(?:got|received|sent me|gave me)\b[^.!?]{0,30}"
    r"\bfree\b|\bfree (?:sample|trial|product)s? from\b|\bpr (?:package|box)\b|#gifted\b|"
    r"\b(?:use|with) (?:my|the|code) code\b|\b(?:discount|promo|coupon) code\b|\bcoupon\b|"
    r"\b\d+ ?% off\b|\baffiliate\b|\bpartnered with\b|"
    # someone else paid ("paid by MedScan", "they paid for my trip"), not the author ("I paid for
    # the kit myself")
    r"\b(?:paid|sponsored) by (?!me\b|myself\b)\w|(?<!\bi )(?<!\bwe )\b(?:paid|sponsored) for "
    r"(?:us|my|the|our)\b|\bearns? (?:points|rewards|prizes)\b|\bemployee advocacy\b|"
    r"\b(?:danke|dank) an [^.!?]{1,40} für (?:das|die|den) (?:kostenlos\w*|gratis)\b|"
    r"\b(?:mir|uns)\b[^.!?]{0,40}\b(?:kostenlos|gratis|geschenkt|zur verfügung gestellt|bezahlt|"
    r"gesponsert|spendiert)\b|\brabatt\w*|\bgutschein\w*|\bmit (?:meinem|dem) code\b|"
    r"\bprämie\w*|\bpunkte sammeln\b",
    _I,
)
AD_LABEL_WINDOW = 60  # "put #ad at the start": a label after this many characters is hidden
_POLITICAL = re.compile(
    r"\b(?:vote|voting|elect|election|reelection|re-election|campaign|candidate|senator|"
    r"congress\w*|governor|mayor|party|ballot|democrat\w*|republican\w*|partisan|"
    r"wahl\w*|partei\w*|kandidat\w*|wählen|wählt|abgeordnet\w*|bürgermeister\w*)\b"
    r"|@?\w*for(?:senate|congress|governor|mayor|president)\b",
    _I,
)
_ENDORSE = re.compile(
    r"\b(?:vote|voting|support|endorse|back|stands? behind|elect|recommends?|chip in|donate|"
    r"contribute|join us|fundrais\w*|wähle|wählt|wählen|unterstütz\w*|spende\w*|stimmt für|"
    r"empfiehlt|empfehlen)\b",
    _I,
)
_FUNDRAISING = re.compile(
    r"\b(?:chip in|donat\w*|contribut\w*|fundrais\w*|give \$|\$\d+|spende\w*|spenden)\b", _I
)
# Saying that one speaks in an official role. Any capitalised "As <Title> of ..." is not
# enough: "As Captain of my local football club" is a private role.
_OFFICIAL = re.compile(
    r"\b(?:(?i:in my (?:official )?(?:role|capacity)|official|federal employee|public servant"
    r"|in meiner funktion|als (?:\w+ )?(?:amtsleiter\w*|beamt\w*|mitarbeiter\w*)))",
)


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
    return bool(_AFFILIATION.search(text) or (tags and tags.search(text)))


def missing_affiliation(text: str, rules: Rules, org_names: tuple[str, ...]) -> list[Hit]:
    """A personal post that praises the employer without saying the author works there."""
    pattern = name_pattern(rules.company_names or org_names)
    if pattern is None or disclosed(text, rules):
        return []
    mention = pattern.search(text)
    if mention is None or not _PROMOTION.search(text):
        return []
    return [Hit("missing_affiliation_disclosure", mention.start(), mention.end(), "disclosure",
                mention.group(0))]  # fmt: skip


def missing_ad(text: str, rules: Rules) -> list[Hit]:
    """Gifted, sponsored or affiliate content without an advertising label at its start."""
    extra = rules.categories["missing_ad_disclosure"].patterns if rules.categories else ()
    match = _SPONSOR.search(text) or next((m for p in extra if (m := p.search(text))), None)
    labels = name_pattern(rules.ad_tags)
    tags = list(labels.finditer(text)) if labels else []
    window = max(AD_LABEL_WINDOW, len(text) // 5)
    if any(t.start() <= window for t in tags):
        return []
    if match is None and tags:
        match = tags[-1]  # labelled, but only at the end where readers miss it
    if match is None:
        return []
    return [Hit("missing_ad_disclosure", match.start(), match.end(), "disclosure", match.group(0))]


def political(text: str, account: str, rules: Rules, org_names: tuple[str, ...],
              guidelines_ban_fundraising: bool,
              in_guidelines: Callable[[str], bool]) -> list[Hit]:  # fmt: skip
    """Party politics in the employer's name, with an official title, or asking for money."""
    topic = _POLITICAL.search(text)
    if topic is None or not _ENDORSE.search(text):
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
        _OFFICIAL.search(text) or (names and names.search(text))
        or re.search(rf"\b(?:we at|wir bei)\b|{AS_INSTITUTION}", text, _I)
        or _role_at(text, in_guidelines)
    )  # fmt: skip
    return as_company or (guidelines_ban_fundraising and bool(_FUNDRAISING.search(text)))


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


NEGATIVE = re.compile(
    r"\b(?:joke|junk|trash|garbage|rubbish|crap|nightmare|terrible|awful|horrible|useless|"
    r"pile of|dumpster fire|rip-?off|snake oil|mess|bloated|clunky|dinosaur|deserves? the pain|"
    r"broken|sucks?|worst|pathetic|scam|clowns?|amateurs?|overpriced|spyware|dumpster|"
    r"laughable|embarrassing|incompetent|schrott|müll|mist|witz|lachnummer|albtraum|"
    r"katastrophe\w*|lächerlich\w*|unbrauchbar\w*|peinlich\w*|versager|abzocke|"
    r"inkompetent\w*|selbst schuld)\b|🤡|💩|🗑️|🤮",
    _I,
)


def competitor_mentions(text: str, rules: Rules) -> list[Hit]:
    pattern = name_pattern(rules.competitors)
    return [
        Hit("competitor_disparagement", m.start(), m.end(), "list", "competitor")
        for m in (pattern.finditer(text) if pattern else ())
    ]


_OTHER_PARTY = re.compile(
    r"\b(?:their|its|deren|dessen|die von|those guys|competitor\w*|rival\w*|wettbewerber\w*|"
    r"konkurren\w*|still using|noch \w+ nutzt)\b",
    _I,
)


_SUBJECT = re.compile(r"\s+(?:is|are|'s|ist|sind|has|hat|was|war)\b", _I)


def _product_names(part: str, own: re.Pattern[str] | None) -> list[str]:
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
        if first and word.lower() in _STARTERS:
            continue
        names.append(word)
    return names


_STARTERS = frozenset(
    "the this that it my our their what we you he she they i honestly so and but if when "
    "today lol omg why how who there here life everything nothing work monday".split()
)


def disparagement(text: str, org_names: tuple[str, ...]) -> list[Hit]:
    """Harsh words about another company's product ("their CI is a dumpster fire")."""
    own = name_pattern(org_names)
    found = []
    for sentence in re.finditer(r"[^.!?\n]+[.!?]?", text):
        part = sentence.group(0)
        negative = NEGATIVE.search(part)
        if negative is None:
            continue
        if _OTHER_PARTY.search(part) or _product_names(part, own):
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
