"""What a guideline sentence does: prohibit, require, permit, or permit under a condition.

Guidelines state rules with a small, closed grammar of modal verbs and negation that is the same
in every organisation's text ("must not", "only with approval", "dürfen nicht", "nur nach
Freigabe"); this module reads that grammar, never topic words, so it works on guidelines no one
tuned it for. Sentences without any of it are "none": descriptions, introductions, examples.
The order of the checks matters: a condition makes any rule conditional ("do not post without
approval", "may post only after approval"), and a negated permission is a prohibition
("may not").
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

Modality = Literal["prohibited", "conditional", "required", "permitted", "none"]
MODALITIES: tuple[Modality, ...] = ("prohibited", "conditional", "required", "permitted", "none")
NORMATIVE: frozenset[str] = frozenset({"prohibited", "conditional", "required"})


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)


_PROHIBITED = _words(
    # English: negated modals, explicit bans, avoidance
    r"(?:must|may|should|shall|can|could|will|do|does|are|is)\s*(?:n['’]t|not)\b",
    r"(?:mustn|shouldn|can|won|don|doesn|aren|isn)['’]t",
    r"cannot",
    r"never",
    r"not\s+(?:be\s+)?(?:allowed|permitted|acceptable|appropriate|tolerated)",
    r"(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden|banned|not\s+allowed)",
    r"prohibited|forbidden",
    r"refrain\s+from",
    r"avoid(?:ing)?",
    r"under\s+no\s+circumstances",
    r"no\s+one\s+(?:may|should|is\s+allowed)",
    # German: negated modals with nicht/kein*, bans, "unterlassen", "vermeiden"
    r"(?:must|may|should|shall|can)\s+neither",
    r"(?:darf|dürfen|dürft|darfst|soll|sollen|sollte|sollten|kann|können|muss|müssen)"
    r"(?:\s+\w+){0,6}?\s+(?:nicht|keine?[nmrs]?|nie|niemals|weder)",
    r"(?:nicht|keine?[nmrs]?)\s+(?:\w+\s+){0,3}(?:gestattet|erlaubt|zulässig|zugelassen)",
    r"untersagt|verboten|unzulässig|unerlaubt|unterlassen|unterlassen\w*",
    r"nie|niemals",
    r"vermeid\w*",
    r"bitte\s+(?:keine?[nmrs]?|nicht)",
    r"ist\s+tabu|sind\s+tabu",
)
_CONDITIONAL = _words(
    # "only" and the condition it introduces, also with the verb between them ("may only be
    # posted after …", "darf nur veröffentlicht werden, wenn …")
    r"only(?:\s+\w+){0,5}?,?\s+(?:if|when|with|after|once|where|through|via|by|in)",
    r"unless",
    r"(?:with|without|after|upon|following)\s+(?:the\s+)?(?:prior\s+|explicit\s+|written\s+)?"
    r"(?:\w+['’]s\s+)?(?:approval|permission|consent|authori[sz]ation|clearance|sign-off)",
    r"(?:ask|check\s+with|consult|contact|speak\s+to|talk\s+to)\b(?:\s+\w+){0,6}\s+(?:first|before)",
    r"(?:seek|get|obtain|request)\s+(?:\w+\s+){0,2}(?:approval|permission|consent)",
    r"(?:requires?|need)\s+(?:\w+\s+){0,2}(?:approval|permission|consent|sign-off)",
    r"(?:approved|authori[sz]ed|cleared)\s+(?:by|in\s+advance)",
    r"before\s+(?:posting|publishing|sharing)",
    r"nur(?:\s+\w+){0,5}?,?\s+(?:mit|nach|wenn|falls|sofern|in|durch|über|bei|im|von)",
    r"es\s+sei\s+denn",
    r"(?:mit|ohne|nach)\s+(?:\w+\s+){0,2}(?:Zustimmung|Genehmigung|Freigabe|Einwilligung|"
    r"Erlaubnis|Einverständnis|Abstimmung)",
    r"(?:erfordert|erfordern|bedarf|bedürfen|braucht|brauchen|benötigt|benötigen)\s+"
    r"(?:\w+\s+){0,3}(?:Zustimmung|Genehmigung|Freigabe|Einwilligung|Erlaubnis|Einverständnis)",
    r"in\s+Absprache|nach\s+Absprache|Rücksprache|abzustimmen|abgestimmt\s+werden",
    r"(?:vorher|vorab|zuvor|im\s+Vorfeld)\b(?:\s+\w+){0,6}\s+(?:fragen|einholen|klären|abstimmen|"
    r"genehmigen|freigeben)",
    r"sofern|vorausgesetzt",
    r"^\W*(?:only|nur|ausschließlich|exclusively)",  # "Only the press office speaks for us."
)
_REQUIRED = _words(
    r"must",
    r"(?:have|has|need|needs)\s+to",
    r"(?:is|are)\s+(?:required|expected|obliged|obligated)\s+to",
    r"required",
    r"shall",
    r"should",
    r"always",
    r"make\s+sure|ensure|be\s+sure\s+to|remember\s+to|be\s+(?:aware|mindful|careful)",
    r"(?:is|are)\s+(?:responsible|accountable)\s+for",
    r"muss|müssen|musst|müsst",
    r"(?:ist|sind)\s+(?:\w+\s+){0,2}verpflichtet",
    r"verpflicht\w*",
    r"soll|sollen|sollte|sollten|sollst",
    r"stets|immer|grundsätzlich",
    r"(?:achten|beachten|denken)\s+Sie|achte\s+darauf|beachte|sorgen\s+Sie|stellen\s+Sie\s+sicher",
    r"(?:ist|sind)\s+(?:\w+\s+){1,5}zu\s+\w+en",
    r"(?:haben|hat)\s+(?:\w+\s+){1,5}zu\s+\w+en",
    r"erforderlich|notwendig|Pflicht",
    r"please|bitte",
)
_PERMITTED = _words(
    r"may|can|could",
    r"(?:is|are)\s+(?:\w+\s+)?(?:allowed|permitted|welcome|encouraged|free)\s+to",
    r"feel\s+free|you(?:['’]re|\s+are)\s+welcome|encouraged?|fine\s+to|okay\s+to|ok\s+to",
    r"darf|dürfen|dürft|darfst|kann|können|könnt|kannst",
    r"(?:ist|sind)\s+(?:\w+\s+)?(?:erlaubt|gestattet|erwünscht|zulässig|willkommen)",
    r"gerne|gern|ermutig\w*",
)


def grammar_version() -> str:
    """Short hash of the grammar: stored sentences read with another one are stale."""
    patterns = (_PROHIBITED, _CONDITIONAL, _REQUIRED, _PERMITTED)
    return hashlib.sha256("\n".join(p.pattern for p in patterns).encode()).hexdigest()[:10]


def modality_of(text: str) -> Modality:
    """The modality of one guideline sentence (either language), or "none"."""
    if _CONDITIONAL.search(text):
        return "conditional"
    if _PROHIBITED.search(text):
        return "prohibited"
    if _REQUIRED.search(text):
        return "required"
    if _PERMITTED.search(text):
        return "permitted"
    return "none"
