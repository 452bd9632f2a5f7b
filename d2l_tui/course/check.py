"""`d2l-tui check`: validate lesson files and report every problem as `path:line: message`.

Checking code (a code quiz's `solution`, a numeric quiz's computed answer) means running the
lesson's Python. That happens for the shipped course, or when asked (`--run-code`): a folder
someone sent you is read, never run, unless you say so.
"""

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
        elif path.exists() or path.is_symlink():  # a link loop "does not exist" but is worth naming
            lessons.append(load_lesson(path))
        else:
            missing = Lesson(id=path.stem, lang="?", title=path.name, order=0, path=path)
            missing.problems.append(Problem(path, 0, "no such file or folder"))
            lessons.append(missing)
    return lessons


def describe_block(block: Block) -> dict[str, Any]:
    """A block as `--format json` shows it; features add their own fields (a quiz's `kind`)."""
    info: dict[str, Any] = {"type": block.type, "line": block.line, "known": block.known}
    for key in ("id", "kind", "impl", "model", "for"):
        if isinstance(block.data.get(key), str):
            info[key] = block.data[key]
    if block.problems:
        info["problems"] = [p.message for p in block.problems]
    return info


def code_checks(lessons: list[Lesson]) -> int:
    """How many blocks `check_solutions` would run code for (the same choice it makes)."""
    return sum(
        1 for lesson in lessons for block in lesson.blocks
        if block.type == "quiz" and not block.broken
        and (block.data.get("kind") == "code" or (block.data.get("kind") == "numeric" and block.data.get("solution")))
    )


def is_shipped_course(paths: list[Path]) -> bool:
    """True when every path is the shipped course or inside it: its code is ours to run."""
    from d2l_tui.paths import shipped_lessons_dir

    shipped = shipped_lessons_dir().resolve()
    try:
        return bool(paths) and all(Path(p).resolve().is_relative_to(shipped) for p in paths)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return False


def skipped_note(skipped: int, paths: list[Path]) -> str:
    """Say how many code checks did not run and how to run them."""
    named = " ".join(str(p) for p in paths)
    return (f"{skipped} code checks skipped (quiz solutions are Python and were not run): "
            f"to run them, d2l-tui check --run-code {named}")


def report_json(lessons: list[Lesson], skipped: int = 0) -> str:
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
        "skipped_code_checks": skipped,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": str(problem.path), "line": problem.line, "message": problem.message}


def report_text(lessons: list[Lesson], skipped_line: str = "") -> str:
    """The whole check as lines of `path:line: message`, then a one-line verdict."""
    problems = sorted((p for l in lessons for p in l.problems), key=lambda p: (str(p.path), p.line))
    lines = [f"{p}" if p.severity == "error" else f"{p} (warning)" for p in problems]
    if skipped_line:
        lines.append(skipped_line)
    errors = sum(1 for p in problems if p.severity == "error")
    blocks = sum(len(l.blocks) for l in lessons)
    lines.append(f"{len(lessons)} lessons, {blocks} interactive blocks, {errors} errors.")
    return "\n".join(lines)


def run_check(paths: list[Path], output_format: str = "text", run_code: bool | None = None) -> tuple[str, int]:
    """Check the lessons and return the report and the exit code (1 when any error was found).

    `run_code` None runs the code checks only for the shipped course; True or False decides.
    """
    lessons = collect_lessons(paths)
    skipped = 0
    if run_code if run_code is not None else is_shipped_course(paths):
        # Only `check` runs code quiz solutions (in one kernel); the app never does when loading.
        from d2l_tui.quiz.code_grading import check_solutions

        check_solutions(lessons)
    else:
        skipped = code_checks(lessons)
    has_errors = any(p.severity == "error" for l in lessons for p in l.problems)
    if output_format == "json":
        report = report_json(lessons, skipped)
    else:
        report = report_text(lessons, skipped_note(skipped, paths) if skipped else "")
    return report, 1 if has_errors else 0
