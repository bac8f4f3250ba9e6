"""Lexical matching for German and English: stemming, compound splitting, BM25.

German writes "Kundendaten" where English writes "customer data": splitting compounds into
parts the corpus also uses lets "Daten von Kunden" match it. Both languages are stemmed with
Snowball (PyStemmer) so "posting", "posts" and "posted" meet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from rank_bm25 import BM25Okapi

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


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german" if language == "de" else "english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords."""
    return [w for w in (m.lower() for m in _TOKEN.findall(text)) if w not in STOPWORDS]


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


class LexicalIndex:
    """BM25 over chunk texts, each analysed in its own language."""

    def __init__(
        self, texts: list[str], languages: list[str], split_compounds: bool = True
    ) -> None:
        vocabulary = {w for text in texts for w in words(text)}
        self.splitter = CompoundSplitter(vocabulary) if split_compounds else None
        corpus = [
            analyse(t, lang, self.splitter) or ["\x00"]
            for t, lang in zip(texts, languages, strict=True)
        ]
        self.size = len(corpus)
        self._common = {
            language: _common_terms(
                [c for c, lang in zip(corpus, languages, strict=True) if lang == language]
            )
            for language in set(languages)
        }
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def query_terms(self, text: str, language: str) -> list[str]:
        return analyse(text, language, self.splitter)

    def idf_weights(self, terms: list[str]) -> list[float]:
        """BM25 idf per term; a term the corpus never uses gets the highest idf seen."""
        if self._bm25 is None:
            return [1.0] * len(terms)
        table = self._bm25.idf
        ceiling = max(table.values(), default=1.0)
        return [max(float(table.get(t, ceiling)), 0.05) for t in terms]

    def common(self, language: str) -> frozenset[str]:
        """Terms in more than half of the chunks in `language` ("post" in English guidelines)."""
        return self._common.get(language, frozenset())

    def knows(self, term: str) -> bool:
        """Whether any indexed chunk contains the term."""
        return self._bm25 is not None and term in self._bm25.idf

    def scores(self, terms: list[str]) -> list[float]:
        if self._bm25 is None or not terms:
            return [0.0] * self.size
        return [float(s) for s in self._bm25.get_scores(terms)]


def _common_terms(corpus: list[list[str]]) -> frozenset[str]:
    counts = Counter(term for terms in corpus for term in set(terms))
    return frozenset(term for term, count in counts.items() if count > len(corpus) / 2)
