"""`d2l-tui review`: the review list from a shell (text or JSON): due today, then missed; `--due` only due."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from d2l_tui.review.order import review_order
from d2l_tui.review.schedule import due_time
from d2l_tui.words import plural

WORDS = {
    "en": {
        "none": "Nothing is due for review today.",
        "due": "Due today: {count} question{s} (open the tutor and press R)",
        "empty": "Nothing to review: every question you answered is right.",
        "all": "{count} question{s} to review, {due} due today (open the tutor and press R)",
        "missed": "missed",
    },
    "zh": {
        "none": "今天没有到期要复习的题。",
        "due": "今天到期：{count} 道题（打开 d2l-tui 按 R 复习）",
        "empty": "没有要复习的题：你答过的题都答对了。",
        "all": "共 {count} 道题要复习，其中 {due} 道今天到期（打开 d2l-tui 按 R 复习）",
        "missed": "答错过",
    },
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Add `--due`, `--format` and the folder options to the `review` (sub)parser."""
    parser.add_argument("--due", action="store_true", help="only the questions due today (without it: due, then missed, as R shows)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    # SUPPRESS: a --data-dir given before `review` is kept when this one is not given.
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="where progress is kept")
    parser.add_argument("--lessons", type=Path, default=argparse.SUPPRESS, help="a folder of lessons to use")
    parser.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="the course language")


def run(args: argparse.Namespace, now: datetime | None = None) -> int:
    """Print the review list, or with `--due` the quizzes due today (`now`: the moment to count from; tests pass one)."""
    from d2l_tui.cli import tell_progress_warnings
    from d2l_tui.course.catalog import Course
    from d2l_tui.paths import data_dir, shipped_lessons_dir
    from d2l_tui.progress import ProgressStore
    from d2l_tui.review.clock import Clock

    store = ProgressStore.open(data_dir(getattr(args, "data_dir", None)))
    tell_progress_warnings(store)
    lang = getattr(args, "lang", None) or store.settings.get("lang", "zh")
    course = Course.load(getattr(args, "lessons", None) or shipped_lessons_dir())
    languages = course.languages or [lang]
    lessons = course.in_language(lang if lang in languages else languages[0])  # quiz ids are the same in each
    rows = review_rows(lessons, store.quizzes, now or Clock().now(), due_only=bool(getattr(args, "due", False)))
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(summary(lang, rows, due_only=bool(getattr(args, "due", False))))
    words = WORDS.get(lang, WORDS["en"])
    for row in rows:
        when = row["due"][:16].replace("T", " ") if row["due"] else words["missed"].ljust(16)
        print(f"  {when}  {row['lesson_title']} · {row['quiz']}")
    return 0


def summary(lang: str, rows: list[dict[str, Any]], due_only: bool) -> str:
    """The first line: how many are due (and, without `--due`, how many to review in all)."""
    words = WORDS.get(lang, WORDS["en"])
    due = sum(row["due"] is not None for row in rows)
    if due_only:
        return words["due"].format(count=due, s=plural(due)) if due else words["none"]
    return words["all"].format(count=len(rows), s=plural(len(rows)), due=due) if rows else words["empty"]


def review_rows(lessons: list[Any], quizzes: dict[str, Any], now: datetime, due_only: bool) -> list[dict[str, Any]]:
    """The R screen's list: each due quiz (longest overdue first), then unless `due_only` the other missed ones.

    Each row has the quiz id, its lesson (id and title) and when it fell due (local time; None for a missed one).
    Only quizzes of the course's lessons count, as on the R screen and the map.
    """
    due, missed = review_order(lessons, quizzes, now)
    listed = [(item, True) for item in due] + [(item, False) for item in ([] if due_only else missed)]
    rows = []
    for (lesson, block), is_due in listed:
        quiz_id = block.data["id"]
        when = due_time(quizzes[quiz_id]) if is_due else None
        rows.append({
            "quiz": quiz_id,
            "lesson": lesson.id,
            "lesson_title": lesson.title,
            "due": when.astimezone().isoformat(timespec="minutes") if when else None,
        })
    return rows
