"""`d2l-tui review --due`: what is due for review today, from a shell (text or JSON)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from d2l_tui.review.schedule import due_ids, due_time

WORDS = {
    "en": {"none": "Nothing is due for review today.", "due": "Due today: {count} question(s) (open the tutor and press R)"},
    "zh": {"none": "今天没有到期要复习的题。", "due": "今天到期：{count} 道题（打开 d2l-tui 按 R 复习）"},
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Add `--due`, `--format` and the folder options to the `review` (sub)parser."""
    parser.add_argument("--due", action="store_true", help="list the questions due for review today")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    # SUPPRESS: a --data-dir given before `review` is kept when this one is not given.
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="where progress is kept")
    parser.add_argument("--lessons", type=Path, default=argparse.SUPPRESS, help="a folder of lessons to use")
    parser.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="the course language")


def run(args: argparse.Namespace, now: datetime | None = None) -> int:
    """Print the quizzes due today (`now`: the moment to count from; tests pass one)."""
    from d2l_tui.cli import tell_progress_warnings
    from d2l_tui.course.catalog import Course
    from d2l_tui.paths import data_dir, shipped_lessons_dir
    from d2l_tui.progress import ProgressStore
    from d2l_tui.review.clock import Clock

    store = ProgressStore.open(data_dir(getattr(args, "data_dir", None)))
    tell_progress_warnings(store)
    lang = getattr(args, "lang", None) or store.settings.get("lang", "zh")
    course = Course.load(getattr(args, "lessons", None) or shipped_lessons_dir())
    rows = due_rows(course.in_language(lang), store.quizzes, now or Clock().now())
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    words = WORDS.get(lang, WORDS["en"])
    print(words["due"].format(count=len(rows)) if rows else words["none"])
    for row in rows:
        print(f"  {row['due'][:16].replace('T', ' ')}  {row['lesson_title']} · {row['quiz']}")
    return 0


def due_rows(lessons: list[Any], quizzes: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Each due quiz: its id, its lesson (id and title, when the course has it) and when it fell due (local time)."""
    homes = {block.data.get("id"): lesson for lesson in lessons for block in lesson.blocks if block.type == "quiz"}
    rows = []
    for quiz_id in due_ids(quizzes, now):
        lesson, when = homes.get(quiz_id), due_time(quizzes[quiz_id])
        rows.append({
            "quiz": quiz_id,
            "lesson": lesson.id if lesson else None,
            "lesson_title": lesson.title if lesson else "?",
            "due": when.astimezone().isoformat(timespec="minutes") if when else None,
        })
    return rows
