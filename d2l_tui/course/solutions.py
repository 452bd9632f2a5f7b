"""Worked solutions: a ```` ```solution ```` fence whose body is Markdown, folded in the app.

Keys go on the fence line as `key=value` (`for=quiz-id`, `title="Our take"`), so the body stays
plain Markdown an author writes as they would prose (YAML would make every line an indented
string). A body holding its own fenced code uses a longer outer fence (```` ```` ````).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from markdown_it.token import Token

from d2l_tui.course.directives import DIRECTIVES, validate_directive
from d2l_tui.course.model import Block, Lesson, Problem
from d2l_tui.course.prose import prepare_markdown

MARKDOWN_KEY = "markdown"
"""Where a parsed solution keeps its body, prepared like prose (math as Unicode, CJK breaks joined)."""


def fence_options(info: str) -> tuple[dict[str, str], str | None]:
    """The `key=value` words after a fence's name, or the reason they cannot be read."""
    try:
        words = shlex.split(info)[1:]
    except ValueError as error:
        return {}, f"the fence line does not parse: {error} (quote a value with spaces: title=\"...\")"
    options: dict[str, str] = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals or not key:
            return options, f"'{word}' on the fence line should be key=value (such as for=quiz-id)"
        options[key] = value
    return options, None


def parse_markdown_block(path: Path, fence: Token, name: str) -> Block:
    """Read a fence whose body is Markdown: its keys from the fence line, its body prepared."""
    line = (fence.map or (0, 0))[0] + 1
    block = Block(name, line, {}, fence.content, known=name in DIRECTIVES)
    options, error = fence_options(fence.info)
    if error:
        block.problems.append(Problem(path, line, f"{name} block: {error}"))
    for _key, message in validate_directive(name, options):
        block.problems.append(Problem(path, line, message))
    if not fence.content.strip():
        block.problems.append(Problem(path, line, f"{name} block is empty: write the solution as Markdown inside it"))
    block.data = {**options, MARKDOWN_KEY: prepare_markdown(fence.content)}
    return block


def solution_links(lesson: Lesson) -> list[Problem]:
    """A solution's `for` must name a quiz of its own lesson: that quiz's answer unfolds it."""
    quizzes = [b.data.get("id") for b in lesson.blocks if b.type == "quiz"]
    problems = []
    for block in lesson.blocks:
        target = block.data.get("for") if block.type == "solution" else None
        if isinstance(target, str) and target not in quizzes:
            have = ", ".join(str(q) for q in quizzes if isinstance(q, str)) or "none"
            problem = Problem(lesson.path, block.line, f"solution is for quiz '{target}', but this lesson's quizzes are: {have}")
            block.problems.append(problem)
            problems.append(problem)
    return problems
