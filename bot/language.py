"""German-or-English detection that works on short, informal questions.

Only two languages matter here, so function words decide: they are frequent even in five-word
Slack questions, where character n-gram detectors guess. Umlauts and ß break ties.
"""

from __future__ import annotations

import re

from bot.models import Language

_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)

_GERMAN = frozenset(
    """
    aber alle als also am an auch auf aus bei bin bis bist da dann darf darf's dass das dem den
    der des dich die dies diese dieser dieses dir doch dort du durch ein eine einem einen einer
    eines er es etwas euch euer für gibt hab habe haben hat hier ich ihr ihre im in ist ja jetzt
    kann kannst kein keine man mein meine meinem meinen mich mir mit muss musst nach nein nicht
    noch nun nur ob oder ohne sein seine sich sie sind so soll sollte sollen über um und uns
    unser unsere unter vom von vor war was weil wenn wer werden wie wir wird wo zu zum zur zwar
    dürfen darf's geht gilt posten beitrag beiträge mitarbeiter unternehmen firma privat
    """.split()
)

_ENGLISH = frozenset(
    """
    a about after all am an and any are as at be been but by can could did do does don't for
    from had has have he her his how i if in into is it its it's just may me might must my no
    not of on or our should so some than that the their them then there these they this to
    us was we were what when where which who why will with would you your yours i'm can't
    allowed post posting company employee okay ok
    """.split()
)


def detect_language(text: str, default: Language = "en") -> Language:
    """'de' or 'en' for a text of any length; `default` when nothing tells them apart."""
    words = [w.lower() for w in _WORD.findall(text)]
    german: float = sum(w in _GERMAN for w in words)
    english = sum(w in _ENGLISH for w in words)
    # Umlauts and ß are strong German evidence, also in words no list holds ("Kundenprojekt").
    german += 0.5 * sum(any(c in "äöüß" for c in w) for w in words)
    if german > english:
        return "de"
    if english > german:
        return "en"
    return default
