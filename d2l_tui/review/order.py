"""What the review screen lists: the quizzes due today first, then the other missed ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from d2l_tui.course.model import Block, Lesson
from d2l_tui.quiz.records import quiz_blocks, record_of
from d2l_tui.review.schedule import due_ids

Item = tuple[Lesson, Block]


def review_order(lessons: list[Lesson], quizzes: dict[str, Any], now: datetime) -> tuple[list[Item], list[Item]]:
    """(due today, longest overdue first; the other missed or revealed ones, in course order)."""
    found: dict[str, Item] = {}
    for lesson in lessons:
        for block in quiz_blocks(lesson):
            found.setdefault(block.data["id"], (lesson, block))
    due = [found[quiz_id] for quiz_id in due_ids(quizzes, now) if quiz_id in found]
    due_set = {block.data["id"] for _lesson, block in due}
    missed = [
        item for quiz_id, item in found.items()
        if quiz_id not in due_set and record_of(quizzes, quiz_id).needs_review
    ]
    return due, missed
