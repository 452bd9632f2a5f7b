"""Course-wide progress figures, shared by the course map and `d2l-tui progress`."""

from __future__ import annotations

from dataclasses import dataclass

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.progress import ProgressStore
from d2l_tui.quiz.records import quiz_blocks

STATUS_MARKS = {"done": "✔", "started": "◐", "new": "·", "broken": "✘"}


@dataclass(frozen=True)
class LessonRow:
    """One lesson's line in the course map."""

    lesson: Lesson
    status: str
    right: int
    quizzes: int

    @property
    def mark(self) -> str:
        """A one-character status mark."""
        return STATUS_MARKS[self.status]

    @property
    def score(self) -> str:
        """Quiz score as 'right/total', or an empty string when the lesson has no quiz."""
        return f"{self.right}/{self.quizzes}" if self.quizzes else ""


def lesson_rows(course: Course, store: ProgressStore, lang: str) -> list[LessonRow]:
    """The course map's rows for one language."""
    rows = []
    for lesson in course.in_language(lang):
        quiz_ids = [b.data["id"] for b in quiz_blocks(lesson)]  # a broken quiz cannot be answered
        right, total = store.quiz_score(quiz_ids)
        status = "broken" if lesson.broken else store.status(lesson.id)
        rows.append(LessonRow(lesson, status, right, total))
    return rows


def percent_complete(rows: list[LessonRow]) -> int:
    """Share of lessons completed, as a whole percentage."""
    if not rows:
        return 0
    return round(100 * sum(row.status == "done" for row in rows) / len(rows))


def progress_report(course: Course, store: ProgressStore, lang: str) -> str:
    """`d2l-tui progress` output."""
    rows = lesson_rows(course, store, lang)
    lines = [f"{row.mark} {row.lesson.order:>4g}  {row.lesson.title}  {row.score}".rstrip() for row in rows]
    lines.append(f"{percent_complete(rows)}% complete ({store.path})")
    return "\n".join(lines)
