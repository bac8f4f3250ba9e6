"""Deterministic detectors: patterns with checksums where a checksum exists.

These are the precise half of the review: an IBAN that passes its check digits or a GitHub
token is a finding whatever the embeddings say, and the LLM cannot argue it away.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum import iban, luhn

from bot.review.phrases import PhraseBook
from bot.sentences import draft_sentence_spans


@dataclass
class Hit:
    category: str
    start: int
    end: int
    detector: str  # "checksum", "pattern", "list", "keyword", "disclosure", "semantic"
    what: str = ""  # what was found, for the advice ("IBAN", "codename Polarstern")
    suggestion: str | None = None
    score: float = 1.0


REMOVED = ""  # suggestion: delete the excerpt
_I = re.IGNORECASE


def _hits(pattern: re.Pattern[str], text: str, category: str, what: str,
          check: Callable[[re.Match[str]], bool] = lambda m: True,
          detector: str = "pattern", group: int = 0) -> Iterator[Hit]:  # fmt: skip
    for match in pattern.finditer(text):
        if check(match):
            yield Hit(category, match.start(group), match.end(group), detector, what, REMOVED)


# --- personal data -------------------------------------------------------------------------
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", _I)
_ROLE_MAILBOX = re.compile(
    r"^(press|presse|info|support|service|hello|hallo|contact|kontakt|jobs|careers|karriere|"
    r"bewerbung|noreply|no-reply|office|team|sales|vertrieb|datenschutz|privacy|abuse|security)@",
    _I,
)
_PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+\d{1,3}[\s./-]?(?:\(0\)\s?)?\d|\(\d{2,5}\)|0\d)[\d\s./-]{5,16}\d(?![\w/])"
    r"|(?<![\w/.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w/])"
)
_DATE_LIKE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}\s*[-–]\s*\d{4}$")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)")
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Lane|Ln|Dr|Drive|"
    r"Way|Court|Ct|Place|Pl)\b\.?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer)\s+\d{1,4}"
    r"[a-z]?\b"
)
_ADDRESS_CONTEXT = re.compile(
    r"\b(home|lives?|living|resid\w*|address|his|her|their|wohn\w*|adresse|anschrift|privat\w*|"
    r"zuhause|zu hause|seine|ihre)\b", _I,
)  # fmt: skip
_BIRTH = re.compile(r"\b(?:born on|date of birth|birthday is|geboren am|geb\.)\s*[:\s]?\s*"
                    r"\d{1,2}[./ ]\s?(?:\d{1,2}|[A-Za-zä]+)[./ ]\s?\d{2,4}", _I)  # fmt: skip


def _phone_ok(match: re.Match[str]) -> bool:
    raw = match.group(0).strip()
    digits = re.sub(r"\D", "", raw)
    before = match.string[max(0, match.start() - 2) : match.start()]
    return (
        8 <= len(digits) <= 15
        and not _DATE_LIKE.match(raw)
        and not re.search(r"[$€£]", before)
        and not _service_number(raw)
    )


# Freephone, shared-cost, premium and company-wide numbers reach an organisation's service
# desk, never a person: like press@ and info@, they are published to be called.
_SERVICE_NUMBERS = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.UAN,
}


def _service_number(raw: str) -> bool:
    """Whether the number is a service line in the countries guidebot's languages are spoken
    in (national formats are read as German, Austrian, Swiss, British and US numbers)."""
    for region in ("DE", "AT", "CH", "GB", "US"):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.number_type(number) in _SERVICE_NUMBERS
    return False


def _card_ok(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn.is_valid(digits)


def _iban_ok(match: re.Match[str]) -> bool:
    return bool(iban.is_valid(match.group(0)))


def _public_ip(match: re.Match[str]) -> bool:
    try:
        address = ipaddress.ip_address(match.group(0))
    except ValueError:
        return False
    before = match.string[max(0, match.start() - 1) : match.start()]
    return before.lower() != "v" and not address.is_private and not address.is_loopback


def _private_ip(match: re.Match[str]) -> bool:
    try:
        address = ipaddress.ip_address(match.group(0))
    except ValueError:
        return False
    return address.is_private and not address.is_loopback


def _address_ok(match: re.Match[str]) -> bool:
    text = match.string
    window = text[max(0, match.start() - 80) : match.end() + 40]
    return bool(_ADDRESS_CONTEXT.search(window))


def personal_data(text: str) -> list[Hit]:
    found = [
        *_hits(IBAN, text, "personal_data", "IBAN", _iban_ok, "checksum"),
        *_hits(_CARD, text, "personal_data", "credit card number", _card_ok, "checksum"),
        *_hits(EMAIL, text, "personal_data", "e-mail address",
               lambda m: not _ROLE_MAILBOX.match(m.group(0))),
        *_hits(_PHONE, text, "personal_data", "phone number", _phone_ok),
        *_hits(_IPV4, text, "personal_data", "IP address", _public_ip),
        *_hits(_IPV4, text, "confidential_info", "internal network address", _private_ip),
        *_hits(_ADDRESS, text, "personal_data", "postal address", _address_ok),
        *_hits(_BIRTH, text, "personal_data", "date of birth"),
    ]  # fmt: skip
    return drop_overlaps(found)


# --- secrets ---------------------------------------------------------------------------------
_TOKENS: list[tuple[str, str]] = [
    (r"\bxox[abposr]-[0-9A-Za-z-]{10,}", "Slack token"),
    (r"\bxapp-\d-[0-9A-Za-z-]{10,}", "Slack app token"),
    (r"\bgh[pousr]_[0-9A-Za-z]{20,}", "GitHub token"),
    (r"\bgithub_pat_[0-9A-Za-z_]{20,}", "GitHub token"),
    (r"\bglpat-[0-9A-Za-z_-]{16,}", "GitLab token"),
    (r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", "AWS access key"),
    (r"\bAIza[0-9A-Za-z_-]{35}\b", "Google API key"),
    (r"\bsk-(?:proj-|ant-)?[0-9A-Za-z_-]{20,}", "API key"),
    (r"\b[rs]k_live_[0-9A-Za-z]{16,}", "Stripe key"),
    (r"\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}", "JSON web token"),
    (r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----(?:.*?-----END [A-Z ]*-----|.*)",
     "private key"),
    (r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s@/]+@[\w.-]+", "password in a URL"),
]  # fmt: skip
_TOKEN_PATTERNS = [(re.compile(p, re.DOTALL), what) for p, what in _TOKENS]
_CREDENTIAL_WORDS = (
    r"password|passwort|passwd|pwd|kennwort|passcode|zugangscode|pin|login|credentials|"
    r"zugangsdaten|anmeldedaten|"
    r"api[ _-]?key|api[ _-]?token|access[ _-]?token|secret|token|client[ _-]?secret|key"
)
# A credential word also ends a name like "BOT_TOKEN" or "db_password" (an .env line).
_CREDENTIAL_START = r"(?<![^\W_])(?:[A-Za-z0-9]+_)*"
_CREDENTIAL = re.compile(rf"{_CREDENTIAL_START}(?:{_CREDENTIAL_WORDS})\w*\b", _I)
# "user / secret" anywhere in a sentence that speaks of a login: the pair is the credential
_LOGIN_PAIR = re.compile(r"(?<![\w.@-])[\w.@-]{3,}\s*/\s*([^\s\"'`/]{6,})")
_PASSWORD = re.compile(
    rf"{_CREDENTIAL_START}(?:{_CREDENTIAL_WORDS})\w*\b"
    r"(?:\s+(?:[\w-]+\s+){0,4}?(?:is|ist|lautet|sind|are|=|:)|(?:\s+[\w-]+){0,4}?\s*[:=])?\s*"
    r"(?:[\w.@-]+\s*[/:|]\s*)?[\"'`]?([^\s\"'`]{6,})",
    _I,
)
# A numeric code after the word that names it ("Der Torcode ab Montag ist 4711#", "PIN: 0815"):
# a password test wants letters, but a door, gate or card code is digits only. Codes that are
# public by nature (a zip or area code, an error code) and a bare year are not.
_PUBLIC_CODE = r"(?<!zip )(?<!postal )(?<!post )(?<!area )(?<!country )(?<!error )(?<!status )"
_NUMERIC_CODE = re.compile(
    rf"{_CREDENTIAL_START}{_PUBLIC_CODE}(?:pin|passcode|password|passwort|kennwort|\w*code)\b"
    r"(?:\s+(?:[\w-]+\s+){0,5}?(?:is|ist|lautet|are|sind)|\s*[:=])(?:\s+[^\W\d_]+){0,2}\s*"
    r"[\"'`]?(?<![^\s\"'`:=])((?!(?:19|20)\d\d(?![\d#*]))[#*]?\d{4,8}[#*]?)(?!\w|[.,]\d)",
    _I,
)
_PREFIXED_KEY = re.compile(r"\b[a-z]{2,8}_(?:live|prod|test|secret|key|pat)_[0-9A-Za-z]{12,}\b")


def _looks_secret(value: str) -> bool:
    """A password-like value: letters plus digits or symbols, not a word, a URL or a number."""
    value = value.rstrip(".,;:!?)")  # "policy:" is a label, not a value
    if value.startswith("-"):  # the rest of a compound ("Passwort-Leitfaden"), not a value
        return False
    letters = bool(re.search(r"[A-Za-zÄÖÜäöüß]", value))
    other = bool(re.search(r"[\d\W_]", value))
    return len(value) >= 6 and letters and other and not re.match(r"(https?|www)\W", value, _I)


# A word that only a password looks like: a capitalised word glued to a number and a symbol
# ("Bluebell2024!"), whatever words stand around it ("pw", "the code is", none at all).
_PASSWORD_SHAPE = re.compile(
    r"(?<![\w@#/.:-])(?=\S*[a-zäöüß])(?=\S*[A-ZÄÖÜ])[A-Za-zÄÖÜäöüß]*[A-Za-zÄÖÜäöüß]{4}\d{2,}\S*"
)
_PASSWORD_SYMBOL = re.compile(r"[!?$%&*#+=]")


def _password_shaped(match: re.Match[str]) -> bool:
    word = match.group(0).rstrip(".,;:)?")  # a question mark ends a sentence ("Shop24?")
    return "://" not in word and "@" not in word and bool(_PASSWORD_SYMBOL.search(word[1:]))


def _login_pairs(text: str) -> Iterator[Hit]:
    for start, end in draft_sentence_spans(text):
        sentence = text[start:end]
        if not _CREDENTIAL.search(sentence):
            continue
        for match in _LOGIN_PAIR.finditer(sentence):
            if _looks_secret(match.group(1)):
                yield Hit("secrets", start + match.start(1), start + match.end(1), "pattern",
                          "password or key", REMOVED)  # fmt: skip


def secrets(text: str) -> list[Hit]:
    found = [h for p, what in _TOKEN_PATTERNS for h in _hits(p, text, "secrets", what)]
    found += _hits(_PREFIXED_KEY, text, "secrets", "API key")
    found += _hits(_PASSWORD, text, "secrets", "password or key",
                   lambda m: _looks_secret(m.group(1)), group=1)  # fmt: skip
    found += _hits(_NUMERIC_CODE, text, "secrets", "access code", group=1)
    found += _login_pairs(text)
    found += _hits(_PASSWORD_SHAPE, text, "secrets", "password", _password_shaped)
    for hit in found:  # a value ends before the sentence's punctuation
        hit.end -= len(text[hit.start : hit.end]) - len(text[hit.start : hit.end].rstrip(".,;:)"))
    return drop_overlaps(found)


# --- prompt injection ------------------------------------------------------------------------
def prompt_injection(text: str, phrases: PhraseBook) -> list[Hit]:
    return drop_overlaps(list(_hits(phrases["injection"], text, "prompt_injection",
                                    "instruction to the reviewer")))  # fmt: skip


# --- language ------------------------------------------------------------------------------
def language(text: str, phrases: PhraseBook) -> list[Hit]:
    found = list(_hits(phrases["insult"], text, "harassment_or_hate", "insult", detector="list"))
    found += _hits(phrases["profanity"], text, "profanity", "swear word", detector="list")
    for hit in found:
        hit.suggestion = None
    return drop_overlaps(found)


def drop_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the first of overlapping hits in the order given (checksums come first)."""
    kept: list[Hit] = []
    for hit in hits:
        if not any(h.start < hit.end and hit.start < h.end for h in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)
