"""`guidebot eval questions`: retrieval and abstention quality on a labelled question set.

A question is a hit at k when one of the first k sources is the labelled file and contains the
labelled key phrase (whitespace and case folded). The answer itself "quotes the key passage"
when it holds most (60 %) of the key phrase's words: what the asker reads, not only what is
cited. The plain LangChain recipe
beside it is measured by bench/baseline.py.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from bot.engine import Engine
from bot.measure import percentile
from bot.models import Turn

_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def quotes_key_phrase(answer: str, key_phrase: str) -> bool:
    """Whether an answer holds most of the labelled key phrase's words."""
    wanted = set(_WORD.findall(key_phrase.casefold()))
    return len(wanted & set(_WORD.findall(answer.casefold()))) >= 0.6 * len(wanted)


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _rank(item: dict[str, Any], sources: list[tuple[str, str]]) -> int | None:
    """1-based rank of the first source that holds the key phrase, or None."""
    phrase = _fold(item["key_phrase"])
    for rank, (source, text) in enumerate(sources, 1):
        if source == item["source"] and phrase in _fold(text):
            return rank
    return None


def _summarise(
    items: list[dict[str, Any]],
    ranks: list[int | None],
    answered: list[bool],
    quoted: list[bool] | None = None,
) -> dict[str, Any]:
    covered = [i for i, item in enumerate(items) if item["covered"]]
    uncovered = [i for i, item in enumerate(items) if not item["covered"]]
    cross = [i for i in covered if items[i].get("cross_lingual")]

    found = [rank or 0 for rank in ranks]  # 0 = not among the sources

    def recall(indices: list[int], k: int) -> float:
        return sum(1 for i in indices if 0 < found[i] <= k) / max(len(indices), 1)

    summary = {
        "questions": len(items),
        "covered": len(covered),
        "uncovered": len(uncovered),
        "cross_lingual": len(cross),
        "recall@1": recall(covered, 1),
        "recall@3": recall(covered, 3),
        "recall@5": recall(covered, 5),
        "mrr": sum(1 / found[i] for i in covered if found[i]) / max(len(covered), 1),
        "cross_lingual_recall@5": recall(cross, 5),
        "abstention_uncovered": sum(not answered[i] for i in uncovered) / max(len(uncovered), 1),
        "false_abstention_covered": sum(not answered[i] for i in covered) / max(len(covered), 1),
    }
    if quoted is not None:
        summary["answer_quotes_key"] = sum(quoted[i] for i in covered) / max(len(covered), 1)
    return summary


def evaluate_questions(engine: Engine, path: Path) -> dict[str, Any]:
    items = load_questions(path)
    engine.ask("warm-up")  # load models and the index before timing
    ranks: list[int | None] = []
    answered: list[bool] = []
    quoted: list[bool] = []
    latencies: list[float] = []
    misses: list[str] = []
    for item in items:
        history = [Turn(t["question"], t.get("answer", "")) for t in item.get("history", [])]
        started = time.perf_counter()
        answer = engine.ask(item["question"], history)
        latencies.append((time.perf_counter() - started) * 1000)
        answered.append(answer.answered)
        quoted.append(
            answer.answered
            and item["covered"]
            and quotes_key_phrase(answer.answer, item["key_phrase"])
        )
        rank = (
            _rank(item, [(s.source, s.text) for s in answer.sources]) if item["covered"] else None
        )
        ranks.append(rank)
        if item["covered"] and not rank:
            misses.append(item.get("id", item["question"]))
    result: dict[str, Any] = {"guidebot": _summarise(items, ranks, answered, quoted)}
    result["guidebot"]["latency_ms_p50"] = statistics.median(latencies)
    result["guidebot"]["latency_ms_p95"] = percentile(latencies, 0.95)
    result["guidebot"]["chunks"] = len(engine.retriever.snapshot.chunks)
    result["misses"] = misses
    return result


METRICS = [
    ("recall@1", "recall@1"),
    ("recall@3", "recall@3"),
    ("recall@5", "recall@5"),
    ("MRR", "mrr"),
    ("cross-lingual recall@5", "cross_lingual_recall@5"),
    ("abstention on uncovered", "abstention_uncovered"),
    ("false abstention on covered", "false_abstention_covered"),
    ("answer quotes the key passage", "answer_quotes_key"),
    ("latency p50 (ms)", "latency_ms_p50"),
    ("latency p95 (ms)", "latency_ms_p95"),
]


def format_question_eval(result: dict[str, Any]) -> str:
    ours = result["guidebot"]
    base = result.get("baseline")
    header = "| metric | guidebot |" + (" LangChain baseline |" if base else "")
    lines = [
        f"{ours['questions']} questions ({ours['covered']} covered, {ours['uncovered']} uncovered, "
        f"{ours['cross_lingual']} cross-lingual); index of {ours['chunks']} chunks",
        "",
        header,
        "|---|---:|" + ("---:|" if base else ""),
    ]
    for label, key in METRICS:
        row = f"| {label} | {ours[key]:.2f} |"
        if base:
            measured = key in base and not key.startswith(("abstention", "false"))
            row += f" {base[key]:.2f} |" if measured else " n/a |"
        lines.append(row)
    if result.get("misses"):
        lines += ["", "missed (not in top 5): " + ", ".join(result["misses"])]
    return "\n".join(lines)
