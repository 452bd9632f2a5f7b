"""Course-wide progress figures, shared by the course map and `d2l-tui progress`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.progress import ProgressStore
from d2l_tui.quiz.records import quiz_blocks

STATUS_MARKS = {"done": "✔", "started": "◐", "new": "·", "broken": "✘"}
ASCII_MARKS = {"done": "+", "started": "~", "new": ".", "broken": "x"}
"""The marks for a terminal that cannot show the others (`LC_ALL=C`, `PYTHONIOENCODING=ascii`)."""


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


def cell_width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(0, width - cell_width(text))


def progress_report(course: Course, store: ProgressStore, lang: str, ascii_only: bool = False) -> str:
    """`d2l-tui progress` output: mark, number, title and score in aligned columns (Chinese titles too).

    `ascii_only` (a terminal without UTF-8) gives ASCII marks and titles written as `\\u` escapes.
    """
    rows = lesson_rows(course, store, lang)
    marks = ASCII_MARKS if ascii_only else STATUS_MARKS
    titles = [ascii(row.lesson.title)[1:-1] if ascii_only else row.lesson.title for row in rows]
    width = max(map(cell_width, titles), default=0)
    lines = [
        f"{marks[row.status]} {row.lesson.order:>4g}  {pad(title, width)}  {row.score}".rstrip()
        for row, title in zip(rows, titles)
    ]
    lines.append(f"{percent_complete(rows)}% complete ({store.path})")
    return "\n".join(lines)
