"""Saved cells: each code cell's edited code and last output, per learner, lesson and cell (pure).

Kept in the data folder (`workbook/<lesson id>.json`, one small file per lesson, so a save
rewrites one lesson's cells, not the course's), never in the lesson file. A save merges only the
cells that changed into what is on disk, under a lock, so two windows on one data folder lose
nothing; a disk that cannot be written keeps the cells in memory and says so once.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from d2l_tui.course.model import Block, Lesson
from d2l_tui.filelock import exclusive_lock

WORKBOOK_DIR = "workbook"
"""The folder in the data folder holding one JSON file per lesson."""
LOCK_FILE = ".lock"
_NAME_ERROR = re.compile(r"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


RESULT_FIELDS: dict[str, tuple[type, ...]] = {
    "status": (str,), "output": (str,), "value_repr": (str,), "error": (str,), "duration_s": (int, float),
    "dropped_lines": (int,), "dropped_chars": (int,), "exit_code": (int,), "kernel_log": (str,),
    "restarted": (bool,), "notices": (list,), "missing_name": (str,), "missing_module": (str,),
}
"""What is kept of a run's result (the kernel's `CellResult`, as text): enough to show it again,
in whichever language the learner reads then."""


@dataclass(frozen=True)
class SavedCell:
    """One cell as the learner left it: the code, and the result of its last run (if any)."""

    code: str
    result: dict[str, Any] | None = None
    """The last run's result (RESULT_FIELDS); None if never run."""
    ran_at: float = 0.0
    """When the learner last ran it (seconds since the epoch); 0 if never."""

    @property
    def ran(self) -> bool:
        """True once the learner has run this cell."""
        return self.result is not None

    @property
    def status(self) -> str:
        """How the last run ended ('ok', 'error', 'interrupted', 'timeout', 'died'); '' if never run."""
        return str(self.result.get("status", "")) if self.result else ""

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "result": self.result, "ran_at": self.ran_at}

    @classmethod
    def from_json(cls, data: object) -> SavedCell | None:
        """A saved cell from its JSON, or None when it is not one (a hand-edited file)."""
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return None
        raw = data.get("result")
        result = {k: v for k, v in raw.items() if isinstance(v, RESULT_FIELDS.get(k, ()))} if isinstance(raw, dict) else None
        if result is not None and not isinstance(result.get("status"), str):
            result = None
        ran_at = data.get("ran_at", 0.0)
        return cls(data["code"], result, float(ran_at) if isinstance(ran_at, (int, float)) else 0.0)


def lesson_cells(lesson: Lesson) -> list[tuple[str, Block]]:
    """(key, block) of a lesson's usable code blocks, in order."""
    blocks = [block for block in lesson.blocks if block.type == "code" and not block.broken]
    return [(cell_key(lesson.id, block.data.get("id"), index), block) for index, block in enumerate(blocks)]


def cells_above(lesson: Lesson, block: Block, book: Workbook, ran_only: bool) -> list[tuple[str, str]]:
    """(key, current code) of the code cells above `block`; with `ran_only`, only those the
    learner last ran without error (their variables are worth restoring)."""
    above: list[tuple[str, str]] = []
    for key, other in lesson_cells(lesson):
        if other is block:
            break
        saved = book.get(key)
        if ran_only and (saved is None or saved.status != "ok"):
            continue
        above.append((key, saved.code if saved is not None else other.data["code"].rstrip("\n")))
    return above


def cell_key(lesson_id: str, block_id: object, index: int) -> str:
    """A cell's key: the lesson and the block's `id`, else its index among the lesson's code blocks.

    The zh and en files of a lesson have the same blocks in the same order, so a cell keeps its
    work across a language switch.
    """
    return f"{lesson_id}/{block_id}" if isinstance(block_id, str) and block_id else f"{lesson_id}/#{index}"


@dataclass
class Workbook:
    """The saved cells of one data folder, one file per lesson, each read when first needed; thread-safe."""

    folder: Path
    cells: dict[str, SavedCell] = field(default_factory=dict)
    """The cells of the lessons read so far, by key ("lesson/cell")."""
    error: str | None = None
    """Why the last save failed (the cells are then kept in memory only); None when it worked."""
    _dirty: set[str] = field(default_factory=set)
    _stamps: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    """Each lesson file's (mtime, size) when last read or written: a change means another window saved."""
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def open(cls, folder: Path) -> Workbook:
        """The workbook of a data folder (nothing is read until a lesson's cells are asked for)."""
        return cls(Path(folder))

    def path(self, lesson_id: str) -> Path:
        """The file holding one lesson's cells."""
        return self.folder / WORKBOOK_DIR / f"{_file_name(lesson_id)}.json"

    def get(self, key: str) -> SavedCell | None:
        with self._lock:
            self._read_lesson(_lesson_of(key))
            return self.cells.get(key)

    def put(self, key: str, cell: SavedCell) -> None:
        """Keep a cell's new state in memory; `save()` writes it."""
        with self._lock:
            self._read_lesson(_lesson_of(key))
            if self.cells.get(key) != cell:
                self.cells[key] = cell
                self._dirty.add(key)

    def edit(self, key: str, code: str) -> None:
        """The learner changed a cell's code."""
        with self._lock:
            old = self.get(key)
            self.put(key, replace(old, code=code) if old else SavedCell(code))

    def _read_lesson(self, lesson_id: str) -> None:
        """Read a lesson's file the first time, and again when another window has saved it since
        (its cells replace ours, except those changed here and not saved yet)."""
        path = self.path(lesson_id)
        stamp = _stamp(path)
        if lesson_id in self._stamps and self._stamps[lesson_id] == stamp:
            return
        self._stamps[lesson_id] = stamp
        for key, cell in _read(path).items():
            if key not in self._dirty:
                self.cells[key] = cell

    def save(self) -> bool:
        """Merge the changed cells into their lessons' files (taking in newer cells another window
        saved there); False (and `error` set) if a file could not be written."""
        with self._lock:
            lessons = {_lesson_of(key) for key in self._dirty}
        ok = True
        for lesson_id in sorted(lessons):
            ok = self._save_lesson(lesson_id) and ok
        return ok

    def _save_lesson(self, lesson_id: str) -> bool:
        path = self.path(lesson_id)
        with self._lock:
            dirty = {key: self.cells[key] for key in self._dirty if _lesson_of(key) == lesson_id}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with exclusive_lock(self.folder / WORKBOOK_DIR / LOCK_FILE):
                merged = _read(path)
                merged.update(dirty)
                _write(path, merged)
                stamp = _stamp(path)
        except OSError as error:
            self.error = f"{path}: {error.strerror or error}"
            return False
        with self._lock:
            self._dirty -= {key for key, cell in dirty.items() if self.cells.get(key) == cell}
            self._stamps[lesson_id] = stamp
            for key, cell in merged.items():  # what another window saved meanwhile
                if key not in self._dirty:
                    self.cells[key] = cell
        self.error = None
        return True


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size; None when it does not exist (or cannot be read)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _lesson_of(key: str) -> str:
    return key.partition("/")[0]


def _file_name(lesson_id: str) -> str:
    """A file name for a lesson id: the id itself when it is safe, else a safe form and a hash."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", lesson_id).lstrip(".") or "_"
    if safe == lesson_id:
        return safe
    return f"{safe[:60]}-{hashlib.sha256(lesson_id.encode()).hexdigest()[:8]}"


def _read(path: Path) -> dict[str, SavedCell]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    cells = raw.get("cells") if isinstance(raw, dict) else None
    if not isinstance(cells, dict):
        return {}
    found = {key: SavedCell.from_json(data) for key, data in cells.items() if isinstance(key, str)}
    return {key: cell for key, cell in found.items() if cell is not None}


def _write(path: Path, cells: dict[str, SavedCell]) -> None:
    """Write atomically: a temporary file beside it, then a rename."""
    data = {"version": 1, "cells": {key: cell.to_json() for key, cell in sorted(cells.items())}}
    handle, temp = tempfile.mkstemp(prefix=".workbook-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=1)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# Which cells a cell depends on -------------------------------------------------------------


def missing_name(error: str | None) -> str | None:
    """The name a `NameError` says is not defined, from the error's text."""
    match = _NAME_ERROR.search(error or "")
    return match.group(1) if match else None


def defined_names(code: str) -> set[str]:
    """The names a cell binds at its top level (assignments, defs, imports, loop targets)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue  # what a function or class body binds stays inside it
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        todo.extend(ast.iter_child_nodes(node))
    return names


def defining_cell(name: str, codes_above: Sequence[str]) -> int | None:
    """The index of the nearest cell above that defines `name`; None when none does."""
    return next((i for i in reversed(range(len(codes_above))) if name in defined_names(codes_above[i])), None)
