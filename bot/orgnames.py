"""Which organisations a folder's guidelines are about, guessed from the documents themselves.

A document names its organisation again and again in capitalised or mixed-case words that
never appear in lower case ("GitLab", "TUM", "Nordlicht", "Infinity Works"), or once or twice
in words its own file name repeats ("brosnan-policy.md": "Brosnan"). People also write a
two-word name by its initials ("IW"). Ask prefers the document of an organisation the
question names; review knows which names tie a private post to the employer (when
review-rules.yaml names none).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from bot.models import Chunk

_I = re.IGNORECASE
log = logging.getLogger(__name__)


_PLATFORMS = frozenset(
    "facebook twitter linkedin instagram tiktok youtube xing mastodon bluesky reddit github "
    "slack whatsapp snapchat threads google kununu glassdoor pinterest twitch discord telegram "
    "signal microsoft apple amazon social media policy".split()
)
CAPITALISED = re.compile(  # German names have umlauts too ("Südwest", "Müller")
    r"(?<![\w#@./-])([A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*[A-ZÄÖÜ0-9]?[A-Za-zÄÖÜäöüß0-9]*)(?![\w-])"
)
_URLISH = re.compile(r"\S*[./@]\w\S*")  # URLs and addresses write names in lower case
_SENTENCE_START = re.compile(r"[.:!?*•#>\n-]\s*$")
_INITIALS = re.compile(r"[A-Z]{2,4}")


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Finds any of the names in a text, in any case, also written as one word in a hashtag
    or handle ("#htwberlin"); initials ("IW") only in capitals, since in lower case they are
    often a word or an abbreviation of something else."""
    given = {n.strip() for n in names if n.strip()}
    given |= {n.replace(" ", "") for n in given if " " in n}
    cleaned = sorted(given, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(
        f"(?-i:{re.escape(n)})" if _is_initials(n) else re.escape(n) for n in cleaned
    )
    return re.compile(rf"(?<![\w])(?:{alternatives})(?!\w)", _I)


def _is_initials(name: str) -> bool:
    return len(name) <= 2 and bool(_INITIALS.fullmatch(name))


def _runs(text: str) -> Iterator[tuple[list[str], bool]]:
    """Maximal runs of capitalised words separated by single spaces ("Infinity Works"), each
    with whether it starts a sentence."""
    run: list[str] = []
    starts = False
    end = -2
    for match in CAPITALISED.finditer(text):
        if run and match.start() == end + 1 and text[end] == " ":
            run.append(match.group(1))
        else:
            if run:
                yield run, starts
            before = text[max(0, match.start() - 3) : match.start()]
            run, starts = (
                [match.group(1)],
                not before.strip() or bool(_SENTENCE_START.search(before)),
            )
        end = match.end()
    if run:
        yield run, starts


# Stored with each document version at index time (bot/index/packs.py): a change to how names
# are guessed needs a new LOADER_VERSION (bot/index/loaders.py) so stores are rebuilt.
def guess_org_names(chunks: list[Chunk]) -> tuple[str, ...]:
    """Names each guideline document keeps repeating mid-sentence and never writes in lower
    case, at least a quarter as often as its most repeated one; names its file name spells;
    and the initials of the two- to four-word ones."""
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    names: list[str] = []
    for source, own in by_source.items():
        counts: Counter[str] = Counter()
        lower: set[str] = set()
        runs: list[tuple[list[str], bool, str]] = []
        for chunk in own:
            plain = _URLISH.sub(" ", chunk.text)
            lower.update(w.lower() for w in re.findall(r"\b[a-zäöüß][\wäöüß]*", plain))
            runs += [(run, starts, chunk.language) for run, starts in _runs(plain)]
        # headings name the organisation too ("Social-Media-Leitfaden der Fahrwerk Mobility
        # GmbH"), once per document: they only help the file name find its words
        titles = {t for c in own for t in c.section.split(" > ")}
        title_runs: list[tuple[list[str], bool, str]] = [
            (run, True, own[0].language) for t in titles for run, _ in _runs(t)
        ]
        for run, starts, language in runs:
            phrase = " ".join(run)
            mixed = any(c.isupper() for w in run for c in w[1:])
            long_enough = len(phrase) >= 4 or phrase.isupper()
            if long_enough and (mixed or (not starts and language == "en") or len(run) > 1):
                counts[phrase] += 1
        ranked = [(w, n) for w, n in counts.most_common(8) if _proper(w, lower)]
        top = ranked[0][1] if ranked else 0
        found = [w for w, n in ranked if n >= max(4, top // 4)]
        found += _file_names(source, runs + title_runs, lower)
        alone = Counter(run[0] for run, _, _ in runs if len(run) == 1)
        for name in list(found):  # "HTW Berlin": also "HTW"; "Infinity Works": also "IW"
            parts = name.split()
            if len(parts) > 1:
                found += [p for p in parts if any(c.isupper() for c in p[1:])]
                # the short form the document itself uses ("Fahrwerk" for Fahrwerk Mobility)
                if alone[parts[0]] >= max(2, counts[name]) and _proper(parts[0], lower):
                    found.append(parts[0])
            if 2 <= len(parts) <= 4 and all(
                p[1:].islower() and p.lower() not in lower for p in parts
            ):  # not "BAR" for "B. Am R."
                found.append("".join(p[0] for p in parts))
        names += [n for n in dict.fromkeys(found) if n not in names]
    return tuple(names)


def _transliterated(word: str) -> str:
    """How a file name writes a German word ("suedwest" for "südwest")."""
    return word.translate(_UMLAUTS)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _proper(phrase: str, lower: set[str]) -> bool:
    """A name, not a word the document also writes in lower case or a platform's name. Inside a
    longer name only its first and last words count: "Am" in "Gesamtschule Am Lindenhof" or
    "Of" in "Bank Of Ireland" is a capitalised small word the text also writes in lower case."""
    words = phrase.split()
    ends = words if len(words) < 3 else [words[0], words[-1]]
    return not any(w.lower() in lower or w.lower() in _PLATFORMS for w in ends)


def _file_names(source: str, runs: list[tuple[list[str], bool, str]], lower: set[str]
                ) -> list[str]:  # fmt: skip
    """Capitalised word runs of the document that its file name spells, once joined
    ("infinityworks-policy.md": "Infinity Works"): a file is usually named after its
    organisation, which a document written as "the Company" may name only once or twice.
    A lone word counts only if it could not be a common noun (mixed case, or capitalised
    mid-sentence in English)."""
    tokens = [t for t in re.split(r"[^a-z0-9äöüß]+", PurePosixPath(source).stem.lower()) if t]
    tokens = [_transliterated(t) for t in tokens]
    spelt = {
        "".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)
    }
    found: list[str] = []
    for run, starts, language in runs:
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                words = run[i:j]
                name = " ".join(words)
                joined = _transliterated("".join(words).lower())
                if joined not in spelt or not _proper(name, lower):
                    continue
                named = len(words) > 1 or any(c.isupper() for c in words[0][1:])
                if named or (len(run) == 1 and language == "en" and not starts):
                    found.append(name)
    longest = sorted(set(found), key=len, reverse=True)
    found = [n for n in longest if not any(n != m and n in m for m in longest)]
    first = tokens[0] if tokens else ""
    text = " ".join(" ".join(run) for run, _, _ in runs).lower()
    if not found and first.isalpha() and len(first) >= 3 and first not in lower | set(text.split()):
        # a document that only ever says "the Company"
        found.append(first.upper() if len(first) <= 3 else first.capitalize())
    return found


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
