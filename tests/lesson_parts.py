"""Test helper: a shipped lesson and its blocks by id; shared by the tests that read the course's facts.

The course itself is the session-wide `course` fixture in conftest.py.
"""

from __future__ import annotations

from typing import Any

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Block, Lesson


def lesson(course: Course, lesson_id: str, lang: str) -> Lesson:
    """The lesson `lesson_id` in `lang`."""
    return next(item for item in course.in_language(lang) if item.id == lesson_id)


def block(found: Lesson, block_id: str) -> Block:
    """The block whose `id` is `block_id`."""
    return next(b for b in found.blocks if b.data.get("id") == block_id)


def quiz_data(found: Lesson, quiz_id: str) -> dict[str, Any]:
    """The YAML of the quiz `quiz_id`."""
    return next(b.data for b in found.blocks if b.type == "quiz" and b.data.get("id") == quiz_id)


def solution_text(found: Lesson, quiz_id: str) -> str:
    """The worked solution for `quiz_id`, as written in the file."""
    return next(b.source for b in found.blocks if b.type == "solution" and b.data.get("for") == quiz_id)
