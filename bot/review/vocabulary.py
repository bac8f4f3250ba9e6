"""The review's built-in vocabulary, read from data files shipped with the package.

Cue words, example sentences, harmless posts, typical rule wordings and advice texts are data
(bot/review/data/*.yaml), not code: the comms team can read what the review knows, and
review-rules.yaml adds to it or switches it off. Each file is checked on load; a mistake names
the file and the line, so a broken edit fails at start, not in the middle of a review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot.errors import ConfigError

CATEGORY_NAMES = (
    "confidential_info", "unreleased_product", "financial_results", "personal_data",
    "customer_info", "legal_matter", "speaking_for_company", "missing_affiliation_disclosure",
    "missing_ad_disclosure", "competitor_disparagement", "harassment_or_hate", "profanity",
    "political_endorsement_as_company", "copyright", "secrets", "prompt_injection",
)  # fmt: skip
ADVICE_FORMS = ("en", "de", "de_du")


@dataclass(frozen=True)
class Vocabulary:
    cues: dict[str, tuple[str, ...]]  # category -> regexes
    examples: dict[str, tuple[str, ...]]  # category -> example sentences
    harmless: tuple[str, ...]  # ordinary posts, the contrast for examples
    prototypes: dict[str, tuple[str, ...]]  # category -> typical rule wordings
    advice: dict[str, dict[str, str]]  # category -> form -> template
    frames: dict[str, dict[str, str]]  # "rule" / "unsure" -> form -> template
    labels_de: dict[str, str]


def _read(name: str) -> tuple[Any, yaml.Node | None]:
    path = resources.files("bot.review") / "data" / name
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"bot/review/data/{name}: {error}") from error


def _line(node: yaml.Node | None, *path: str) -> int:
    """1-based line of the value at `path` in a composed YAML document (best effort)."""
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        node = next((v for k, v in node.value if getattr(k, "value", None) == key), node)
    return (node.start_mark.line + 1) if node is not None else 1


def _strings(name: str, root: yaml.Node | None, data: Any, *path: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(s, str) and s.strip() for s in data):
        raise ConfigError(
            f"bot/review/data/{name}, line {_line(root, *path)}: "
            f"{'.'.join(path)} must be a list of non-empty texts."
        )
    return tuple(data)


def _categories(name: str, data: Any, root: yaml.Node | None) -> dict[str, tuple[str, ...]]:
    table = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"bot/review/data/{name}, line 1: needs a 'categories:' mapping.")
    unknown = sorted(set(table) - set(CATEGORY_NAMES))
    if unknown:
        raise ConfigError(
            f"bot/review/data/{name}, line {_line(root, 'categories', unknown[0])}: unknown "
            f"category {unknown[0]!r} (known: {', '.join(CATEGORY_NAMES)})."
        )
    return {key: _strings(name, root, value, "categories", key) for key, value in table.items()}


def _templates(
    name: str, root: yaml.Node | None, table: Any, section: str
) -> dict[str, dict[str, str]]:
    if not isinstance(table, dict):
        raise ConfigError(f"bot/review/data/{name}: needs a '{section}:' mapping.")
    result = {}
    for key, forms in table.items():
        if not isinstance(forms, dict) or set(forms) != set(ADVICE_FORMS):
            raise ConfigError(
                f"bot/review/data/{name}, line {_line(root, section, key)}: {section}.{key} "
                f"needs exactly the forms {', '.join(ADVICE_FORMS)}."
            )
        result[key] = {form: str(text) for form, text in forms.items()}
    return result


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    cues_data, cues_root = _read("cues.yaml")
    cues = _categories("cues.yaml", cues_data, cues_root)
    for category, patterns in cues.items():
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                line = _line(cues_root, "categories", category)
                raise ConfigError(
                    f"bot/review/data/cues.yaml, near line {line}: regex {pattern!r} of "
                    f"{category} does not compile: {error}"
                ) from None
    examples_data, examples_root = _read("examples.yaml")
    prototypes_data, prototypes_root = _read("prototypes.yaml")
    advice_data, advice_root = _read("advice.yaml")
    advice = _templates("advice.yaml", advice_root, advice_data.get("advice"), "advice")
    missing = sorted(set(CATEGORY_NAMES) - set(advice))
    if missing:
        raise ConfigError(f"bot/review/data/advice.yaml: no advice for {', '.join(missing)}.")
    return Vocabulary(
        cues=cues,
        examples=_categories("examples.yaml", examples_data, examples_root),
        harmless=_strings(
            "examples.yaml", examples_root, examples_data.get("harmless"), "harmless"
        ),
        prototypes=_categories("prototypes.yaml", prototypes_data, prototypes_root),
        advice=advice,
        frames=_templates("advice.yaml", advice_root, advice_data.get("frames"), "frames"),
        labels_de={str(k): str(v) for k, v in (advice_data.get("labels_de") or {}).items()},
    )
