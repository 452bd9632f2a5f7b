"""Find the lessons an export names and write their notebooks, never over a file unasked."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.export.notebook import index_notebook, lesson_notebook
from d2l_tui.workbook import Workbook


class ExportError(Exception):
    """Why an export wrote nothing (one line, no traceback)."""


def _course(args: argparse.Namespace) -> Course:
    from d2l_tui.paths import shipped_lessons_dir

    return Course.load(getattr(args, "lessons", None) or shipped_lessons_dir())


def _data_dir(args: argparse.Namespace) -> Path:
    from d2l_tui.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def _lang(args: argparse.Namespace) -> str:
    """--lang, else the language the learner last used, else zh."""
    lang = getattr(args, "lang", None)
    if lang:
        return str(lang)
    from d2l_tui.progress import ProgressStore

    try:
        stored = ProgressStore.open(_data_dir(args)).settings.get("lang")
    except OSError:
        stored = None
    return stored if stored in ("zh", "en") else "zh"


def _workbook(args: argparse.Namespace) -> Workbook | None:
    return Workbook.open(_data_dir(args)) if args.with_my_work else None


def write_notebook(notebook: NotebookNode, path: Path, force: bool) -> Path:
    """Write atomically; an existing file (perhaps edited in Jupyter since) is kept unless `force`."""
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; give --force to replace it, or -o another file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".export-", suffix=".ipynb", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            nbformat.write(notebook, file)
        os.replace(temp, path)
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
    return path


def _notebook(course: Course, lesson: Lesson, workbook: Workbook | None) -> NotebookNode:
    if workbook is not None and course.replaced:
        from d2l_tui.carry_over import carry_lesson

        # What the learner wrote in a lesson this one replaced, as the app would show it (not saved).
        carry_lesson(course.body(lesson), list(course.replaced), workbook, save=False)
    return lesson_notebook(course.body(lesson), workbook)


def export_one(args: argparse.Namespace) -> Path:
    """Write the lesson `args.lesson`; return the notebook's path."""
    course, lang = _course(args), _lang(args)
    lesson = course.get(args.lesson, lang)
    if lesson is None:
        known = ", ".join(item.id for item in course.in_language(lang)) or "none"
        raise ExportError(f"no lesson '{args.lesson}' in {lang} (the lessons are: {known})")
    path = args.output or Path(f"{lesson.id}.ipynb")
    return write_notebook(_notebook(course, lesson, _workbook(args)), path, args.force)


def export_all(args: argparse.Namespace) -> list[Path]:
    """Write every lesson of the language into one folder, with index.ipynb; return the paths."""
    course, lang = _course(args), _lang(args)
    folder: Path = args.output or Path("d2l-notebooks")
    lessons = course.in_language(lang)
    if not lessons:
        raise ExportError(f"the course has no lessons in {lang}")
    files = {lesson.id: f"{n:02d}-{lesson.id}.ipynb" for n, lesson in enumerate(lessons, 1)}
    targets = [folder / name for name in (*files.values(), "index.ipynb")]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not args.force:
        raise ExportError(f"{existing[0]} already exists; give --force to replace the notebooks, or -o another folder")
    workbook = _workbook(args)
    written = [write_notebook(_notebook(course, lesson, workbook), folder / files[lesson.id], True) for lesson in lessons]
    return [*written, write_notebook(index_notebook(lessons, files, lang), folder / "index.ipynb", True)]
