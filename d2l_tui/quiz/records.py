"""What the progress store keeps per quiz, how an answer or a reveal changes it, and what is due.

Records live in `ProgressStore.quizzes[quiz_id]` as plain JSON. `correct` means "the latest
graded answer was right" (the course map's score counts it); a quiz answered wrong, partly
right, or revealed before being answered right joins the review list, and leaves it once it is
answered right `REVIEW_STREAK` times in a row.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from d2l_tui.course.model import Block, Lesson
from d2l_tui.quiz.grading import Grade

REVIEW_STREAK = 2
OUTCOMES = ("right", "partial", "wrong")


@dataclass(frozen=True)
class QuizRecord:
    """One learner's history with one quiz."""

    attempts: int = 0
    """Graded answers given (answers that could not be graded do not count)."""
    answer: Any = None
    """The last answer: an option index, a list of them, the typed number, the code, or a prediction
    (`{"option": i}` while it waits for a run, `{"option": i, "run": {...}}` once graded; see
    `quiz.predict_grading`)."""
    outcome: str | None = None
    """The last graded answer's outcome: right, partial or wrong."""
    correct: bool = False
    revealed: bool = False
    """The learner asked to see the answer."""
    missed: bool = False
    """On the review list: answered wrong or partly right, or revealed, and not yet made good."""
    streak: int = 0
    """Right answers in a row."""
    updated: float | None = None

    @classmethod
    def from_json(cls, raw: Any) -> QuizRecord:
        """Read a stored record; anything malformed is dropped rather than trusted."""
        if not isinstance(raw, dict):
            return cls()
        kinds = {"attempts": int, "streak": int, "correct": bool, "revealed": bool, "missed": bool}
        values: dict[str, Any] = {}
        for field in fields(cls):
            if field.name not in raw:
                continue
            value, wanted = raw[field.name], kinds.get(field.name)
            if wanted is int and (isinstance(value, bool) or not isinstance(value, int)):
                continue
            if wanted is bool and not isinstance(value, bool):
                continue
            if field.name == "outcome" and value not in OUTCOMES:
                continue
            values[field.name] = value
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        """The record as stored."""
        return asdict(self)

    @property
    def settled(self) -> bool:
        """Answered right, or the answer was shown: enough for the lesson to count as completed."""
        return self.correct or self.revealed

    @property
    def needs_review(self) -> bool:
        """True while the quiz is on the review list."""
        return self.missed


def after_answer(record: QuizRecord, answer: Any, grade: Grade) -> QuizRecord:
    """The record once `answer` was graded `grade` (unchanged when it could not be graded)."""
    if not grade.graded:
        return record
    right = grade.outcome == "right"
    streak = record.streak + 1 if right else 0
    missed = (record.missed or not right) and not (right and streak >= REVIEW_STREAK)
    return replace(
        record, attempts=record.attempts + 1, answer=answer, outcome=grade.outcome,
        correct=right, missed=missed, streak=streak, updated=time.time(),
    )


def after_reveal(record: QuizRecord) -> QuizRecord:
    """The record once the learner asked to see the answer (a miss, unless already right)."""
    if record.correct:
        return replace(record, revealed=True, updated=time.time())
    return replace(record, revealed=True, missed=True, streak=0, updated=time.time())


def quiz_blocks(lesson: Lesson) -> list[Block]:
    """The lesson's usable quizzes: quiz blocks with an id and no error."""
    return [b for b in lesson.blocks if b.type == "quiz" and not b.broken and isinstance(b.data.get("id"), str)]


def record_of(quizzes: dict[str, Any], quiz_id: str) -> QuizRecord:
    """The stored record of a quiz (an empty one when it was never answered)."""
    return QuizRecord.from_json(quizzes.get(quiz_id))


def unsettled(lesson: Lesson, quizzes: dict[str, Any]) -> list[str]:
    """Ids of the lesson's quizzes not yet answered right nor revealed."""
    return [b.data["id"] for b in quiz_blocks(lesson) if not record_of(quizzes, b.data["id"]).settled]


def unsettled_counts(lesson: Lesson, quizzes: dict[str, Any]) -> dict[str, int]:
    """How many of the lesson's unsettled quizzes are unanswered, predictions waiting for a run, or missed.

    "missed": answered, but not (yet) right; a prediction waiting for its run counts as waiting even
    after an earlier wrong one, as the card shows it.
    """
    from d2l_tui.quiz.predict_grading import read_answer  # predictions' stored answers

    counts = {"unanswered": 0, "waiting": 0, "missed": 0}
    for block in quiz_blocks(lesson):
        record = record_of(quizzes, block.data["id"])
        if record.settled:
            continue
        stored = read_answer(block.data, record.answer) if block.data.get("kind") == "predict" else None
        state = "waiting" if stored is not None and stored[1] is None else "missed" if record.attempts else "unanswered"
        counts[state] += 1
    return counts
