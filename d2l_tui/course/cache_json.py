"""A parsed lesson as plain JSON and back, checking every field's type on the way in.

Reading builds only `Lesson`, `Section`, `Prose`, `Block` and `Problem` from strings, numbers,
lists and dicts: a damaged or forged entry is refused (None) and its file parsed again.
A lesson's header is JSON in the cache's index; its body is JSON text of its own (a file of its own
in the cache), decoded only when the lesson is opened or loaded in the background: start-up reads
the headers (18 kB for 44 lessons) and the one lesson it opens, not 1.6 MB of bodies.
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


def lesson_to_json(lesson: Lesson, header_problems: int) -> tuple[dict[str, Any], str] | None:
    """The lesson's header, and its body as JSON text, with only its own file's problems.

    The first `header_problems` problems were found reading the header, the rest reading the
    body. None when JSON would not give the lesson back exactly.
    """
    blocks = [block.data for block in lesson.blocks]
    # YAML may hold what JSON cannot say the same way (dates, numeric keys): such a lesson is not cached.
    try:
        if json.loads(json.dumps(blocks)) != blocks:
            return None
    except (TypeError, ValueError):
        return None
    own = [(index, p) for index, p in enumerate(lesson.problems) if p.scope == "file"]
    body = {
        "sections": [[s.title, s.level, s.line, [_item_to_json(i) for i in s.items]] for s in lesson.sections],
        "problems": [_problem_to_json(p) for index, p in own if index >= header_problems],
    }
    header = {
        "id": lesson.id, "lang": lesson.lang, "title": lesson.title, "order": lesson.order,
        "summary": lesson.summary, "requires": list(lesson.requires), "minutes": lesson.minutes,
        "replaces": list(lesson.replaces),
        "problems": [_problem_to_json(p) for index, p in own if index < header_problems],
    }
    return header, json.dumps(body, ensure_ascii=False, separators=(",", ":"))


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
    """The lesson header an entry describes (its body not yet read); None when it is not one."""
    try:
        data = _want(raw, dict)
        minutes = data["minutes"]
        return Lesson(
            id=_want(data["id"], str), lang=_want(data["lang"], str), title=_want(data["title"], str),
            order=_want(data["order"], (int, float)), path=path, summary=_want(data["summary"], str),
            requires=[_want(r, str) for r in _want(data["requires"], list)],
            minutes=None if minutes is None else _want(minutes, int),
            replaces=[_want(r, str) for r in _want(data["replaces"], list)],
            problems=[_problem_from_json(p, path) for p in _want(data["problems"], list)],
        )
    except (BadEntry, KeyError, ValueError, TypeError):
        return None


def body_from_json(raw: Any, path: Path) -> tuple[list[Section], list[Problem]] | None:
    """A lesson's sections and body problems from its body's JSON text; None when it is not one."""
    try:
        body = _want(json.loads(_want(raw, str)), dict)
        sections = [_section_from_json(s, path) for s in _want(body["sections"], list)]
        return sections, [_problem_from_json(p, path) for p in _want(body["problems"], list)]
    except (BadEntry, KeyError, ValueError, TypeError):
        return None
