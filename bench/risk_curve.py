"""The review's trade-off curve: precision of `ok` against harmless drafts flagged, per set.

For each operating point on p(risky) the whole embedded review runs (precise detectors plus the
learned model), so the curve shows what users would get. The threshold shipped in
bot/review/data/risk_model.npz is chosen from this curve on development sets only; a blind set
is measured once with the shipped threshold (`guidebot eval drafts`).

    .venv/bin/python bench/risk_curve.py SET.jsonl:KNOWLEDGE_DIR [...]
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.config import load_settings  # noqa: E402
from bot.engine import build_engine  # noqa: E402

THRESHOLDS = (0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.01)


def curve(drafts_file: Path, knowledge: Path) -> tuple[float, list[dict[str, float]]]:
    """The shipped threshold, and per threshold the verdict counts on one set."""
    drafts = [json.loads(line) for line in drafts_file.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as store:
        settings = load_settings(os.environ).with_dirs(str(knowledge), store)
        engine = build_engine(settings)
        engine.reindex()
        reviewer = engine.toolkit.reviewer
        shipped = reviewer.risk
        rows = []
        for threshold in sorted({*THRESHOLDS, round(shipped.threshold, 4)}):
            reviewer.risk = dataclasses.replace(shipped, threshold=threshold)
            said_ok = right_ok = harmless = flagged = right = 0
            for draft in drafts:
                review = reviewer.embedded(draft["text"], draft.get("account", "personal"), None)
                ok, expected_ok = review.verdict == "ok", draft["expected_verdict"] == "ok"
                said_ok += ok
                right_ok += ok and expected_ok
                harmless += expected_ok
                flagged += expected_ok and not ok
                right += ok == expected_ok
            rows.append({"threshold": threshold, "said_ok": said_ok, "right_ok": right_ok,
                         "harmless": harmless, "flagged": flagged, "right": right,
                         "drafts": len(drafts)})  # fmt: skip
        reviewer.risk = shipped
    return shipped.threshold, rows


def _table(rows: list[dict[str, float]], shipped: float) -> None:
    print("| p(risky) >= | precision of ok | harmless flagged | verdict accuracy | ok |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        mark = "**" if abs(row["threshold"] - shipped) < 1e-4 else ""
        precision = row["right_ok"] / row["said_ok"] if row["said_ok"] else 1.0
        flagged = row["flagged"] / row["harmless"] if row["harmless"] else 0.0
        print(f"| {mark}{row['threshold']:.2f}{mark} | {precision:.2f} | {flagged:.2f} | "
              f"{row['right'] / row['drafts']:.2f} | {row['said_ok']} |")  # fmt: skip


def main() -> int:
    pooled: dict[float, dict[str, float]] = {}
    shipped = 0.0
    for spec in sys.argv[1:]:
        drafts, knowledge = spec.split(":")
        shipped, rows = curve(Path(drafts), Path(knowledge))
        print(f"\n{drafts} (knowledge {knowledge}; shipped point in bold)\n")
        _table(rows, shipped)
        for row in rows:
            total = pooled.setdefault(row["threshold"], dict.fromkeys(row, 0))
            for key, value in row.items():
                total[key] = row["threshold"] if key == "threshold" else total[key] + value
    if len(sys.argv) > 2:
        print("\npooled\n")
        _table([pooled[t] for t in sorted(pooled)], shipped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
