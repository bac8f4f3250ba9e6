"""Tell staff when the guidelines change: the digest, posted to GUIDEBOT_ANNOUNCE_CHANNEL.

`announcer` is the listener the Slack app (and `guidebot index --announce`) registers with
`Guidebot.on_guidelines_changed`. It first claims the digest's generation in the database, so
however many replicas notice the same new index, one message is posted; App Home shows the
claimed digests whether or not a channel is set. The digest is written in every language of
the knowledge folder (German and English for a bilingual one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.index.digest import Digest
from bot.service import Guidebot
from bot.slack.blocks import Block, section_path, slack_date
from bot.slack.mrkdwn import MESSAGE_BLOCKS, context, escape, fit, section, sections
from bot.slack.texts import label

log = logging.getLogger("bot.slack")

MAX_ITEMS = 15
LANGUAGES = ("de", "en")


def _document(digest: Digest, source: str) -> str:
    url = digest.links.get(source)
    return f"<{escape(url)}|{escape(source)}>" if url else f"`{escape(source)}`"


def _list(title: str, items: list[str], language: str) -> str:
    lines = [f"*{title}*", *(f"• {item}" for item in items[:MAX_ITEMS])]
    if len(items) > MAX_ITEMS:
        lines.append(label("digest_more", language, n=len(items) - MAX_ITEMS))
    return "\n".join(lines)


def digest_text(digest: Digest, language: str) -> str:
    """The digest in one language, as escaped mrkdwn."""
    parts = [f"*{label('digest_title', language)}*"]
    for key, documents in (
        ("digest_documents_added", digest.documents_added),
        ("digest_documents_removed", digest.documents_removed),
    ):
        if documents:
            parts.append(
                _list(label(key, language), [_document(digest, d) for d in documents], language)
            )
    for change in ("changed", "added", "removed"):
        items = [
            f"_{escape(section_path(s.section))}_ ({_document(digest, s.source)})"
            for s in digest.sections
            if s.change == change
        ]
        if items:
            parts.append(_list(label(f"digest_{change}", language), items, language))
    return "\n\n".join(parts)


def digest_languages(digest: Digest) -> list[str]:
    return [lang for lang in digest.languages if lang in LANGUAGES] or ["en"]


def digest_blocks(digest: Digest) -> list[Block]:
    blocks: list[Block] = []
    for number, language in enumerate(digest_languages(digest)):
        if number:
            blocks.append({"type": "divider"})
        blocks += sections(digest_text(digest, language))
    return fit(blocks, MESSAGE_BLOCKS)


def digest_fallback(digest: Digest) -> str:
    """Notification text: the title and what changed, in the folder's main language."""
    language = digest_languages(digest)[0]
    names = [section_path(s.section) for s in digest.sections] + digest.documents_added
    names += digest.documents_removed
    summary = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    title = label("digest_title", language).split(" ", 1)[-1]  # without the emoji
    return escape(f"{title}: {summary}")


def home_digest_blocks(latest: list[tuple[datetime, Digest]], language: str) -> list[Block]:
    """App Home: the last digests, newest first, each with its date."""
    if not latest:
        return []
    blocks: list[Block] = [{"type": "divider"}, section(f"*{label('digest_home', language)}*")]
    for at, digest in latest:
        blocks.append(context(slack_date(at.timestamp())))
        text = digest_text(digest, language if language in digest_languages(digest) else "en")
        blocks += sections(text.split("\n\n", 1)[-1])
    return blocks


def announcer(service: Guidebot, client: Any, settings: Settings) -> Callable[[Digest], None]:
    """The listener: claim the digest once across replicas, then post it if a channel is set."""

    def announce(digest: Digest) -> None:
        if not service.digests.claim(digest):
            return  # another replica (or `guidebot index --announce`) was first
        if not settings.announce_channel:
            return
        client.chat_postMessage(
            channel=settings.announce_channel,
            text=digest_fallback(digest),
            blocks=digest_blocks(digest),
            unfurl_links=False,
            unfurl_media=False,
        )
        log.info("announced the guideline changes of generation %s", digest.generation)

    return announce
