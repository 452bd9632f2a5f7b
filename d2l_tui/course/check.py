"""`d2l-tui check`: validate lesson files and report every problem as `path:line: message`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Block, Lesson, Problem


def collect_lessons(paths: list[Path]) -> list[Lesson]:
    """Load every lesson named by the paths: course folders or single files."""
    lessons: list[Lesson] = []
    for path in paths:
        if path.is_dir():
            lessons.extend(Course.load(path).lessons)
        elif path.exists():
            lessons.append(load_lesson(path))
        else:
            missing = Lesson(id=path.stem, lang="?", title=path.name, order=0, path=path)
            missing.problems.append(Problem(path, 0, "no such file or folder"))
            lessons.append(missing)
    return lessons


def describe_block(block: Block) -> dict[str, Any]:
    """A block as `--format json` shows it; features add their own fields (a quiz's `kind`)."""
    info: dict[str, Any] = {"type": block.type, "line": block.line, "known": block.known}
    for key in ("id", "kind", "impl", "model"):
        if isinstance(block.data.get(key), str):
            info[key] = block.data[key]
    if block.problems:
        info["problems"] = [p.message for p in block.problems]
    return info


def report_json(lessons: list[Lesson]) -> str:
    """The whole check as JSON."""
    problems = sorted((p for l in lessons for p in l.problems), key=lambda p: (str(p.path), p.line))
    document = {
        "lessons": [
            {
                "id": lesson.id,
                "lang": lesson.lang,
                "title": lesson.title,
                "path": str(lesson.path),
                "blocks": [describe_block(block) for block in lesson.blocks],
            }
            for lesson in lessons
        ],
        "errors": [_problem_json(p) for p in problems if p.severity == "error"],
        "warnings": [_problem_json(p) for p in problems if p.severity == "warning"],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": str(problem.path), "line": problem.line, "message": problem.message}


def report_text(lessons: list[Lesson]) -> str:
    """The whole check as lines of `path:line: message`, then a one-line verdict."""
    problems = sorted((p for l in lessons for p in l.problems), key=lambda p: (str(p.path), p.line))
    lines = [f"{p}" if p.severity == "error" else f"{p} (warning)" for p in problems]
    errors = sum(1 for p in problems if p.severity == "error")
    blocks = sum(len(l.blocks) for l in lessons)
    lines.append(f"{len(lessons)} lessons, {blocks} interactive blocks, {errors} errors.")
    return "\n".join(lines)


def run_check(paths: list[Path], output_format: str = "text") -> tuple[str, int]:
    """Check the lessons and return the report and the exit code (1 when any error was found)."""
    lessons = collect_lessons(paths)
    # Only `check` runs code quiz solutions (in one kernel); the app never does when loading.
    from d2l_tui.quiz.code_grading import check_solutions

    check_solutions(lessons)
    has_errors = any(p.severity == "error" for l in lessons for p in l.problems)
    report = report_json(lessons) if output_format == "json" else report_text(lessons)
    return report, 1 if has_errors else 0
