"""Which organisations a folder's guidelines are about, guessed from the documents themselves.

A document names its organisation again and again in capitalised or mixed-case words that
never appear in lower case ("GitLab", "TUM", "Nordlicht"). Ask prefers the document of an
organisation the question names; review knows which names tie a private post to the employer
(when review-rules.yaml names none).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from bot.models import Chunk

_I = re.IGNORECASE
log = logging.getLogger(__name__)


_PLATFORMS = frozenset(
    "facebook twitter linkedin instagram tiktok youtube xing mastodon bluesky reddit github "
    "slack whatsapp snapchat threads google kununu glassdoor pinterest twitch discord telegram "
    "signal microsoft apple amazon social media policy".split()
)
CAPITALISED = re.compile(r"(?<![\w#@./-])([A-Z][A-Za-z0-9]*[A-Z0-9]?[A-Za-z0-9]*)(?![\w-])")


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(n) for n in cleaned)
    return re.compile(rf"(?<![\w])(?:{alternatives})(?!\w)", _I)


def guess_org_names(chunks: list[Chunk]) -> tuple[str, ...]:
    """Names each guideline document keeps repeating mid-sentence and never writes in lower
    case ("GitLab", "Nordlicht"), at least a quarter as often as its most repeated one."""
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    names: list[str] = []
    for own in by_source.values():
        counts: Counter[str] = Counter()
        lower: set[str] = set()
        for chunk in own:
            plain = re.sub(r"\S*[./@]\w\S*", " ", chunk.text)  # URLs write names in lower case
            lower.update(w.lower() for w in re.findall(r"\b[a-zäöüß][\wäöüß]*", plain))
            for match in CAPITALISED.finditer(plain):
                word = match.group(1)
                before = plain[max(0, match.start() - 3) : match.start()]
                starts = not before.strip() or bool(re.search(r"[.:!?*•#>\n-]\s*$", before))
                mixed = any(c.isupper() for c in word[1:])
                if (len(word) >= 4 or word.isupper()) and (
                    mixed or (not starts and chunk.language == "en")
                ):
                    counts[word] += 1
        ranked = [(w, n) for w, n in counts.most_common(8)
                  if w.lower() not in lower and w.lower() not in _PLATFORMS]  # fmt: skip
        top = ranked[0][1] if ranked else 0
        names += [w for w, n in ranked if n >= max(4, top // 4) and w not in names]
    return tuple(names)


def document_names(
    chunks: list[Chunk], stored: Mapping[str, tuple[str, ...] | None] | None = None
) -> dict[str, tuple[str, ...]]:
    """Per document (source), the organisation names it is about (documents naming none are
    left out). Names `stored` at index time are taken as they are; only documents without
    them (records of an earlier version) are read through here, which costs seconds at 10k."""
    stored = stored or {}
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    guessed: dict[str, tuple[str, ...]] = {}
    for source, own in by_source.items():
        known = stored.get(source)
        guessed[source] = known if known is not None else guess_org_names(own)
    missing = [source for source in by_source if stored.get(source) is None]
    if stored and missing:
        log.warning(
            "%d document records predate stored organisation names; they are guessed at every "
            "start. `guidebot index --rebuild` stores them.",
            len(missing),
        )
    return {source: names for source, names in guessed.items() if names}
