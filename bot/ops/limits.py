"""Size and content checks on what users send, the same for every edge (CLI, Slack, tests).

Cheap checks that run before any model: an empty, binary or oversized question or draft gets
a message that says what to do, and a long thread is trimmed instead of refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from bot.config import Settings
from bot.errors import InputError

T = TypeVar("T")


def _require_text(text: str, what: str) -> None:
    if not text or not text.strip():
        raise InputError(f"The {what} is empty: please write something to check.")
    if "\x00" in text:
        raise InputError(f"The {what} contains binary data (NUL characters): paste plain text.")
    try:  # a lone UTF-16 surrogate (JSON "\ud800") cannot be stored, hashed or printed
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"The {what} contains an invalid character at position {error.start + 1} "
            "(half of a UTF-16 pair): paste plain text."
        ) from None


def check_question(text: str, settings: Settings) -> str:
    """The question without surrounding whitespace; InputError when empty or too long."""
    _require_text(text, "question")
    question = text.strip()
    if len(question) > settings.max_question_chars:
        raise InputError(
            f"Your question is {len(question):,} characters long; the limit is "
            f"{settings.max_question_chars:,}. Please shorten it to the essential point."
        )
    return question


def check_draft(text: str, settings: Settings) -> str:
    """The draft unchanged (finding offsets refer to it); InputError when empty or too long."""
    _require_text(text, "draft")
    if len(text) > settings.max_draft_chars:
        raise InputError(
            f"Your draft is {len(text):,} characters long; the limit is "
            f"{settings.max_draft_chars:,}. Please review it in parts."
        )
    return text


def check_turns(history: Sequence[T], settings: Settings) -> tuple[list[T], str | None]:
    """Keep the last `max_turns` earlier turns of a conversation, with a note when trimmed.

    A long Slack thread is not the user's fault, so it is trimmed rather than refused; the
    oldest turns matter least for a follow-up question.
    """
    turns = list(history)
    if len(turns) <= settings.max_turns:
        return turns, None
    kept = turns[len(turns) - settings.max_turns :] if settings.max_turns else []
    if not kept:
        return [], "Earlier messages in this conversation were not taken into account."
    return kept, (
        f"Only the last {len(kept)} of {len(turns)} earlier messages in this conversation "
        "were taken into account."
    )
