"""Read and validate a lesson's YAML front matter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from d2l_tui.course.model import Problem
from d2l_tui.course.reading import YAML_CONTROLS, UnboundedYaml, strip_yaml_controls

# libyaml's loader when PyYAML was built with it (its wheels are): 5-10x faster on a course's headers.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REQUIRED_KEYS = ("id", "title", "order")
OPTIONAL_KEYS = ("summary", "requires", "minutes", "lang", "replaces")


@dataclass
class FrontMatter:
    """The validated header of a lesson, with the problems found reading it."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _yaml_error_line(error: yaml.YAMLError, first_line: int) -> int:
    """Map a YAML error to a line of the lesson file."""
    return first_line + yaml_error_offset(error)


def yaml_error_offset(error: yaml.YAMLError) -> int:
    """The 0-based line of a YAML error: where the broken construct began, else where it broke."""
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    return mark.line if mark else 0


def _yaml_message(error: yaml.YAMLError) -> str:
    """Say what is wrong with some YAML in one line."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    return f"{context}: {problem}" if context else str(problem)


def parse_front_matter(path: Path, content: str | None, first_line: int) -> FrontMatter:
    """Validate a front matter body whose first line is `first_line` (1-based) in the file."""
    result = FrontMatter()

    def problem(message: str, line: int = first_line - 1, severity: str = "error") -> None:
        result.problems.append(Problem(path, line, message, severity))  # type: ignore[arg-type]

    if content is None:
        problem("missing front matter: a lesson starts with a '---' line, YAML keys, and '---'", 1)
        return result
    try:
        values = yaml.load(content, Loader=FAST_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        problem(f"front matter is not valid YAML: {_yaml_message(error)}", _yaml_error_line(error, first_line))
        return result
    if not isinstance(values, dict):
        problem("front matter must be YAML key: value pairs (id, title, order, ...)")
        return result
    try:
        values, stripped = strip_yaml_controls(values)
    except UnboundedYaml as error:
        problem(f"front matter: {error}")
        return result
    if stripped:
        problem(f"front matter: {YAML_CONTROLS}", severity="warning")
    for key in REQUIRED_KEYS:
        if values.get(key) in (None, ""):
            problem(f"front matter is missing required key '{key}'")
    for message in _wrong_types(values):
        problem(message)
    for key in ("requires", "replaces"):
        values[key], ids_ok = _requires(values.get(key, []))
        if not ids_ok:
            problem(f"front matter '{key}' must be a list of lesson ids", first_line + _key_offset(content, key))
    for key in values:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            problem(f"unknown front matter key '{key}' (ignored)", severity="warning")
    result.values = values
    return result


_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "id": (str, "text such as 'ndarray'"),
    "title": (str, "text"),
    "order": ((int, float), "a number"),
    "summary": (str, "text"),
    "minutes": (int, "a whole number"),
    "lang": (str, "'zh' or 'en'"),
}
"""Each known key's type, and how a lesson author would say it."""


def _wrong_types(values: dict[str, Any]) -> list[str]:
    """Say which keys have the wrong type (or an unknown language), and drop them from `values`."""
    messages = []
    for key, (expected, said) in _TYPES.items():
        value = values.get(key)
        wrong = value is not None and (not isinstance(value, expected) or isinstance(value, bool))
        if wrong or (key == "lang" and value is not None and value not in ("zh", "en")):
            messages.append(f"front matter '{key}' must be {said}, not {value!r}")
            values.pop(key)
    return messages


def _key_offset(content: str, key: str) -> int:
    """The 0-based line of a top-level `key:` in the front matter (0 when not found)."""
    return next((n for n, line in enumerate(content.splitlines()) if line.startswith(f"{key}:")), 0)


def _requires(requires: Any) -> tuple[list[str], bool]:
    """Lesson ids (`requires`, `replaces`; one id alone is a list of one), and whether they were well formed."""
    if isinstance(requires, str):
        requires = [requires]
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        return [], False
    return requires, True
