"""`replaces:` in front matter: a learner's work in a lesson that is gone carries over, through real files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import nbformat
import pytest
from test_app import settle

from d2l_tui.carry_over import carry_lesson, carry_progress
from d2l_tui.course.catalog import Course
from d2l_tui.course.check import run_check
from d2l_tui.export.write import export_one
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.progress import ProgressStore
from d2l_tui.training.history import RunRecord
from d2l_tui.training.saved import SavedRuns
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.widgets.code_cell import CodeCell
from d2l_tui.workbook import SavedCell, Workbook

OLD, NEW = "softmax-preview", "softmax-regression"
MY_CODE = "o = nd.array([[1, 2, 3]])\nprint('my own softmax')\nnd.softmax(o)"
RUN = RunRecord({"lr": 0.1, "batch_size": 256}, "MXNet (Gluon)", "finished", 60, (2.3, 0.4), (0.9, 0.4))


def lesson_file(folder: Path, lesson_id: str, order: int, extra: str = "", body: str = "") -> None:
    (folder / f"{lesson_id}.md").write_text(
        f"---\nid: {lesson_id}\ntitle: {lesson_id}\norder: {order}\n{extra}---\n\n# {lesson_id}\n\nText.\n{body}",
        encoding="utf-8",
    )


def test_check_accepts_a_gone_id_and_refuses_a_live_one_a_twice_replaced_one_and_a_non_list(tmp_path: Path) -> None:
    lesson_file(tmp_path, "first", 1)
    lesson_file(tmp_path, "second", 2, "replaces: [old-one]\n")
    assert run_check([tmp_path], run_code=False)[1] == 0
    assert Course.load(tmp_path).replaced == {"old-one": "second"}
    lesson_file(tmp_path, "third", 3, "replaces: [first, old-one]\n")
    lesson_file(tmp_path, "fourth", 4, "replaces: 5\n")
    report, code = run_check([tmp_path], run_code=False)
    assert code == 1
    assert "third.md:2: replaces 'first', which is a lesson of this course" in report
    assert "third.md:2: replaces 'old-one', which lesson 'second' already replaces" in report
    assert "fourth.md:5: front matter 'replaces' must be a list of lesson ids" in report
    assert Course.load(tmp_path).replaced == {"old-one": "second"}  # the first in course order keeps it


def test_the_shipped_course_replaces_softmax_preview_with_softmax_regression() -> None:
    course = Course.load(shipped_lessons_dir(), bodies=False)
    assert course.replaced.get(OLD) == NEW
    assert all(lesson.id != OLD for lesson in course.lessons)


def old_learner(data_dir: Path) -> None:
    """What a learner of the old course left in the data folder: progress, an answer, cells, a run."""
    store = ProgressStore.open(data_dir)
    store.visit(OLD)
    store.remember_position(OLD, 3, 2)
    store.complete(OLD)
    store.quizzes[f"{OLD}-outputs"] = {"attempts": 1, "correct": True, "answer": "9", "updated": 1.0}
    assert store.save()
    book = Workbook.open(data_dir)
    book.put(f"{OLD}/{OLD}-softmax", SavedCell(MY_CODE, {"status": "ok", "output": "my own softmax\n"}, 5.0))
    book.put(f"{OLD}/{OLD}-ce", SavedCell("old ce code"))
    book.put(f"{OLD}/#9", SavedCell("a cell known only by its place: it stays"))
    assert book.save()
    SavedRuns(data_dir).save(f"{OLD}/{OLD}-digits", [RUN], 5)


def test_progress_cells_and_runs_carry_over_by_id_never_over_what_the_new_lesson_has(isolated_data_dir: Path) -> None:
    old_learner(isolated_data_dir)
    book = Workbook.open(isolated_data_dir)
    book.put(f"{NEW}/{OLD}-ce", SavedCell("already written in the new lesson"))
    assert book.save()
    before = {p.name: p.read_bytes() for p in (isolated_data_dir / "workbook").glob("*.json")}
    course = Course.load(shipped_lessons_dir())
    store = ProgressStore.open(isolated_data_dir)
    store.last_lesson = OLD
    assert carry_progress(store, course.replaced) == [NEW]
    assert store.status(NEW) == "done" and (store.lesson(NEW).section, store.lesson(NEW).item) == (3, 2)
    assert store.last_lesson == NEW and store.status(OLD) == "done"  # the old entry stays
    assert store.quizzes[f"{OLD}-outputs"]["correct"]  # answers are kept by quiz id: nothing to copy
    assert carry_progress(store, course.replaced) == []  # once only

    book = Workbook.open(isolated_data_dir)
    runs = SavedRuns(isolated_data_dir)
    lesson = course.get(NEW, "en")
    assert lesson is not None
    carried = carry_lesson(lesson, list(course.replaced), book, runs)
    assert carried.cells == (f"{NEW}/{OLD}-softmax",)
    reread = Workbook.open(isolated_data_dir)  # saved to disk, not only in memory
    assert reread.get(f"{NEW}/{OLD}-softmax") == SavedCell(MY_CODE, {"status": "ok", "output": "my own softmax\n"}, 5.0)
    assert reread.get(f"{NEW}/{OLD}-ce") == SavedCell("already written in the new lesson")
    assert reread.get(f"{OLD}/#9") is not None and reread.get(f"{NEW}/#9") is None
    assert (isolated_data_dir / "workbook" / f"{OLD}.json").read_bytes() == before[f"{OLD}.json"]
    assert carry_lesson(lesson, list(course.replaced), reread, runs).cells == ()

    # The digits panel moved to softmax-regression-scratch, keeping its id: its runs follow it there.
    scratch = course.get("softmax-regression-scratch", "en")
    if scratch is None or not any(b.data.get("id") == f"{OLD}-digits" for b in scratch.blocks):
        pytest.skip("softmax-regression-scratch with the panel softmax-preview-digits has not landed yet")
    assert carry_lesson(scratch, list(course.replaced), book, runs).panels == (f"{scratch.id}/{OLD}-digits",)
    assert SavedRuns(isolated_data_dir).runs(f"{scratch.id}/{OLD}-digits", 5) == [RUN]
    assert SavedRuns(isolated_data_dir).runs(f"{OLD}/{OLD}-digits", 5) == [RUN]


async def test_the_app_shows_the_old_lessons_work_in_the_new_lesson(isolated_data_dir: Path) -> None:
    old_learner(isolated_data_dir)
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson=NEW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == NEW
        assert app.progress.status(NEW) == "done"
        await screen.mount_all_now()
        await pilot.pause()
        cells = {cell.key: cell for cell in screen.query(CodeCell)}
        mine = cells[f"{NEW}/{OLD}-softmax"]
        assert mine.editor.text == MY_CODE and "my own softmax" in mine.output_text
        assert cells[f"{NEW}/{OLD}-ce"].editor.text == "old ce code"
        await pilot.press("q")
    saved = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))
    assert saved["lessons"][NEW]["completed"] and saved["lessons"][OLD]["completed"]
    assert saved["last_lesson"] == NEW
    new_cells = json.loads((isolated_data_dir / "workbook" / f"{NEW}.json").read_text(encoding="utf-8"))
    assert new_cells["cells"][f"{NEW}/{OLD}-softmax"]["code"] == MY_CODE


def test_an_export_with_my_work_shows_the_old_lessons_cells_and_writes_nothing_there(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    old_learner(isolated_data_dir)
    args = argparse.Namespace(lesson=NEW, lang="en", output=tmp_path / "nb.ipynb", force=False,
                              with_my_work=True, data_dir=isolated_data_dir, lessons=None)
    notebook = nbformat.read(export_one(args), as_version=4)
    cells = {c.metadata["d2l_tui"]["cell"]: c for c in notebook.cells if "d2l_tui" in c.metadata}
    assert cells[f"{NEW}/{OLD}-softmax"].source == MY_CODE
    assert not (isolated_data_dir / "workbook" / f"{NEW}.json").exists()
