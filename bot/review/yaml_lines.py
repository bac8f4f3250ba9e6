"""Where in a YAML file a value stands: every data and rules file names the line of a mistake."""

from __future__ import annotations

from typing import Any

import yaml


def line_of(root: yaml.Node | None, path: tuple[Any, ...]) -> int:
    """1-based line of the key (or list item) at a key path; the deepest part that exists."""
    node, line = root, (root.start_mark.line + 1 if root else 1)
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
