"""What each entry of the detectors' phrases (bot/review/data/phrases.yaml) matches in the
labelled drafts: how many violating drafts, how many of those carry a category the entry's
detector reports, and how many harmless drafts. No model is loaded.

Usage: .venv/bin/python bench/phrase_yield.py [--patterns] [--sets blind22 blind23]

An entry that matches no draft, or as many harmless drafts as violating ones, is a candidate
for removal; one whose single pattern matches a single draft is the "one-item pattern" issue
11 warns of. `--patterns` lists every word and pattern with the drafts it matches (0 or 1).
A match is only a phrase's share: what the detector makes of it (a political topic needs an
endorsement and a tie to the employer) decides the finding.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labelled_sets import draft_sets  # noqa: E402

from bot.review.phrases import RUNTIME_REFERENCES, Phrase, PhraseBook, builtin_phrases  # noqa: E402

# The category the detector reading each entry reports (None: the entry only conditions
# another one, e.g. a disclosure or a permission that clears a finding).
REPORTS = {
    "affiliation": None, "promotion": "missing_affiliation_disclosure",
    "sponsorship": "missing_ad_disclosure", "political_topic": "political_endorsement_as_company",
    "endorsement": None, "fundraising": None, "official_role": None,
    "negative": "competitor_disparagement", "other_party": None, "sentence_starters": None,
    "media": None, "copyright": "copyright", "permission": None, "badge": "confidential_info",
    "whiteboard": "confidential_info", "screenshot": "confidential_info",
    "threat": "harassment_or_hate", "stereotype": "harassment_or_hate", "as_institution": None,
    "speaking": "speaking_for_company", "health": "personal_data", "other_person": None,
    "injection": "prompt_injection", "profanity": "profanity", "insult": "harassment_or_hate",
}  # fmt: skip


def _drafts(prefixes: list[str]) -> list[dict]:
    seen: dict[str, dict] = {}
    for name, _, path in draft_sets():
        if name == "sample" or (prefixes and not name.startswith(tuple(prefixes))):
            continue  # the suite's own set stays out of every measurement
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                draft = json.loads(line)
                seen.setdefault(draft["text"], draft)
    return list(seen.values())


def _compile(book: PhraseBook, name: str, source: str) -> re.Pattern[str]:
    for ref in RUNTIME_REFERENCES:
        source = source.replace(f"{{={ref}}}", r"(?!x)x")
    alone = Phrase(name, "", (), (source,), book.phrases[name].case_sensitive)
    return book.with_changes({name: alone})[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", action="store_true", help="list rarely matching patterns")
    parser.add_argument("--sets", nargs="*", default=[], help="only sets whose names start so")
    args = parser.parse_args()
    drafts = _drafts(args.sets)
    harmless = [d for d in drafts if d["expected_verdict"] == "ok"]
    violating = [d for d in drafts if d["expected_verdict"] != "ok"]
    book = builtin_phrases()
    print(f"{len(drafts)} labelled drafts ({len(harmless)} harmless), tests/data left out\n")
    print("| entry | reports | violating | with its category | harmless |")
    print("|---|---|---:|---:|---:|")
    for name, phrase in book.phrases.items():
        pattern = _compile(book, name, phrase.source())
        bad = [d for d in violating if pattern.search(d["text"])]
        category = REPORTS.get(name)
        right = sum(category in d["categories"] for d in bad) if category else "-"
        good = sum(bool(pattern.search(d["text"])) for d in harmless)
        print(f"| {name} | {category or '(condition)'} | {len(bad)} | {right} | {good} |")
    if not args.patterns:
        return
    print("\nWords and patterns that match at most one labelled draft:")
    for name, phrase in book.phrases.items():
        words = [rf"(?<!\w)(?:{w})(?!\w)" for w in phrase.words]
        for source in [*words, *phrase.patterns]:
            pattern = _compile(book, name, source)
            hits = [d["id"] for d in drafts if pattern.search(d["text"])]
            if len(hits) <= 1:
                print(f"  {name}: {source}  ({', '.join(hits) or 'none'})")


if __name__ == "__main__":
    main()
