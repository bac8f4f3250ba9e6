"""Lexical matching for German and English: stemming, compound splitting, BM25.

German writes "Kundendaten" where English writes "customer data": splitting compounds into
parts the corpus also uses lets "Daten von Kunden" match it. Both languages are stemmed with
Snowball (PyStemmer) so "posting", "posts" and "posted" meet. The BM25 index itself is a sparse
matrix (bot/ask/bm25.py) built from analyses computed at index time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import Stemmer

from bot.ask.bm25 import SparseBM25

_TOKEN = re.compile(r"[0-9a-zäöüß]+(?:[-'][0-9a-zäöüß]+)*", re.IGNORECASE)
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})

STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself hey hi please pls thanks ok okay aber alle allem allen aller
    alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei bin bis
    bist da damit dann das dass dein deine dem den denn der des dessen dich die dies diese
    diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
    etwas euch euer eure für hab habe haben hat hatte hier hin ich ihm ihn ihnen ihr ihre im in
    ins ist ja jede jedem jeden jeder jedes jetzt kann kannst mal man mich mir mit muss nach
    nicht noch nun nur ob oder ohne schon sehr sein seine sich sie sind so soll solche sollte
    sondern sonst über um und uns unser unsere unter vom von vor war waren was weil welche
    welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wo zu zum zur
    zwar hallo moin danke bitte mal eigentlich
    """.split()
)


MIN_PART = 4  # letters of a stem that may name part of a compound
MIN_REST = 3  # letters the compound has beyond it
MAX_COMPOUNDS = 12


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german" if language == "de" else "english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords."""
    return [w for w in (m.lower() for m in _TOKEN.findall(text)) if w not in STOPWORDS]


def content_words(text: str) -> str:
    """The text without its function words ("can i", "wie kann ich", "lol"): what it is about."""
    return " ".join(words(text)) or text


def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word).translate(_UMLAUTS)


class CompoundSplitter:
    """Splits German compounds into two parts that both occur in the corpus vocabulary."""

    LINKS = ("", "s", "es", "n", "en", "e")

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = {w for w in vocabulary if len(w) >= 3}

    def split(self, word: str) -> list[str]:
        if len(word) < 8:
            return []
        for cut in range(len(word) - 4, 3, -1):  # prefer the longest head
            head, tail = word[:cut], word[cut:]
            if tail not in self.vocabulary and tail.rstrip("sn") not in self.vocabulary:
                continue
            for link in self.LINKS:
                if link and not head.endswith(link):
                    continue
                base = head[: len(head) - len(link)] if link else head
                if len(base) >= 3 and base in self.vocabulary:
                    return [base, tail]
        return []


def analyse(text: str, language: str, splitter: CompoundSplitter | None = None) -> list[str]:
    """Index terms of a text: stems of its words, plus stems of German compound parts."""
    terms = []
    for word in words(text):
        terms.append(stem(word, language))
        if splitter and language == "de":
            terms.extend(stem(part, "de") for part in splitter.split(word))
    return terms


@dataclass
class ChunkTerms:
    """The analysis of some chunks before the corpus-wide compound split: per chunk, counts of
    word stems and of German words long enough to be compounds, plus the words they use.

    Computed once per document at index time and stored with its records, so opening an index
    joins counts instead of re-reading every text; entries are (chunk row, table id, count).
    """

    size: int  # chunks
    languages: list[str]
    stems: list[str]
    stem_entries: np.ndarray  # (k, 3) int32: chunk row, index into stems, count
    words: list[str]  # the chunks' words of >= 3 letters: the compound splitter's vocabulary
    long_entries: np.ndarray  # (k, 3) int32: chunk row, index into words, count (German)

    @classmethod
    def of(cls, texts: Sequence[str], languages: Sequence[str]) -> ChunkTerms:
        stems: dict[str, int] = {}
        vocabulary: dict[str, int] = {}
        stem_entries: list[tuple[int, int, int]] = []
        long_entries: list[tuple[int, int, int]] = []
        for row, (text, language) in enumerate(zip(texts, languages, strict=True)):
            found = words(text)
            for word in found:
                if len(word) >= 3:
                    vocabulary.setdefault(word, len(vocabulary))
            counts = Counter(stem(word, language) for word in found)
            stem_entries += [(row, stems.setdefault(t, len(stems)), n) for t, n in counts.items()]
            if language == "de":
                long = Counter(word for word in found if len(word) >= 8)
                long_entries += [(row, vocabulary[w], n) for w, n in long.items()]
        return cls(
            len(texts),
            list(languages),
            list(stems),
            _entries(stem_entries),
            list(vocabulary),
            _entries(long_entries),
        )

    @classmethod
    def join(cls, parts: Sequence[ChunkTerms]) -> ChunkTerms:
        """The analyses of consecutive groups of chunks (documents) as one."""
        stems: dict[str, int] = {}
        vocabulary: dict[str, int] = {}
        stem_entries, long_entries, languages = [], [], []
        offset = 0
        for part in parts:
            stem_ids = np.array([stems.setdefault(t, len(stems)) for t in part.stems], np.int32)
            word_ids = np.array(
                [vocabulary.setdefault(w, len(vocabulary)) for w in part.words], np.int32
            )
            stem_entries.append(_shifted(part.stem_entries, offset, stem_ids))
            long_entries.append(_shifted(part.long_entries, offset, word_ids))
            languages += part.languages
            offset += part.size
        return cls(
            offset,
            languages,
            list(stems),
            np.concatenate(stem_entries) if parts else _entries([]),
            list(vocabulary),
            np.concatenate(long_entries) if parts else _entries([]),
        )


def _entries(rows: list[tuple[int, int, int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def _shifted(entries: np.ndarray, offset: int, ids: np.ndarray) -> np.ndarray:
    if not len(entries):
        return entries
    return np.stack([entries[:, 0] + offset, ids[entries[:, 1]], entries[:, 2]], axis=1)


class LexicalIndex:
    """BM25 over chunk texts, each analysed in its own language.

    Built from `ChunkTerms` (stored at index time) or, for a few texts, from the texts. The
    corpus-wide steps run here: German compounds split against the vocabulary of all chunks,
    then one sparse matrix (bot/ask/bm25.py). Nothing loops over the chunks.
    """

    def __init__(
        self,
        texts: Sequence[str] = (),
        languages: Sequence[str] = (),
        split_compounds: bool = True,
        *,
        terms: ChunkTerms | None = None,
    ) -> None:
        terms = terms if terms is not None else ChunkTerms.of(texts, languages)
        self.splitter = CompoundSplitter(terms.words) if split_compounds else None
        self.size = terms.size
        self._ids = {t: i for i, t in enumerate(terms.stems)}
        entries = [terms.stem_entries]
        if self.splitter is not None and len(terms.long_entries):
            entries.append(self._compound_entries(terms))
        table = np.concatenate(entries)
        empty = np.setdiff1d(np.arange(self.size), table[:, 0])
        if len(empty):  # rank_bm25 was given ["\x00"] for a chunk without any term
            filler = self._ids.setdefault("\x00", len(self._ids))
            table = np.concatenate([table, _entries([(int(r), filler, 1) for r in empty])])
        self._bm25 = SparseBM25(table[:, 0], table[:, 1], table[:, 2], self.size, len(self._ids))
        self._idf = {t: float(self._bm25.idf[i]) for t, i in self._ids.items()}
        self._ceiling = max(self._idf.values(), default=1.0)
        row_language = np.array(terms.languages)
        self._common = {}
        for language in set(terms.languages):
            mask = row_language == language
            df = self._bm25.document_frequency(mask)
            names = list(self._ids)
            self._common[language] = frozenset(
                names[i] for i in np.flatnonzero(df > mask.sum() / 2)
            )
        self._long_words = [terms.words[i] for i in np.unique(terms.long_entries[:, 1]).tolist()]

    def _compound_entries(self, terms: ChunkTerms) -> np.ndarray:
        """Entries for the stems of compound parts: each long German word once, not each use."""
        assert self.splitter is not None
        used = np.unique(terms.long_entries[:, 1])
        parts: dict[int, list[int]] = {}
        for word in used.tolist():
            split = self.splitter.split(terms.words[word])
            parts[word] = [self._ids.setdefault(stem(p, "de"), len(self._ids)) for p in split]
        rows = []
        for position in range(2):  # a split has two parts
            part = np.full(len(terms.words), -1, dtype=np.int32)
            for word, ids in parts.items():
                if len(ids) > position:
                    part[word] = ids[position]
            chosen = part[terms.long_entries[:, 1]]
            keep = chosen >= 0
            picked = terms.long_entries[keep]
            rows.append(np.stack([picked[:, 0], chosen[keep], picked[:, 2]], axis=1))
        return np.concatenate(rows)

    @cached_property
    def _compounds(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """The German compounds of the corpus, by their letters and by their reversed stems."""
        words = self._long_words
        stems = [s.translate(_UMLAUTS) for s in _stemmer("de").stemWords(words)]
        pairs = sorted({(w.translate(_UMLAUTS), s) for w, s in zip(words, stems, strict=True)})
        by_end = sorted((s[::-1], s) for _, s in pairs)
        return ([w for w, _ in pairs], [s for _, s in pairs],
                [r for r, _ in by_end], [s for _, s in by_end])  # fmt: skip

    def compounds_with(self, term: str) -> frozenset[str]:
        """Stems of the corpus's German compounds that begin or end with a question's stem.

        A question says "Drohne" where the guideline only writes "Drohnenaufnahmen", or
        "Aufnahmen" where it writes "Luftaufnahmen"; the compound splitter cannot see that,
        because it splits against words the corpus uses on their own. At most MAX_COMPOUNDS
        per stem, so a short, common head ("foto") does not stand for half the vocabulary.
        """
        if len(term) < MIN_PART:
            return frozenset()
        words, stems, ends, end_stems = self._compounds
        found: list[str] = []
        for keys, values, key in ((words, stems, term), (ends, end_stems, term[::-1])):
            i = bisect_left(keys, key)
            while i < len(keys) and keys[i].startswith(key) and len(found) < MAX_COMPOUNDS:
                if len(values[i]) >= len(term) + MIN_REST and values[i] != term:
                    found.append(values[i])
                i += 1
        return frozenset(found)

    def query_terms(self, text: str, language: str) -> list[str]:
        return analyse(text, language, self.splitter)

    def idf_weights(self, terms: list[str]) -> list[float]:
        """BM25 idf per term; a term the corpus never uses gets the highest idf seen."""
        if not self.size:
            return [1.0] * len(terms)
        return [max(self._idf.get(t, self._ceiling), 0.05) for t in terms]

    def common(self, language: str) -> frozenset[str]:
        """Terms in more than half of the chunks in `language` ("post" in English guidelines)."""
        return self._common.get(language, frozenset())

    def knows(self, term: str) -> bool:
        """Whether any indexed chunk contains the term."""
        return term in self._idf

    def scores(self, terms: list[str]) -> np.ndarray:
        """Per chunk, the BM25 score of the terms (float64 array, one entry per chunk)."""
        if not self.size or not terms:
            return np.zeros(self.size)
        return self._bm25.scores([self._ids[t] for t in terms if t in self._idf])


def idf_share(
    wanted: dict[str, float],
    present: Collection[str],
    parts: Mapping[str, frozenset[str]] | None = None,
) -> float:
    """How much of a question's idf weight (`wanted`: term -> weight) a text's terms hold; a
    term also counts where the text holds a compound made with it (`parts`: term -> stems)."""
    parts = parts or {}
    none: frozenset[str] = frozenset()
    held = sum(
        w for t, w in wanted.items() if t in present or not parts.get(t, none).isdisjoint(present)
    )
    return held / (sum(wanted.values()) or 1)
