"""Prompts live as YAML files in prompts/ and are checked on load: a template that lacks a
variable the code fills, or uses one it does not, fails at start instead of mid-conversation."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from bot.errors import ConfigError

PROMPTS = resources.files("bot.prompt_files")  # the top-level prompts/ folder, as package data


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with the values filled in."""
        return self.system.format(**values), self.user.format(**values)


def _variables(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@lru_cache(maxsize=16)
def load_prompt(
    name: str, variables: frozenset[str], folder: Path | Traversable = PROMPTS
) -> Prompt:
    """Load prompts/<name>.yaml (keys `system`, `user`) and check its variables."""
    path = folder / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"Cannot read prompt {path}: {error}") from error
    if not isinstance(data, dict) or not {"system", "user"} <= data.keys():
        raise ConfigError(f"Prompt {path} needs the keys 'system' and 'user'.")
    prompt = Prompt(name, str(data["system"]), str(data["user"]))
    used = _variables(prompt.system) | _variables(prompt.user)
    if used != variables:
        missing, unknown = sorted(variables - used), sorted(used - variables)
        raise ConfigError(f"Prompt {path}: missing variables {missing}, unknown {unknown}.")
    return prompt
