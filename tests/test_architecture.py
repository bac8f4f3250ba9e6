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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """bot module -> the bot modules it imports (at any level, lazily or not)."""
    modules = {_module_name(p): p for p in BOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_modules(path):
            while imported and imported not in modules:  # "from bot.x import y" names bot.x
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_no_import_cycles():
    graph = import_graph()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    packages = {n for n in graph if (BOT.parent / n.replace(".", "/") / "__init__.py").exists()}
    real = [c for c in cycles if not set(c) & packages]  # a package's face re-exporting is fine
    assert real == []


def test_ask_and_review_know_nothing_of_slack_or_the_cli():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith(("bot.ask", "bot.review", "bot.index", "bot.ops")):
            outside = sorted(t for t in targets if t.startswith(("bot.slack", "bot.cli")))
            assert outside == [], name


def test_every_package_folder_ships_in_the_wheel():
    import tomllib

    config = tomllib.loads((BOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {_module_name(p) for p in BOT.rglob("__init__.py")}
    assert folders <= listed
