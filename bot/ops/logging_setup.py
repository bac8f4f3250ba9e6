"""Logging that cannot leak drafts, questions, tokens or secrets.

Entry points call `setup_logging(settings)` once. Two defences:
- callers never put user text into a log line: they log `describe_text(text, settings)`,
  which is a length and a keyed hash unless GUIDEBOT_LOG_TEXT is on;
- a filter on the root handlers rewrites every record (message, arguments, traceback) through
  `redact_secrets`, with the configured token and secret values added to the patterns, so a
  library that logs a request header or an exception that quotes a URL is caught as well.
Slack's SDKs log whole request payloads (including message text) at DEBUG; unless text logging
is on, their loggers are held at INFO even when GUIDEBOT_LOG_LEVEL=DEBUG.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

from bot.config import Settings
from bot.ops.redact import redact_secrets

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "urllib3", "httpx", "httpcore", "openai", "anthropic")
_SECRET_ENV_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|SALT)$")
_PROCESS_KEY = secrets.token_bytes(32)  # used when no audit salt is configured


class RedactingFilter(logging.Filter):
    """Rewrites a record so that neither its message nor its traceback carries a secret."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.known_secrets = tuple(known_secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact_secrets(message, self.known_secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text, self.known_secrets)
        if record.stack_info:
            record.stack_info = redact_secrets(record.stack_info, self.known_secrets)
        return True


def known_secret_values(settings: Settings, environ: Mapping[str, str] | None = None) -> list[str]:
    """Secret values to blank out verbatim: Slack credentials, the salt, keys from the env."""
    values = [
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.audit_salt,
    ]
    for name, value in (environ or {}).items():
        if _SECRET_ENV_NAME.search(name.upper()):
            values.append(value)
    return [v for v in values if v]


def _is_ours(handler: logging.Handler) -> bool:
    return getattr(handler, "_guidebot", False)


def setup_logging(
    settings: Settings,
    environ: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> RedactingFilter:
    """Put a redacting filter on every root handler; add a stderr handler if there is none.

    Idempotent. `environ` (usually os.environ) adds provider API keys and the like to the
    verbatim list. Handlers that already exist (logging.basicConfig's, pytest's, a platform's)
    are kept and filtered rather than duplicated; `stream` forces our own handler onto it.
    """
    root = logging.getLogger()
    for ours in [h for h in root.handlers if _is_ours(h)]:
        root.removeHandler(ours)
    if stream is not None or not root.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler._guidebot = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(settings.log_level)
    redactor = RedactingFilter(known_secret_values(settings, environ))
    for existing in root.handlers:
        for old in [f for f in existing.filters if isinstance(f, RedactingFilter)]:
            existing.removeFilter(old)
        existing.addFilter(redactor)
    if not settings.log_text:
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    return redactor


def text_fingerprint(text: str, settings: Settings) -> str:
    """A short keyed hash: equal texts match in the logs, but the text cannot be guessed back."""
    key = settings.audit_salt.encode() if settings.audit_salt else _PROCESS_KEY
    return hmac.new(key, text.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:12]


def describe_text(text: str, settings: Settings) -> str:
    """What a log line may say about user text: "len=123 sha=ab12…", or the text if allowed."""
    described = f"len={len(text)} sha={text_fingerprint(text, settings)}"
    if settings.log_text:
        return f"{described} text={text!r}"
    return described
