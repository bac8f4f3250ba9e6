"""Advice per category in German and English, naming the guideline rule that backs it."""

from __future__ import annotations

from bot.models import Language, Source

ADVICE: dict[str, dict[Language, str]] = {
    "confidential_info": {
        "en": "Remove this: it shares internal information the company has not published{what}.",
        "de": "Streichen Sie das: Es gibt interne, nicht veröffentlichte Informationen "
        "preis{what}.",
    },
    "unreleased_product": {
        "en": "Do not hint at products, features or dates that are not announced yet{what}; "
        "share only what is already public.",
        "de": "Deuten Sie keine nicht angekündigten Produkte, Funktionen oder Termine an{what}; "
        "teilen Sie nur, was bereits öffentlich ist.",
    },
    "financial_results": {
        "en": "Leave out business figures and hints about results until they are officially "
        "published; then share the official numbers and the press release.",
        "de": "Lassen Sie Geschäftszahlen und Andeutungen dazu weg, bis sie offiziell "
        "veröffentlicht sind; danach teilen Sie die offiziellen Zahlen und die Mitteilung.",
    },
    "personal_data": {
        "en": "Remove the personal data{what}: never post other people's contact, bank, health "
        "or private details without their explicit consent.",
        "de": "Entfernen Sie die personenbezogenen Daten{what}: Kontakt-, Bank-, Gesundheits- "
        "oder private Angaben anderer nie ohne deren ausdrückliche Einwilligung posten.",
    },
    "customer_info": {
        "en": "Do not name customers or share their details{what} unless they are approved for "
        "public reference.",
        "de": "Nennen Sie Kunden und deren Details{what} nur, wenn sie öffentlich als Referenz "
        "freigegeben sind.",
    },
    "legal_matter": {
        "en": "Do not comment on lawsuits, disputes or investigations; ask the legal team first.",
        "de": "Äußern Sie sich nicht zu Klagen, Rechtsstreitigkeiten oder Ermittlungen; fragen "
        "Sie zuerst die Rechtsabteilung.",
    },
    "speaking_for_company": {
        "en": "Speak for yourself only{what}: drop official statements or promises on the "
        "company's behalf, or let the authorised spokespeople answer.",
        "de": "Sprechen Sie nur für sich selbst{what}: keine offiziellen Aussagen oder Zusagen im "
        "Namen des Arbeitgebers; verweisen Sie an die zuständige Stelle.",
    },
    "missing_affiliation_disclosure": {
        "en": "Say that you work there{what}, in the post itself (e.g. {tag}).",
        "de": "Machen Sie im Beitrag selbst deutlich, dass Sie dort arbeiten{what} (z. B. {tag}).",
    },
    "missing_ad_disclosure": {
        "en": "This looks sponsored or gifted{what}: label it as an ad at the start (e.g. {tag}).",
        "de": "Das wirkt gesponsert oder geschenkt{what}: kennzeichnen Sie es gleich am Anfang "
        "als Werbung (z. B. {tag}).",
    },
    "competitor_disparagement": {
        "en": "Drop the disparaging remark about a competitor{what}; stick to facts and stay "
        "respectful.",
        "de": "Streichen Sie die abfällige Bemerkung über einen Wettbewerber{what}; bleiben Sie "
        "sachlich und respektvoll.",
    },
    "harassment_or_hate": {
        "en": "Remove insults, threats or demeaning words{what}: they are not acceptable towards "
        "anyone.",
        "de": "Entfernen Sie Beleidigungen, Drohungen oder herabsetzende Worte{what}: sie sind "
        "gegenüber niemandem akzeptabel.",
    },
    "profanity": {
        "en": "Replace the swear word{what} with neutral language.",
        "de": "Ersetzen Sie den Kraftausdruck{what} durch neutrale Sprache.",
    },
    "political_endorsement_as_company": {
        "en": "Keep party politics out of anything tied to your employer or official role: no "
        "endorsements, titles or donation requests in that context.",
        "de": "Halten Sie Parteipolitik aus allem heraus, was mit Ihrem Arbeitgeber oder Amt "
        "verbunden ist: keine Wahlempfehlung, Amtsbezeichnung oder Spendenaufrufe.",
    },
    "copyright": {
        "en": "Use only content you have a licence or permission for{what}, and credit the "
        "creator.",
        "de": "Verwenden Sie nur Inhalte mit Lizenz oder Erlaubnis{what} und nennen Sie die "
        "Urheber.",
    },
    "secrets": {
        "en": "Remove the {what_plain} at once and have it revoked: it gives access to systems.",
        "de": "Entfernen Sie das Geheimnis ({what_plain}) sofort und lassen Sie es sperren: es "
        "öffnet den Zugang zu Systemen.",
    },
    "prompt_injection": {
        "en": "Remove the instructions addressed to the review tool: drafts that try to steer "
        "the review are treated as manipulation and never approved.",
        "de": "Entfernen Sie die Anweisungen an das Prüfwerkzeug: Entwürfe, die die Prüfung "
        "steuern wollen, gelten als Manipulationsversuch und werden nicht freigegeben.",
    },
}

# What a detector found, in German (the English label is the key).
LABELS_DE = {
    "IBAN": "IBAN", "credit card number": "Kreditkartennummer", "e-mail address": "E-Mail-Adresse",
    "phone number": "Telefonnummer", "IP address": "IP-Adresse", "postal address": "Anschrift",
    "internal network address": "interne Netzwerkadresse", "date of birth": "Geburtsdatum",
    "password or key": "Passwort oder Schlüssel", "password in a URL": "Passwort in einer URL",
    "private key": "privater Schlüssel", "API key": "API-Schlüssel", "threat": "Drohung",
    "instruction to the reviewer": "Anweisung an das Prüfwerkzeug", "insult": "Beleidigung",
    "swear word": "Kraftausdruck", "internal codename": "interner Codename",
    "confidential project": "vertrauliches Projekt", "customer name": "Kundenname",
    "internal address": "interne Adresse", "badge or access card": "Ausweis oder Zugangskarte",
    "whiteboard photo": "Whiteboard-Foto", "content of others": "fremde Inhalte",
    "screenshot of an internal tool": "Screenshot eines internen Werkzeugs",
    "stereotype": "Stereotyp", "statement for the employer": "Aussage für den Arbeitgeber",
    "competitor": "Wettbewerber", "health data": "Gesundheitsdaten",
}  # fmt: skip


def label(what: str, language: Language, name: str = "") -> str:
    """A detector's label in the draft's language, with the found name quoted if given."""
    text = LABELS_DE.get(what, what) if language == "de" else what
    if name:
        text += f" „{name}“" if language == "de" else f' "{name}"'
    return text


_RULE = {"en": " Rule: {rule}.", "de": " Regel: {rule}."}
_DEFAULT_TAG = {
    "missing_affiliation_disclosure": {"en": '"I work at …"', "de": "„Ich arbeite bei …“"},
    "missing_ad_disclosure": {"en": "#ad", "de": "#Werbung"},
}


def rule_name(source: Source) -> str:
    """The cited rule as a reader finds it: the last heading(s) and the document."""
    parts = [p.strip() for p in source.section.split(">") if p.strip()]
    section = " > ".join(parts[-2:]) if len(parts) > 2 else " > ".join(parts[1:] or parts)
    return f"„{section}“ ({source.source})"


def advice_for(category: str, language: Language, what: str, sources: list[Source],
               tag: str | None = None) -> str:  # fmt: skip
    template = ADVICE.get(category, {}).get(language) or ADVICE["confidential_info"][language]
    detail = f" ({what})" if what else ""
    default_tag = _DEFAULT_TAG.get(category, {}).get(language, "")
    text = template.format(what=detail, what_plain=what or "secret", tag=tag or default_tag)
    if sources:
        text += _RULE[language].format(rule=rule_name(sources[0]))
    return text


_UNSURE = {
    "en": "This sentence comes close to a rule on {title}: {rule}. Make sure it breaks none of "
    "it before you post; if unsure, ask the comms team.",
    "de": "Dieser Satz berührt eine Regel zu {title}: {rule}. Prüfen Sie vor dem Posten, dass er "
    "nicht dagegen verstößt; fragen Sie im Zweifel das Kommunikationsteam.",
}


def unsure_advice(category: str, language: Language, sources: list[Source]) -> str:
    """What a doubtful finding tells the employee: the rule it comes close to, what to check."""
    from bot.review.categories import CATEGORIES

    title = CATEGORIES[category].title[language]
    rule = f"„{sources[0].text}“ ({rule_name(sources[0])})" if sources else title
    if language == "en" and sources:
        rule = f'"{sources[0].text}" ({rule_name(sources[0])})'
    return _UNSURE[language].format(title=title, rule=rule)
