"""Phrase patterns for risks that embeddings blur: copied photos, badge selfies, screenshots of
internal tools, threats, stereotypes and statements made in the employer's name.

Each pattern is general German or English phrasing found in guidance of many employers, not
the wording of one company's drafts. `{org}` stands for the company's names when known.
"""

from __future__ import annotations

import re

from bot.review.detectors import Hit

_I = re.IGNORECASE
_MEDIA = (r"(?:photo|picture|pic|image|shot|video|clip|song|music|track|artwork|meme|article|"
          r"graphic|foto|bild|grafik|musik|artikel|it|this|them)")  # fmt: skip

_COPYRIGHT = re.compile(
    rf"\b(?:found|grabbed|took|downloaded|copied|saved|ripped|stole|borrowed)\b[^.!?]{{0,30}}"
    rf"\b(?:from|on|off)\b[^.!?]{{0,40}}\b(?:internet|web|net|google|website|site|instagram|"
    rf"pinterest|facebook|twitter|tiktok|youtube|page|account|profile|article|magazine|"
    rf"newspaper|blog|book|zeitung|magazin|artikel)\b"
    rf"|\b(?:aus dem|im) (?:netz|internet)\b|\bvon (?:google|instagram|pinterest|facebook)\b"
    rf"|\b(?:heruntergeladen|runtergeladen|kopiert|geklaut)\b|\bnot my (?:own )?{_MEDIA}\b"
    rf"|\bno copyright (?:infringement )?intended\b|\bcredit (?:goes )?to the (?:owner|creator)\b"
    rf"|\breposting (?:this|these)\b[^.!?]{{0,60}}\b(?:found|from|by)\b"
    rf"|\b(?:as|als) (?:background|hintergrund) ?(?:music|musik|song|track)\b"
    rf"|\b(?:used|using|added|put) (?:the|a|this|their|his|her) [^.!?]{{0,40}}\b(?:song|single|"
    rf"track|soundtrack|album)\b"
    rf"|\b(?:pasted|copied|posting|sharing) (?:in )?(?:the|their) (?:whole|entire|full)\b"
    rf"|\b(?:komplett|vollständig) (?:kopiert|eingefügt|abgetippt)\b",
    _I,
)
_PERMISSION = re.compile(
    r"\b(?:with (?:his|her|their|kind) permission|permission (?:from|of)|licen[cs]ed|"
    r"mit (?:seiner|ihrer|freundlicher) (?:erlaubnis|genehmigung)|lizenz\w*|©|cc[- ]by)\b",
    _I,
)
_BADGE = re.compile(
    r"\b(?:badge|access card|key ?card|id card|werksausweis\w*|firmenausweis\w*|"
    r"mitarbeiterausweis\w*|dienstausweis\w*|zugangskarte\w*|ausweis)\b[^.!?]{0,40}"
    r"(?:selfie|photo|pic|foto|bild|📸|🪪)|(?:selfie|photo|foto|bild)[^.!?]{0,30}"
    r"\b(?:badge|ausweis\w*|zugangskarte\w*)\b|🪪",
    _I,
)
_WHITEBOARD = re.compile(
    r"\b(?:photo|pic|foto|bild|swipe|snapshot|auf dem foto|📸)\b[^.!?]{0,60}"
    r"\b(?:whiteboard|flipchart|pinnwand|wall of post-its)\b|\b(?:whiteboard|flipchart|"
    r"pinnwand)\b[^.!?]{0,60}\b(?:photo|pic|foto|bild|swipe)\b",
    _I,
)
_SCREENSHOT = re.compile(
    r"\bscreenshots?\b[^.!?]{0,80}\b(?:intern\w*|dashboard|slack|chat|e-?mails?|ticket\w*|crm|"
    r"wiki|admin|backend|staging|console|konsole|jira|confluence|teams)\b|\b(?:intern\w*|"
    r"dashboard|slack|chat|ticket\w*|crm|wiki|admin|backend|staging)\b[^.!?]{0,80}"
    r"\bscreenshots?\b",
    _I,
)
_THREAT = re.compile(
    r"\b(?:i|we) know where you live\b|\bich weiß,? wo du wohnst\b|\bwatch your back\b|"
    r"\byou(?:'ll| will) regret\b|\bi(?:'ll| will) (?:find|get|hurt|kill|destroy) you\b|"
    r"\bdu wirst (?:es )?bereuen\b|\bpass (?:bloß|nur) auf\b|\bich krieg(?:e)? dich\b",
    _I,
)
_STEREOTYPE = re.compile(
    r"\btypisch (?:für )?(?:die |diese |solche )?(?:leute|frauen|männer|ausländer\w*|"
    r"migrant\w*|flüchtling\w*|ossis?|wessis?|türken|muslim\w*|juden|alten|jungen)\b|"
    r"\b(?:die|diese) leute von (?:da|dort|drüben)\b|\b(?:those|these) people\b|"
    r"\bpeople like (?:them|that)\b|\btypical (?:woman|women|man|men|foreigners?|immigrants?)\b|"
    r"\bgo back (?:to )?where (?:they|you) came from\b|\bsollen (?:dahin )?zurück\b|"
    r"\bshould (?:all )?be (?:deported|shot|hanged|locked up|gassed)\b|"
    r"\bgehör\w* (?:alle )?(?:abgeschoben|weggesperrt|erschossen|aufgehängt)\b",
    _I,
)
# "we as a company", "wir als Behörde": speaking as the employer, wherever it appears.
AS_INSTITUTION = (
    r"\b(?:we as an?|wir als) (?:company|firm|university|agency|organi[sz]ation|department|"
    r"unternehmen|firma|universität|hochschule|behörde|verwaltung|amt|ministerium|organisation|"
    r"institut)\b"
)
_SPEAKING = (
    r"\bspeaking (?:for|on behalf of) (?:{org}|my (?:company|employer|agency)|the company|us)\b"
    r"|\bon behalf of (?:{org}|my (?:company|employer|agency|team)|the (?:company|whole team))\b"
    r"|\b(?:{org})(?:'s)? (?:official )?(?:position|view|stance) is\b"
    r"|\bofficial(?:ly)? (?:position|statement|line|stance|word)\b"
    r"|\b(?:{org}) (?:ist der (?:meinung|ansicht|auffassung)|vertritt die (?:ansicht|position))\b"
    r"|\boffizielle[sn]? (?:statement|stellungnahme|position|linie|haltung)\b"
    r"|\bim namen (?:von (?:{org})|des |der |meines |meiner |unseres |unserer )"
    r"|\b(?:ganz )?offiziell (?:für|von mir|gesagt)\b|\bsage ich (?:hier )?(?:ganz )?offiziell\b"
    r"|"
) + AS_INSTITUTION


_NEGATED = re.compile(r"\b(?:not|never|nicht|nie|keine?)\W+(?:\w+\W+)?$", _I)

_HEALTH = re.compile(
    r"\b(?:pregnan\w*|cancer|chemo\w*|tumou?r|burn-?out|depression|heart attack|stroke|surgery|"
    r"diagnos\w*|sick leave|rehab|in (?:the )?hospital|miscarriage|schwanger\w*|krebs\w*|"
    r"herzinfarkt|schlaganfall|operation|krankgeschrieben|krankschreibung|bandscheib\w*|reha\b|"
    r"im krankenhaus|fehlgeburt|therapie)\b",
    _I,
)
_OTHER_PERSON = re.compile(
    r"\b(?:colleague|co-?worker|teammate|boss|manager|intern|she|he|her|his|kolleg\w*|chef\w*|"
    r"vorgesetzt\w*|azubi\w*|praktikant\w*|sie|er|ihr\w*|sein\w*)\b|\b[A-ZÄÖÜ][a-zäöüß]+ "
    r"(?:from|aus|vom|von der)\b|\b[A-ZÄÖÜ]\.",
)


def health_of_others(text: str) -> list[Hit]:
    """Health details about another person (a colleague's illness, a pregnancy)."""
    hits = []
    for sentence in re.finditer(r"[^.!?\n]+[.!?]?", text):
        part = sentence.group(0)
        health = _HEALTH.search(part)
        if health and _OTHER_PERSON.search(part):
            start = sentence.start() + health.start()
            hits.append(Hit("personal_data", start, start + len(health.group(0)), "pattern",
                            "health data"))  # fmt: skip
    return hits


def _found(pattern: re.Pattern[str], text: str, category: str, what: str) -> list[Hit]:
    return [Hit(category, m.start(), m.end(), "pattern", what) for m in pattern.finditer(text)]


def workplace(text: str) -> list[Hit]:
    """Photos, screenshots and borrowed content: guideline topics with fixed phrasing."""
    hits = _found(_BADGE, text, "confidential_info", "badge or access card")
    hits += _found(_WHITEBOARD, text, "confidential_info", "whiteboard photo")
    hits += _found(_SCREENSHOT, text, "confidential_info", "screenshot of an internal tool")
    if not _PERMISSION.search(text):
        hits += _found(_COPYRIGHT, text, "copyright", "content of others")
    return hits


def hostility(text: str) -> list[Hit]:
    return _found(_THREAT, text, "harassment_or_hate", "threat") + _found(
        _STEREOTYPE, text, "harassment_or_hate", "stereotype"
    )


def speaking(text: str, org_names: tuple[str, ...]) -> list[Hit]:
    """Statements for the employer; a disclaimer ("nicht im Namen meines Arbeitgebers", "not
    speaking for my company") is the opposite and does not count."""
    org = "|".join(re.escape(n) for n in sorted(org_names, key=len, reverse=True)) or r"(?!x)x"
    pattern = re.compile(_SPEAKING.format(org=org), _I)
    hits = _found(pattern, text, "speaking_for_company", "statement for the employer")
    return [h for h in hits if not _NEGATED.search(text[max(0, h.start - 20) : h.start])]
