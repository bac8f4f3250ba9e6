"""The core never knows about Slack: only bot/slack/ (and the CLI that starts it) may import it.

That keeps the core usable from the CLI, benchmarks and any other chat tool, and keeps Slack's
SDK out of processes that do not serve Slack.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
SLACK_PACKAGES = ("slack_bolt", "slack_sdk", "slack")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def is_slack(module: str) -> bool:
    return module.split(".")[0] in SLACK_PACKAGES or module.startswith("bot.slack")


def test_the_core_imports_nothing_from_slack():
    core = [p for p in BOT.rglob("*.py") if p.relative_to(BOT).parts[0] not in {"slack", "cli"}]
    assert len(core) > 10  # the walk found the core
    offenders = {
        str(p.relative_to(BOT)): sorted(m for m in imported_modules(p) if is_slack(m)) for p in core
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_the_cli_reaches_slack_only_lazily_from_serve():
    for path in (BOT / "cli").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        modules = {getattr(n, "module", None) or n.names[0].name for n in top_level}
        assert not [m for m in modules if is_slack(m)], path.name
