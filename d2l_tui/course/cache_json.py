"""A parsed lesson as plain JSON and back, checking every field's type on the way in.

Reading builds only `Lesson`, `Section`, `Prose`, `Block` and `Problem` from strings, numbers,
lists and dicts: a damaged or forged entry is refused (None) and its file parsed again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from d2l_tui.course.model import Block, Item, Lesson, Problem, Prose, Section


class BadEntry(ValueError):
    """A cache entry that is not the shape of a lesson."""


def _want(value: Any, kind: type | tuple[type, ...]) -> Any:
    """`value` when it has the type expected (bools are not numbers), else BadEntry."""
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))):
        raise BadEntry(f"expected {kind}, found {type(value).__name__}")
    return value


def _item_to_json(item: Item) -> list[Any]:
    if isinstance(item, Prose):
        return ["prose", item.markdown, item.line, item.kind]
    return ["block", item.type, item.line, item.data, item.source, item.known,
            [_problem_to_json(p) for p in item.problems]]


def _problem_to_json(problem: Problem) -> list[Any]:
    return [problem.line, problem.message, problem.severity]


def lesson_to_json(lesson: Lesson) -> dict[str, Any] | None:
    """The lesson with its own file's problems, or None when JSON would not give it back exactly."""
    blocks = [block.data for block in lesson.blocks]
    # YAML may hold what JSON cannot say the same way (dates, numeric keys): such a lesson is not cached.
    try:
        if json.loads(json.dumps(blocks)) != blocks:
            return None
    except (TypeError, ValueError):
        return None
    return {
        "id": lesson.id, "lang": lesson.lang, "title": lesson.title, "order": lesson.order,
        "summary": lesson.summary, "requires": list(lesson.requires), "minutes": lesson.minutes,
        "sections": [[s.title, s.level, s.line, [_item_to_json(i) for i in s.items]] for s in lesson.sections],
        "problems": [_problem_to_json(p) for p in lesson.problems if p.scope == "file"],
    }


def _problem_from_json(raw: Any, path: Path) -> Problem:
    line, message, severity = _want(raw, list)
    if severity not in ("error", "warning"):
        raise BadEntry(f"unknown severity {severity!r}")
    return Problem(path, _want(line, int), _want(message, str), severity)


def _item_from_json(raw: Any, path: Path) -> Item:
    kind, *fields = _want(raw, list)
    if kind == "prose":
        markdown, line, token = fields
        return Prose(_want(markdown, str), _want(line, int), _want(token, str))
    if kind == "block":
        name, line, data, source, known, problems = fields
        return Block(_want(name, str), _want(line, int), _want(data, dict), _want(source, str), _want(known, bool),
                     [_problem_from_json(p, path) for p in _want(problems, list)])
    raise BadEntry(f"unknown item {kind!r}")


def _section_from_json(raw: Any, path: Path) -> Section:
    title, level, line, items = _want(raw, list)
    return Section(_want(title, str), _want(level, int), _want(line, int),
                   [_item_from_json(item, path) for item in _want(items, list)])


def lesson_from_json(raw: Any, path: Path) -> Lesson | None:
    """The lesson an entry describes, its problems located in `path`; None when the entry is not one."""
    try:
        data = _want(raw, dict)
        minutes = data["minutes"]
        return Lesson(
            id=_want(data["id"], str), lang=_want(data["lang"], str), title=_want(data["title"], str),
            order=_want(data["order"], (int, float)), path=path, summary=_want(data["summary"], str),
            requires=[_want(r, str) for r in _want(data["requires"], list)],
            minutes=None if minutes is None else _want(minutes, int),
            sections=[_section_from_json(s, path) for s in _want(data["sections"], list)],
            problems=[_problem_from_json(p, path) for p in _want(data["problems"], list)],
            body_loaded=True,
        )
    except (BadEntry, KeyError, ValueError, TypeError):
        return None
