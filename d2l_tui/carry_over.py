"""A learner's work in a lesson that was replaced (`replaces:` in the new one's front matter) carries over.

What is kept where, and how each part follows a lesson that is gone (pure core, no Textual):

- Progress (visited, completed, end reached, position) is kept by lesson id: `carry_progress`
  gives the replacing lesson the old entry when it has none (at start-up: the map shows it),
  and the last lesson read, when it was the old one, becomes the new one.
- Quiz answers are kept by quiz id alone (`progress.json`'s `quizzes`), so a quiz that kept
  its id keeps its answers without any copying, wherever it now lives.
- Saved cells are kept by "lesson/cell id" (`workbook/<lesson>.json`) and training runs by
  "lesson/panel id" (`training-runs.json`): `carry_lesson`, when a lesson opens, takes each of
  its cells and panels that has nothing saved under the new lesson from any replaced lesson that
  saved one under the same id. Matching by id (not by the old lesson's name) lets the parts of one
  old lesson move into several new ones. Cells known only by their position (no `id`) stay put.

Nothing is ever overwritten or deleted: what the new lesson already has wins, and the old entries
stay where they were (harmless: no lesson shows them). Every step is idempotent, so doing it on
every start or every opening costs a few dictionary look-ups and never repeats a copy.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from d2l_tui.course.model import Lesson
from d2l_tui.progress import ProgressStore

if TYPE_CHECKING:  # passed in: importing them here would cost the app's start-up ~15 ms
    from d2l_tui.training.saved import SavedRuns
    from d2l_tui.workbook import Workbook

ALL_RUNS = 1_000
"""More runs than a panel ever keeps: copy every saved run."""


def carry_progress(store: ProgressStore, replaced: Mapping[str, str]) -> list[str]:
    """Give each replacing lesson its old lesson's progress entry when it has none; the ids given it.

    `replaced` maps an old lesson id to the id of the lesson replacing it (`Course.replaced`).
    The store is changed in memory; the app's next save writes it.
    """
    carried = []
    for old, new in replaced.items():
        entry = store.lessons.get(old)
        if entry is not None and new not in store.lessons:
            store.lessons[new] = copy.copy(entry)
            carried.append(new)
    last = store.last_lesson
    if last is not None and last in replaced:
        store.last_lesson = replaced[last]
    return carried


@dataclass(frozen=True)
class Carried:
    """What `carry_lesson` copied into a lesson: cell keys and panel keys."""

    cells: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()


def carry_lesson(
    lesson: Lesson, old_ids: list[str], book: Workbook | None = None, runs: SavedRuns | None = None,
    save: bool = True,
) -> Carried:
    """Copy saved cells and panel runs from replaced lessons (`old_ids`) into `lesson`, matched by id.

    Only cells and panels the lesson has nothing saved for are filled; the workbook is saved when
    a cell was copied (a failed save keeps them in memory, as for any edit), unless `save` is
    False (an export reads the learner's work and writes nothing there). `runs` raises OSError
    when its file cannot be written.
    """
    if not old_ids:
        return Carried()
    cells = _carry_cells(lesson, old_ids, book, save) if book is not None else ()
    panels = _carry_runs(lesson, old_ids, runs) if runs is not None and has_panels(lesson) else ()
    return Carried(cells, panels)


def has_panels(lesson: Lesson) -> bool:
    """True when the lesson has a training panel (whose runs are kept by "lesson/panel id")."""
    return any(block.type == "train" for block in lesson.blocks)


def _carry_cells(lesson: Lesson, old_ids: list[str], book: Workbook, save: bool) -> tuple[str, ...]:
    from d2l_tui.workbook import cell_key, lesson_cells

    carried = []
    for key, block in lesson_cells(lesson):
        cell_id = block.data.get("id")
        if not isinstance(cell_id, str) or not cell_id or book.get(key) is not None:
            continue
        found = next((c for c in (book.get(cell_key(old, cell_id, 0)) for old in old_ids) if c), None)
        if found is not None:
            book.put(key, found)
            carried.append(key)
    if carried and save:
        book.save()
    return tuple(carried)


def _carry_runs(lesson: Lesson, old_ids: list[str], runs: SavedRuns) -> tuple[str, ...]:
    carried = []
    for block in lesson.blocks:
        panel_id = block.data.get("id")
        if block.type != "train" or not isinstance(panel_id, str) or not panel_id:
            continue
        key = f"{lesson.id}/{panel_id}"
        if runs.runs(key, 1):
            continue
        for old in old_ids:
            records = runs.runs(f"{old}/{panel_id}", ALL_RUNS)
            if records:
                runs.save(key, records, ALL_RUNS)
                carried.append(key)
                break
    return tuple(carried)
