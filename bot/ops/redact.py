"""Remove personal data and secrets from text before it is stored or logged.

Two jobs with different audiences: `redact_personal` keeps knowledge-gap questions useful for
admins while dropping who asked about whom (e-mail, phone, IBAN, long numbers, Slack
mentions); `redact_secrets` keeps tokens and keys out of log files, which travel further
(log shippers, support tickets) than the database does. Both are pattern based and
deliberately greedy: a redacted date-like number costs less than a leaked phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.review.detectors import EMAIL, IBAN  # one set of personal-data patterns

_SLACK_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_MAILTO = re.compile(r"<mailto:[^>]*>")  # how Slack delivers a typed e-mail address
_SLACK_TEL = re.compile(r"<tel:[^>]*>")
# Country code, check digits, then 11-30 alphanumerics, in groups of four or unbroken.
# Digit groups joined by the separators people type in phone and account numbers.
_DIGITS = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d ()/.\-]*\d(?![\w])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

_MIN_NUMBER_DIGITS = 6  # shorter numbers are amounts, years, counts: keep them
_MIN_PHONE_DIGITS = 7


def _digits(match: re.Match[str]) -> str:
    text = match.group(0)
    stripped = text.strip(" ./-")
    digits = sum(ch.isdigit() for ch in stripped)
    if digits < _MIN_NUMBER_DIGITS or _DATE.fullmatch(stripped):
        return text
    label = "[number]"
    if (
        stripped[0] in "+("
        or (stripped[0] == "0" and digits >= _MIN_PHONE_DIGITS)
        or (not stripped.isdigit() and digits >= _MIN_PHONE_DIGITS and digits <= 15)
    ):
        label = "[phone]"
    return text.replace(stripped, label, 1)


def redact_personal(text: str) -> str:
    """The text with e-mail addresses, Slack mentions, IBANs, phone and long numbers replaced."""
    text = _SLACK_MENTION.sub("[user]", text)
    text = _SLACK_MAILTO.sub("[email]", text)
    text = _SLACK_TEL.sub("[phone]", text)
    text = EMAIL.sub("[email]", text)
    text = IBAN.sub("[iban]", text)
    return _DIGITS.sub(_digits, text)


_SECRET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bxox[abprse]-[A-Za-z0-9-]+"), "[slack-token]"),
    (re.compile(r"\bxapp-[A-Za-z0-9-]+"), "[slack-token]"),
    (re.compile(r"https://hooks\.slack\.com/[^\s'\"]+"), "[slack-webhook]"),
    (re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [secret]"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"), "[api-key]"),
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), "[aws-key]"),
    (
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        "[github-token]",
    ),
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@"), r"\1[secret]@"),
    (
        re.compile(
            r"(?i)\b((?:api[_-]?key|access[_-]?token|secret|password|passwd|signing[_-]secret)"
            r"['\"]?\s*[=:]\s*['\"]?)[^\s'\",}]+"
        ),
        r"\1[secret]",
    ),
]

_MIN_KNOWN_SECRET = 6  # shorter "secrets" would blank out ordinary words


def redact_secrets(text: str, known: Iterable[str] = ()) -> str:
    """The text with tokens, keys, URL passwords and the given secret values replaced."""
    for value in sorted({k for k in known if k and len(k) >= _MIN_KNOWN_SECRET}, key=len)[::-1]:
        text = text.replace(value, "[secret]")
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_LABELS = {"e-mail address": "[email]", "phone number": "[phone]", "IBAN": "[iban]"}


def redact_for_storage(text: str) -> str:
    """A text that will be kept and shown to admins (knowledge gaps, feedback notes) without
    the personal data and secrets in it.

    The review's own detectors go first (checksummed IBANs and cards, phone numbers, addresses,
    API keys, tokens, passwords: the same findings a draft would get), then the greedy patterns
    above catch what they leave. One rule set, so what the review flags is never stored.
    """
    from bot.review.detectors import drop_overlaps, personal_data, secrets

    parts: list[str] = []
    last = 0
    for hit in drop_overlaps(secrets(text) + personal_data(text)):
        label = "[secret]" if hit.category == "secrets" else _LABELS.get(hit.what, "[personal]")
        parts += [text[last : hit.start], label]
        last = hit.end
    parts.append(text[last:])
    return redact_secrets(redact_personal("".join(parts)))


_NORMALISE_DROP = re.compile(r"[^\w\[\]\s]+")
_SPACES = re.compile(r"\s+")


def normalise_question(text: str) -> str:
    """Lower-cased, punctuation-free, single-spaced: "Can I post?" and "can i post" match."""
    return _SPACES.sub(" ", _NORMALISE_DROP.sub(" ", text.casefold())).strip()
