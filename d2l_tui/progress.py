"""The learner's progress: which lessons were visited or completed, where they stopped, quiz results.

Stored as one JSON file under the data directory. Writes are atomic (a temporary file renamed
over the old one). A file that cannot be read is moved aside, never silently dropped.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

FILE_NAME = "progress.json"
FORMAT_VERSION = 1


@dataclass
class LessonProgress:
    """What the learner has done in one lesson (shared by its zh and en versions)."""

    visited: float | None = None
    completed: bool = False
    end_reached: bool = False
    """The learner has scrolled to the lesson's end (it completes once its quizzes are settled too)."""
    section: int = 0
    """Index of the section the learner last looked at."""
    item: int = -1
    """Index of the item (paragraph or block) within that section; -1 is the section's heading."""


@dataclass
class ProgressStore:
    """Progress for every lesson and quiz, bound to one file."""

    path: Path
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    quizzes: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    last_lesson: str | None = None
    moved_aside: Path | None = None
    """Where an unreadable progress file was moved when this store was opened, if it was."""
    error: str | None = None
    """Why that file could not be read."""

    @classmethod
    def open(cls, data_dir: Path) -> ProgressStore:
        """Open the progress file in `data_dir`, moving an unreadable one aside."""
        path = Path(data_dir) / FILE_NAME
        store = cls(path)
        if not path.exists():
            return store
        try:
            store._read(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, AttributeError) as error:
            store.moved_aside = _move_aside(path)
            store.lessons, store.quizzes, store.settings, store.last_lesson = {}, {}, {}, None
            store.error = f"{type(error).__name__}: {error}"
        return store

    def _read(self, raw: dict[str, Any]) -> None:
        """Fill the store from a decoded file; raise on anything malformed."""
        if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"not a d2l-tui progress file of version {FORMAT_VERSION}")
        known = {f.name for f in fields(LessonProgress)}
        # Keys a later version may add are ignored rather than taken for damage.
        self.lessons = {
            key: LessonProgress(**{name: v for name, v in value.items() if name in known})
            for key, value in raw.get("lessons", {}).items()
        }
        self.quizzes = dict(raw.get("quizzes", {}))
        self.settings = dict(raw.get("settings", {}))
        self.last_lesson = raw.get("last_lesson")

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        return {
            "version": FORMAT_VERSION,
            "last_lesson": self.last_lesson,
            "lessons": {key: vars(value) for key, value in sorted(self.lessons.items())},
            "quizzes": self.quizzes,
            "settings": self.settings,
        }

    def save(self) -> None:
        """Write the file atomically: a reader sees the old file or the new one, never half."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.to_json(), out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def lesson(self, lesson_id: str) -> LessonProgress:
        """The progress of one lesson, created when first asked for."""
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def visit(self, lesson_id: str) -> None:
        """Record that the learner opened a lesson."""
        entry = self.lesson(lesson_id)
        entry.visited = entry.visited or time.time()
        self.last_lesson = lesson_id

    def remember_position(self, lesson_id: str, section: int, item: int) -> None:
        """Record where the learner is in a lesson."""
        entry = self.lesson(lesson_id)
        entry.section, entry.item = section, item

    def reach_end(self, lesson_id: str) -> bool:
        """Record that the learner reached a lesson's end; True the first time."""
        entry = self.lesson(lesson_id)
        first_time, entry.end_reached = not entry.end_reached, True
        return first_time

    def complete(self, lesson_id: str) -> None:
        """Mark a lesson completed."""
        self.lesson(lesson_id).completed = True

    def status(self, lesson_id: str) -> str:
        """`done`, `started` or `new`."""
        entry = self.lessons.get(lesson_id)
        if entry is None or entry.visited is None:
            return "new"
        return "done" if entry.completed else "started"

    def quiz_score(self, quiz_ids: list[str]) -> tuple[int, int]:
        """How many of these quizzes were answered right, out of how many."""
        right = sum(1 for quiz_id in quiz_ids if self.quizzes.get(quiz_id, {}).get("correct"))
        return right, len(quiz_ids)

    def reset(self) -> None:
        """Forget all progress (the caller asks the learner first) and save."""
        self.lessons, self.quizzes, self.last_lesson = {}, {}, None
        self.save()


def _move_aside(path: Path) -> Path:
    """Rename an unreadable progress file to a unique `progress.corrupt-<time>.json` and return it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.corrupt-{stamp}-{counter}{path.suffix}")
        counter += 1
    path.rename(target)
    return target
