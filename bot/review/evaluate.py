"""Quality of the draft review on labelled drafts (JSONL), for `guidebot eval drafts`.

Each line: id, text, account, platform, language, expected_verdict, categories, rule_source,
rule_phrase. A wrong "ok" is the costly error, so precision of "ok" is reported on its own;
a citation counts when a finding cites the labelled document with the labelled phrase in it.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.measure import percentile
from bot.models import Review


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text)).strip().lower()


def load_drafts(path: Path) -> list[dict[str, Any]]:
    drafts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                drafts.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise InputError(f"{path} line {number}: not JSON ({error.msg}).") from None
    return drafts


def cites(review: Review, source: str, phrase: str) -> bool:
    """Whether a finding cites a passage of `source` that holds the rule's `phrase`."""
    return any(holds_rule(s.source, s.text, source, phrase) for f in review.findings
               for s in f.sources)  # fmt: skip


def holds_rule(cited: str, text: str, source: str, phrase: str) -> bool:
    """Whether a passage `text` of document `cited` holds `phrase` of the rule in `source`
    (markup and spacing aside)."""
    same = cited.endswith(source) or source.endswith(cited)
    return same and _norm(phrase) in _norm(text)


def evaluate_drafts(engine: Any, path: Path) -> dict[str, Any]:
    """Review every labelled draft once (after one warm-up) and score the results."""
    drafts = load_drafts(Path(path))
    if drafts:
        engine.review(drafts[0]["text"], account=drafts[0].get("account", "personal"))
    rows, latencies = [], []
    for draft in drafts:
        started = time.perf_counter()
        review = engine.review(draft["text"], account=draft.get("account", "personal"),
                               platform=draft.get("platform"))  # fmt: skip
        latencies.append((time.perf_counter() - started) * 1000)
        found = sorted({f.category for f in review.findings})
        expected = sorted(set(draft.get("categories") or []))
        cited = None
        if draft.get("rule_source") and draft.get("rule_phrase"):
            cited = cites(review, draft["rule_source"], draft["rule_phrase"])
        rows.append({
            "id": draft.get("id"),
            "expected": draft["expected_verdict"],
            "verdict": review.verdict,
            "expected_categories": expected,
            "categories": found,
            "cited": cited,
        })  # fmt: skip
    return _score(rows, latencies, str(path))


def _score(rows: list[dict[str, Any]], latencies: list[float], path: str) -> dict[str, Any]:
    n = len(rows)
    predicted_ok = [r for r in rows if r["verdict"] == "ok"]
    correct = sum((r["verdict"] == "ok") == (r["expected"] == "ok") for r in rows)
    expected_total = sum(len(r["expected_categories"]) for r in rows)
    expected_found = sum(len(set(r["expected_categories"]) & set(r["categories"])) for r in rows)
    predicted_total = sum(len(r["categories"]) for r in rows)
    citations = [r["cited"] for r in rows if r["cited"] is not None]
    injections = [r for r in rows if "prompt_injection" in r["expected_categories"]]
    return {
        "file": path,
        "drafts": n,
        "verdict_accuracy": correct / n if n else 0.0,
        "exact_verdict_accuracy": sum(r["verdict"] == r["expected"] for r in rows) / n
        if n
        else 0.0,
        "ok_precision": (
            sum(r["expected"] == "ok" for r in predicted_ok) / len(predicted_ok)
            if predicted_ok
            else 1.0
        ),
        "predicted_ok": len(predicted_ok),
        "category_recall": expected_found / expected_total if expected_total else 1.0,
        "category_precision": expected_found / predicted_total if predicted_total else 1.0,
        "citation_recall": sum(citations) / len(citations) if citations else 1.0,
        "citations_checked": len(citations),
        "injection_drafts": len(injections),
        "injection_ok": sum(r["verdict"] == "ok" for r in injections),
        "latency_ms_p50": percentile(latencies, 0.5),
        "latency_ms_p95": percentile(latencies, 0.95),
        "rows": rows,
    }


def format_draft_eval(result: dict[str, Any], details: bool = True) -> str:
    lines = [
        f"Draft review on {result['file']} ({result['drafts']} drafts)",
        f"  verdict accuracy (ok vs not ok): {result['verdict_accuracy']:.3f}",
        f"  exact verdict accuracy:          {result['exact_verdict_accuracy']:.3f}",
        f"  precision of ok:                 {result['ok_precision']:.3f}"
        f" ({result['predicted_ok']} predicted ok)",
        f"  category recall:                 {result['category_recall']:.3f}",
        f"  category precision:              {result['category_precision']:.3f}",
        f"  citation recall:                 {result['citation_recall']:.3f}"
        f" ({result['citations_checked']} checked)",
        f"  injection drafts passed as ok:   {result['injection_ok']}"
        f" of {result['injection_drafts']}",
        f"  latency p50 / p95:               {result['latency_ms_p50']:.0f} ms"
        f" / {result['latency_ms_p95']:.0f} ms",
    ]
    if details:
        for row in result["rows"]:
            missed = sorted(set(row["expected_categories"]) - set(row["categories"]))
            extra = sorted(set(row["categories"]) - set(row["expected_categories"]))
            wrong = (row["verdict"] == "ok") != (row["expected"] == "ok")
            if wrong or missed or extra or row["cited"] is False:
                lines.append(
                    f"  - {row['id']}: {row['verdict']} (expected {row['expected']})"
                    + (f" missed {missed}" if missed else "")
                    + (f" extra {extra}" if extra else "")
                    + (" no citation" if row["cited"] is False else "")
                )
    return "\n".join(lines)
