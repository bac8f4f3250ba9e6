"""Synthetic but realistic guideline corpora of any size, and vectors for them without hours of
embedding.

Text: every sentence and heading of the sample knowledge/ gets a dozen variants (other
platforms, teams, codenames, synonyms, numbers); a synthetic file is a handful of sections, each
a few paragraphs drawn mostly from one sample section's variants, in that section's language. So
chunks read like guidelines, BM25 sees a realistic vocabulary, and each section is one chunk
(about 20 chunks per file, as the issue's 10,000 chunks / 500 files).

Vectors: the multilingual USE embeds every distinct sentence and heading variant once (a few
thousand, ~30 s, cached in .guidebot/bench-cache); a longer text (chunk, window, LangChain split)
gets the normalised mean of its sentences' vectors, a cut sentence the vector of the sentence it
was cut from. Any text that is not made of known sentences (questions, an edited paragraph) is
embedded for real. `DerivedEmbedder` is an ordinary `Embedder`, named like USE so the CLI opens
the index it built.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.embeddings import USE_MULTILINGUAL, Embedder  # noqa: E402
from bot.index.chunking import chunk_document  # noqa: E402
from bot.index.loaders import load_document  # noqa: E402
from bot.index.scan import scan_knowledge  # noqa: E402
from bot.sentences import sentence_spans  # noqa: E402

CACHE = REPO / ".guidebot" / "bench-cache"
VARIANTS = 12
SECTIONS_PER_FILE = 20
_SWAPS = [
    ["LinkedIn", "Instagram", "TikTok", "Mastodon", "YouTube", "Facebook", "Threads", "Bluesky"],
    ["Polarstern", "Nordwind", "Kranich", "Seestern", "Falke", "Leuchtturm", "Orion"],
    ["Nordlicht", "Hafenwerk", "Brückenbau", "Lindholm", "Westend", "Auenland"],
    ["photos", "pictures", "images", "videos", "screenshots"],
    ["Fotos", "Bilder", "Aufnahmen", "Videos", "Screenshots"],
    ["customers", "clients", "partners", "suppliers"],
    ["Kunden", "Kundinnen und Kunden", "Partner", "Lieferanten"],
    ["colleagues", "co-workers", "team members", "staff"],
    ["Kolleginnen und Kollegen", "Mitarbeitende", "Beschäftigte", "Teammitglieder"],
    ["communications team", "press office", "social media team", "brand team"],
    ["Kommunikationsabteilung", "Pressestelle", "Social-Media-Team", "Unternehmenskommunikation"],
    ["post", "share", "publish"],
    ["manager", "team lead", "supervisor"],
    ["Führungskraft", "Vorgesetzte", "Teamleitung"],
]
_TITLES = {
    "en": [
        "Social media policy",
        "Guidelines for employees",
        "Online conduct",
        "Company accounts",
        "Communication handbook",
        "Digital engagement rules",
    ],
    "de": [
        "Social-Media-Leitlinien",
        "Richtlinie für Beschäftigte",
        "Verhalten im Netz",
        "Unternehmenskonten",
        "Kommunikationshandbuch",
        "Regeln für digitale Kanäle",
    ],
}


def _variants(text: str, rng: random.Random) -> list[str]:
    """The text and up to VARIANTS - 1 rewrites of it with other words of the same kind."""
    found = [g for g in _SWAPS if any(re.search(rf"\b{re.escape(w)}\b", text) for w in g)]
    result = {text}
    for _ in range(VARIANTS * 3):
        if len(result) >= VARIANTS:
            break
        variant = text
        for group in found:
            for word in group:
                if re.search(rf"\b{re.escape(word)}\b", variant) and rng.random() < 0.7:
                    variant = re.sub(rf"\b{re.escape(word)}\b", rng.choice(group), variant)
        variant = re.sub(r"\d+", lambda m: str(rng.randint(2, 60)), variant)
        result.add(variant)
    return sorted(result)


def sample_sections(knowledge: Path = REPO / "knowledge") -> list[tuple[str, str, list[str]]]:
    """(language, heading, sentences) of every chunk of the sample knowledge; each sentence ends
    with a full stop and starts with a capital, so joined ones split again where they met."""
    files, _ = scan_knowledge(knowledge)
    sections = []
    for source, path in files:
        for chunk in chunk_document(load_document(path), source, "", 0.0, 2000):
            sentences = []
            for start, end in sentence_spans(chunk.text):
                text = " ".join(chunk.text[start:end].split())
                text = text[0].upper() + text[1:]
                sentences.append(text if text[-1] in ".!?" else text + ".")
            heading = chunk.section.split(" > ")[-1]
            sections.append((chunk.language, heading, sentences))
    return sections


class Corpus:
    """The sentence variants a corpus is drawn from (the same for every size, given the seed)."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        rng = random.Random(seed)
        self.sections = sample_sections()
        self.pools = [[_variants(s, rng) for s in sentences] for _, _, sentences in self.sections]
        self.headings = [_variants(h, rng) for _, h, _ in self.sections]

    def texts(self) -> list[str]:
        """Every sentence, heading and section path that files can contain."""
        found: set[str] = set()
        for (language, _, _), pool, headings in zip(
            self.sections, self.pools, self.headings, strict=True
        ):
            found.update(v for variants in pool for v in variants)
            found.update(headings)
            found.update(f"{t} > {h}" for t in _TITLES[language] for h in headings)
        found.update(t for titles in _TITLES.values() for t in titles)
        return sorted(found)

    def write(self, chunks: int, folder: Path) -> Path:
        """Markdown files totalling about `chunks` chunks in `folder` (kept if already there)."""
        if folder.is_dir() and any(folder.iterdir()):
            return folder
        folder.mkdir(parents=True)
        rng = random.Random(self.seed + chunks)
        for number in range(max(1, round(chunks / SECTIONS_PER_FILE))):
            language = "de" if number % 5 < 2 else "en"
            own = [i for i, s in enumerate(self.sections) if s[0] == language]
            lines = [f"# {rng.choice(_TITLES[language])}", ""]
            for _ in range(SECTIONS_PER_FILE):
                base = rng.choice(own)
                lines += [f"## {rng.choice(self.headings[base])}", ""]
                for _ in range(rng.randint(2, 3)):
                    picks = [rng.choice(rng.choice(self.pools[base])) for _ in range(2)]
                    picks.append(rng.choice(rng.choice(self.pools[rng.choice(own)])))
                    lines += [" ".join(dict.fromkeys(picks)), ""]
            (folder / f"guideline-{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")
        return folder


class DerivedEmbedder:
    """Real USE vectors for known sentences, means of them for longer texts (module docstring)."""

    name = USE_MULTILINGUAL

    def __init__(self, real: Embedder) -> None:
        self.real = real
        self.known: dict[str, np.ndarray] = {}
        self._heads: dict[str, str] = {}
        self._tails: dict[str, str] = {}
        self.real_texts = 0

    def learn(self, texts: list[str], cache: Path) -> None:
        """Embed (or read from `cache`) every sentence a corpus is made of."""
        texts = sorted(set(texts))
        if cache.is_file():
            stored = np.load(cache, allow_pickle=False)
            if list(stored["texts"]) == texts:
                self._remember(texts, stored["vectors"])
                return
        vectors = np.concatenate(
            [self.real.embed(texts[i : i + 64]) for i in range(0, len(texts), 64)]
        )
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, texts=np.array(texts), vectors=vectors)
        self._remember(texts, vectors)

    def _remember(self, texts: list[str], vectors: np.ndarray) -> None:
        for text, vector in zip(texts, vectors, strict=True):
            self.known[text] = vector
            if len(text) >= 30:
                self._heads.setdefault(text[:30], text)
                self._tails.setdefault(text[-30:], text)

    def _piece(self, piece: str) -> np.ndarray | None:
        piece = piece.lstrip("#").strip()
        vector = self.known.get(piece)
        if vector is None and len(piece) >= 30:  # a sentence a character splitter cut
            whole = self._heads.get(piece[:30]) or self._tails.get(piece[-30:])
            vector = self.known.get(whole) if whole else None
        return vector

    def embed(self, texts: list[str]) -> np.ndarray:
        out: list[np.ndarray | None] = []
        unknown: list[int] = []
        for text in texts:
            pieces = [self._piece(text[s:e]) for s, e in sentence_spans(text, min_chars=1)]
            found = [p for p in pieces if p is not None]
            if found and len(found) * 2 >= len(pieces):
                mean = np.mean(found, axis=0)
                out.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
            else:
                unknown.append(len(out))
                out.append(None)
        if unknown:
            self.real_texts += len(unknown)
            vectors = self.real.embed([texts[i] for i in unknown])
            for i, vector in zip(unknown, vectors, strict=True):
                out[i] = vector
        if not out:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([v for v in out if v is not None]).astype(np.float32)
