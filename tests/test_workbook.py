"""Saved cells, folder trust and the kernel pool's memory, without the app (pure core, real kernels)."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.trust import TrustStore
from d2l_tui.ui.kernels import KernelPool
from d2l_tui.workbook import SavedCell, Workbook, cell_key, defining_cell, missing_name


def test_two_windows_saving_different_cells_lose_nothing(tmp_path: Path) -> None:
    left, right = Workbook.open(tmp_path), Workbook.open(tmp_path)
    left.edit("l/#0", "x = 1")
    right.edit("l/#1", "y = 2")
    right.put("l/#2", SavedCell("z", {"status": "ok", "value_repr": "3"}, ran_at=1.0))
    assert left.save() and right.save()
    left.edit("l/#0", "x = 10")  # a later edit in one window keeps the other's cells
    assert left.save()
    fresh = Workbook.open(tmp_path)
    fresh.get("l/#0")  # reads the lesson's file
    cells = fresh.cells
    assert {key: cell.code for key, cell in cells.items()} == {"l/#0": "x = 10", "l/#1": "y = 2", "l/#2": "z"}
    assert cells["l/#2"].ran and cells["l/#2"].status == "ok" and not cells["l/#0"].ran
    assert left.get("l/#1") is not None  # the other window's cells are read back on save
    right.edit("l/#1", "y = 20")
    assert right.save()
    assert left.get("l/#1") == SavedCell("y = 20")  # a file another window saved is read again


def test_a_disk_that_cannot_be_written_keeps_the_cells_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    book = Workbook.open(blocked)
    book.edit("l/#0", "x = 1")
    assert not book.save() and book.error and str(blocked) in book.error
    assert book.get("l/#0") == SavedCell("x = 1")


def test_a_damaged_workbook_reads_as_empty(tmp_path: Path) -> None:
    cells = '{"a": {"code": 3}, "b": {"code": "ok", "result": {"status": 1}}, "c": {"code": "", "result": {"status": "ok", "output": 5}}}'
    path = Workbook.open(tmp_path).path("l")
    path.parent.mkdir()
    keyed = cells.replace('"a"', '"l/a"').replace('"b"', '"l/b"').replace('"c"', '"l/c"')
    path.write_text(f'{{"cells": {keyed}}}')
    book = Workbook.open(tmp_path)
    assert book.get("l/a") is None and book.get("l/b") is not None and not book.get("l/b").ran
    assert book.get("l/c").result == {"status": "ok"}
    path.write_text("{not json")
    assert Workbook.open(tmp_path).get("l/b") is None


def test_each_lesson_has_a_file_of_its_own(tmp_path: Path) -> None:
    book = Workbook.open(tmp_path)
    book.edit("linear-algebra/#0", "x = 1")
    book.edit("odd id?/#0", "y = 2")
    assert book.save()
    names = sorted(p.name for p in (tmp_path / "workbook").glob("*.json"))
    assert names[0] == "linear-algebra.json" and names[1].startswith("odd_id_-")
    assert Workbook.open(tmp_path).get("odd id?/#0") == SavedCell("y = 2")


def test_cells_are_keyed_by_block_id_else_index() -> None:
    assert cell_key("ndarray", "ndarray-reshape", 3) == "ndarray/ndarray-reshape"
    assert cell_key("ndarray", None, 3) == "ndarray/#3"


def test_which_cell_above_defines_a_missing_name() -> None:
    error = "Traceback (most recent call last):\n  File \"<cell>\", line 1\nNameError: name 'net' is not defined"
    assert missing_name(error) == "net"
    assert missing_name("ZeroDivisionError: division by zero") is None
    above = ["import mxnet as mx\nX = nd.ones(3)", "def f():\n    net = 1\n", "for net in range(2): pass", "y = 1"]
    assert defining_cell("net", above) == 2  # the loop binds it; inside f() it stays local
    assert defining_cell("mx", above) == 0 and defining_cell("f", above) == 1
    assert defining_cell("nothing", above) is None


def test_trust_is_asked_per_folder_and_kept(tmp_path: Path) -> None:
    store = TrustStore.open(tmp_path / "data")
    course = tmp_path / "course"
    course.mkdir()
    assert store.answer(shipped_lessons_dir()) is True
    assert store.answer(course) is None
    assert store.remember(course / ".." / "course", False)  # kept under the resolved path
    assert TrustStore.open(tmp_path / "data").answer(course) is False
    store.remember(course, True)
    assert TrustStore.open(tmp_path / "data").answer(course) is True

    blocked = tmp_path / "file"
    blocked.write_text("")
    unsaved = TrustStore.open(blocked)
    assert not unsaved.remember(course, True) and unsaved.error
    assert unsaved.answer(course) is True  # for this session


def test_a_kernel_the_learner_used_is_not_closed_to_make_room() -> None:
    pool = KernelPool(max_alive=2)
    try:
        with pool.holding("used") as kernel:
            assert kernel.run("v = 42").ok
        pool.note_used("used")
        with pool.holding("__quiz__"):  # lent to a grader: not a namespace to keep
            pass
        pool.warm("visited")
        pool.warm("newest")
        assert pool.alive == ["used", "newest"]  # those only visited or lent went, not the one used
        assert pool.run("used", "v").value_repr == "42"
    finally:
        pool.close_all()


def test_the_cells_run_in_a_kernel_are_forgotten_when_it_restarts() -> None:
    pool = KernelPool(max_alive=2)
    try:
        kernel = pool.warm("lesson")
        pool.mark_executed("lesson", kernel, "lesson/#0")
        pool.mark_executed("lesson", kernel, "lesson/#1")
        pool.mark_executed("lesson", kernel, "lesson/#0")
        assert pool.executed("lesson", kernel) == ["lesson/#1", "lesson/#0"]
        pool.restart("lesson")
        assert pool.executed("lesson", kernel) == []
    finally:
        pool.close_all()


def test_workbook_and_trust_are_pure_core() -> None:
    import subprocess
    import sys

    code = "import d2l_tui.workbook, d2l_tui.trust, sys; print(' '.join(sys.modules))"
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not {m for m in modules if m.split(".")[0] in ("textual", "numpy", "mxnet")}
