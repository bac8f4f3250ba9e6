"""Fit the quote ranker (bot/ask/data/quote_ranker.json) on the development question sets.

Usage: .venv/bin/python bench/fit_quote_ranker.py [--write]
For every covered question the candidates are the sentences of its five best passages; the
ones that hold the labelled key phrase are the answers. A conditional-logit model (softmax
over one question's candidates, L2-regularised) learns how much each general signal of
bot/ask/quotes.py tells them apart. Printed per set: how often the first quote, and the
answer as shown (one or two quotes), hold the key phrase, with the weights in the file now,
with the weights fitted on all sets, and with weights fitted on every *other* set (leave one
set out: what a new company's guidelines would see). Sets that share a knowledge folder are
held out together.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conditional_logit import fit_ranker  # noqa: E402
from labelled_sets import indexed_engine, question_sets  # noqa: E402

from bot.ask.answering import TOP_K  # noqa: E402
from bot.ask.evaluate import load_questions, quotes_key_phrase  # noqa: E402
from bot.ask.quotes import (  # noqa: E402
    FEATURES,
    MODEL_FILE,
    Quote,
    QuoteRanker,
    candidates,
    load_ranker,
    ranked,
    shown_quotes,
)
from bot.models import Turn  # noqa: E402

L2 = 1.0
# A second quote when the model finds it at least e^-1.5 (a fifth) as likely as the first: about
# as many answers show two quotes (0.79 on sets 7-14) as with the hand weights it replaced (0.78).
SECOND_GAP = 1.5


@dataclass
class Question:
    quotes: list[Quote]
    x: np.ndarray
    y: np.ndarray  # 1 where the candidate holds the key phrase
    key: str


def collect(knowledge: Path, questions: Path, store: str) -> list[Question]:
    engine = indexed_engine(knowledge, store)
    retriever = engine.retriever
    found = []
    for item in load_questions(questions):
        if not item["covered"]:
            continue
        history = [Turn(t["question"]) for t in item.get("history", [])]
        query = retriever.query_vector(item["question"], history)
        hits = retriever.hits(item["question"], history, k=TOP_K, query=query)
        quotes, x = candidates(retriever, item["question"], query, hits)
        y = np.array([
            float(q.hit.chunk.source == item["source"]
                  and quotes_key_phrase(q.text, item["key_phrase"]))
            for q in quotes
        ])  # fmt: skip
        found.append(Question(quotes, x, y, item["key_phrase"]))
    return found


def fit(questions: list[Question]) -> np.ndarray:
    return fit_ranker([(q.x, q.y) for q in questions], L2)


def rates(questions: list[Question], w: np.ndarray, gap: float) -> str:
    first = answer = two = 0
    for q in questions:
        if not q.quotes:
            continue
        scores = q.x @ w
        first += int(q.y[int(np.argmax(scores))])
        quotes = shown_quotes(ranked(q.quotes, scores), gap)
        two += len(quotes) == 2
        answer += quotes_key_phrase(" ".join(x.text for x in quotes), q.key)
    n = max(len(questions), 1)
    return f"first quote {first / n:.2f}, answer {answer / n:.2f} (two quotes {two / n:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write bot/ask/data/quote_ranker.json")
    args = parser.parse_args()
    current = load_ranker()
    now = np.array([current.weights[n] for n in FEATURES])
    sets: dict[str, list[Question]] = {}
    groups: dict[str, str] = {}  # set -> its knowledge folder
    stores: dict[str, str] = {}  # knowledge folder -> its index (indexed once)
    with tempfile.TemporaryDirectory() as tmp:
        for name, knowledge, questions in question_sets(blind=True):
            store = stores.setdefault(str(knowledge), f"{tmp}/{len(stores)}")
            sets[name] = collect(knowledge, questions, store)
            groups[name] = str(knowledge)
    everything = [q for qs in sets.values() for q in qs]
    fitted = fit(everything)
    print("fitted weights:", {n: round(float(v), 3) for n, v in zip(FEATURES, fitted, strict=True)})
    for name, qs in sets.items():
        other = [q for o, oq in sets.items() if groups[o] != groups[name] for q in oq]
        held = fit(other)
        print(f"{name} ({len(qs)} covered)")
        print(f"  weights in the file: {rates(qs, now, current.second_gap)}")
        print(f"  fitted on all:       {rates(qs, fitted, SECOND_GAP)}")
        print(f"  held out:            {rates(qs, held, SECOND_GAP)}")
    print("all sets")
    print(f"  weights in the file: {rates(everything, now, current.second_gap)}")
    print(f"  fitted on all:       {rates(everything, fitted, SECOND_GAP)}")
    if args.write:
        ranker = QuoteRanker({n: round(float(v), 4) for n, v in zip(FEATURES, fitted, strict=True)},
                             round(SECOND_GAP, 4))  # fmt: skip
        model = {"chosen": "bench/fit_quote_ranker.py on the sets below (conditional logit)",
                 "weights": ranker.weights, "second_gap": ranker.second_gap,
                 "fitted_on": list(sets)}  # fmt: skip
        MODEL_FILE.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print("wrote", MODEL_FILE)


if __name__ == "__main__":
    main()
