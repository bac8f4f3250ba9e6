"""Safe Slack mrkdwn: escaping, quoting and splitting within Block Kit's limits.

Drafts and questions are quoted back to the user, and Slack turns `<!channel>`, `<!here>` and
`<@U123>` into pings; escaping &, < and > is what Slack documents to make them inert. Limits
are counted on the escaped text (what Slack receives), and a cut never lands inside an entity
such as `&amp;`.
"""

from __future__ import annotations

import re
from typing import Any

SECTION_LIMIT = 3000  # characters of text in one section block
MESSAGE_BLOCKS = 50  # blocks in one message
HOME_BLOCKS = 100  # blocks in a Home tab view
FALLBACK_LIMIT = 300  # notification text: short on purpose

_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Make user or document text inert in mrkdwn: no pings, no links, no broken markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The plain text of what Slack sent us (Slack escapes &, < and > in message text)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_MARKUP = re.compile(r"<([^<>\s][^<>]*)>")


def _plain(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, shown = inner.partition("|")
    if target.startswith("@"):  # <@U0ABC|anna> or <@U0ABC>: a person, never an ID in a quote
        return f"@{shown}" if shown else "@user"
    if target.startswith("#"):
        return f"#{shown}" if shown else "#channel"
    if target.startswith("!"):  # <!here>, <!subteam^S1|@comms>, <!date^…|Monday>
        special = target[1:].split("^")[0]
        return shown or (f"@{special}" if special in ("here", "channel", "everyone") else "")
    if target.startswith(("mailto:", "tel:")):
        return shown or target.split(":", 1)[1]
    return shown or target  # a link: its label, else the URL


def plain_text(text: str) -> str:
    """What a person sees of a Slack message: links as their label (or URL), mentions as
    names or neutral tokens, entities unescaped; so a review quotes what the author wrote."""
    return unescape(_MARKUP.sub(_plain, text))


def clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters at a word boundary, with an ellipsis if cut."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def quote(text: str) -> str:
    """Escaped text as a mrkdwn block quote, every line prefixed so it stays quoted."""
    lines = escape(text.strip()).splitlines() or [""]
    return "\n".join(f"&gt; {line}" if line.strip() else "&gt;" for line in lines)


def split(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Escaped mrkdwn in pieces of at most `limit` characters, cut at lines, then at words."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
            tail = _ENTITY_TAIL.search(window)
            if tail:
                cut = tail.start()
        line_start = rest.rfind("\n", 0, cut) + 1
        mid_quote = rest.startswith("&gt;", line_start) and rest[cut : cut + 1] != "\n"
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
        if mid_quote and rest:
            rest = "&gt; " + rest  # a quoted line cut in two stays quoted on both sides
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def section(text: str, **extra: Any) -> dict[str, Any]:
    """One mrkdwn section; the caller guarantees `text` is escaped and within the limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def sections(text: str) -> list[dict[str, Any]]:
    """Escaped mrkdwn of any length as as many sections as it takes."""
    return [section(piece) for piece in split(text) if piece.strip()]


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": split(text)[0]}]}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    """A plain_text object (button labels: 75 chars; titles: 24) with emoji enabled."""
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def fit(blocks: list[dict[str, Any]], limit: int, keep_tail: int = 0) -> list[dict[str, Any]]:
    """At most `limit` blocks: drop from the middle, keep the last `keep_tail` (the buttons)."""
    if len(blocks) <= limit:
        return blocks
    tail = blocks[len(blocks) - keep_tail :] if keep_tail else []
    head = blocks[: limit - len(tail) - 1]
    return [*head, context("…"), *tail]


def fallback(text: str) -> str:
    """The short notification text of a message: escaped, one line, clipped."""
    return escape(clip(" ".join(text.split()), FALLBACK_LIMIT))
