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


def curve(drafts_file: Path, knowledge: Path) -> list[dict[str, float]]:
    drafts = [json.loads(line) for line in drafts_file.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as store:
        settings = load_settings(os.environ).with_dirs(str(knowledge), store)
        engine = build_engine(settings)
        engine.reindex()
        reviewer = engine.toolkit.reviewer
        shipped = reviewer.risk
        rows = []
        for threshold in THRESHOLDS:
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
            rows.append({
                "threshold": threshold,
                "precision_ok": right_ok / said_ok if said_ok else 1.0,
                "harmless_flagged": flagged / harmless if harmless else 0.0,
                "verdict_accuracy": right / len(drafts),
                "predicted_ok": said_ok,
            })  # fmt: skip
        reviewer.risk = shipped
    return rows


def main() -> int:
    for spec in sys.argv[1:]:
        drafts, knowledge = spec.split(":")
        print(f"\n{drafts} (knowledge {knowledge})\n")
        print("| p(risky) >= | precision of ok | harmless flagged | verdict accuracy | ok |")
        print("|---:|---:|---:|---:|---:|")
        for row in curve(Path(drafts), Path(knowledge)):
            print(f"| {row['threshold']:.2f} | {row['precision_ok']:.2f} | "
                  f"{row['harmless_flagged']:.2f} | {row['verdict_accuracy']:.2f} | "
                  f"{row['predicted_ok']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
