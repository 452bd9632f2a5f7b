"""The learner's progress: which lessons were visited or completed, where they stopped, quiz results.

Stored as one JSON file under the data directory, shared safely by two windows: a save takes an
exclusive lock (`progress.lock`), reads the file again if another window wrote it, merges the
entries this window changed since it last read (per lesson, quiz and setting; see
`progress_checks.merge_entry`) into it and writes atomically (a temporary file renamed over the
old one). Values of the wrong type are ignored and named in `warnings`, with the file copied aside;
a file with nothing usable is moved aside, never silently dropped. A save that fails (read-only
folder, full disk) raises nothing: the progress stays in memory, `save_problem` says why, and the
next save tries again.

Saves stay quick: entries are bounded (`progress_checks`), each entry's JSON line is kept and
only changed entries are encoded again, and the file is read again only when it changed.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from d2l_tui.filelock import exclusive_lock
from d2l_tui.progress_checks import LESSON_FIELDS, SECTIONS, TOP, Ignored, Key, check_quiz, clean, merge_entry, shown

FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"
FORMAT_VERSION = 1
_MISSING = object()
RESET: Key = (TOP, "reset")
"""When progress was last reset: another window then forgets what the file no longer has."""


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


@dataclass(frozen=True)
class SaveProblem:
    """Why progress could not be saved: where, the OS error number and its message."""

    where: str
    errno: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


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
    warnings: list[Ignored] = field(default_factory=list)
    """Values in the file that were ignored (wrong type, too big): each names where it was."""
    kept_copy: Path | None = None
    """A copy of the file as it was, made when some of its values were ignored."""
    save_problem: SaveProblem | None = None
    """Why the last save failed; None once a save succeeds."""
    on_save_failed: Callable[[SaveProblem], None] | None = None
    """Called with `save_problem` when saving starts failing (once until a save succeeds again)."""
    _base: dict[Key, Any] = field(default_factory=dict, repr=False)
    """The entries as the file held them when this store last read or wrote it."""
    _lines: dict[Key, str] = field(default_factory=dict, repr=False)
    """Each entry of `_base` as encoded in the file."""
    _disk_id: tuple[int, int, int] | None = field(default=None, repr=False)
    """The file's (inode, size, mtime) when last read or written: another window's save changes it."""
    _extra: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    """Lesson fields a later version wrote, kept as they were."""
    _top: dict[str, Any] = field(default_factory=dict, repr=False)
    """Top-level keys a later version wrote, kept as they were."""
    _resetting: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, data_dir: Path) -> ProgressStore:
        """Open the progress file in `data_dir`; keep a copy of one with bad values, move a useless one aside."""
        path = Path(data_dir) / FILE_NAME
        store = cls(path)
        try:
            raw, disk_id = _read(path)
        except (FileNotFoundError, NotADirectoryError):
            return store  # no file yet (a file in the folder's place is said when saving fails)
        except (OSError, ValueError) as error:
            store._set_aside(f"{type(error).__name__}: {error}")
            return store
        entries, store.warnings = clean(raw)
        if store.warnings and not entries:
            # Named as places and values only: the app shows this in the course language's notice.
            store._set_aside(", ".join(f"{p.where} = {p.value}" for p in store.warnings[:3]))
            return store
        if store.warnings:
            store.kept_copy = _copy_aside(path)
        store._take(entries)
        store._base, store._disk_id = copy.deepcopy(entries), disk_id
        return store

    def _set_aside(self, why: str) -> None:
        """Move the unusable file aside (when it can be moved) and start empty."""
        try:
            self.moved_aside = _move_aside(self.path)
        except OSError:
            self.moved_aside = None  # a read-only folder: the file stays, and saves will say why
        self.error = why

    # Entries -------------------------------------------------------------------------------------

    def entries(self) -> dict[Key, Any]:
        """The store's content as flat entries (see `progress_checks`)."""
        found: dict[Key, Any] = {(TOP, name): value for name, value in self._top.items()}
        found[(TOP, "last_lesson")] = self.last_lesson
        for lesson_id, lesson in self.lessons.items():
            found[("lessons", lesson_id)] = {**self._extra.get(lesson_id, {}), **vars(lesson)}
        found.update((("quizzes", quiz_id), record) for quiz_id, record in self.quizzes.items())
        found.update((("settings", name), value) for name, value in self.settings.items())
        return found

    def _take(self, entries: dict[Key, Any]) -> None:
        """Put entries (read from the file or merged) into the store, replacing those it has."""
        for (section, name), value in entries.items():
            value = copy.deepcopy(value)
            if section == "lessons":
                known = {key: v for key, v in value.items() if key in LESSON_FIELDS}
                self._extra[name] = {key: v for key, v in value.items() if key not in LESSON_FIELDS}
                self.lessons[name] = LessonProgress(**known)
            elif section == "quizzes":
                self.quizzes[name] = value
            elif section == "settings":
                self.settings[name] = value
            elif name == "last_lesson":
                self.last_lesson = value
            else:
                self._top[name] = value

    def _drop(self, key: Key) -> None:
        """Forget an entry another window removed (its progress reset)."""
        section, name = key
        if section in SECTIONS:
            getattr(self, section).pop(name, None)
            if section == "lessons":
                self._extra.pop(name, None)
        elif name == "last_lesson":
            self.last_lesson = None
        else:
            self._top.pop(name, None)

    def ignore_setting(self, name: str) -> None:
        """Drop a setting the app cannot use (a theme it does not have), naming it in `warnings`."""
        if name in self.settings:
            self.warnings.append(Ignored(f"settings.{name}", shown(self.settings.pop(name)), "bad-value"))

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        return _document(self.entries())

    # Saving --------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Merge this window's changes into the file under the lock; False (and `save_problem`) if it failed."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with exclusive_lock(self.path.with_name(LOCK_NAME)):
                self._merge_and_write()
        except OSError as error:
            self._failed(error)
            return False
        self.save_problem = None
        return True

    def _failed(self, error: OSError) -> None:
        """Remember why saving failed; tell `on_save_failed` when this starts a run of failures."""
        first = self.save_problem is None
        self.save_problem = SaveProblem(str(error.filename or self.path.parent), error.errno, error.strerror or str(error))
        if first and self.on_save_failed is not None:
            self.on_save_failed(self.save_problem)

    def _merge_and_write(self) -> None:
        """Read what other windows saved, merge this window's changes into it, write it (lock held)."""
        mine, base = self.entries(), self._base
        dirty = {k for k in mine.keys() | base.keys() if mine.get(k, _MISSING) != base.get(k, _MISSING)}
        read = self._read_theirs()
        if read is None and not dirty and self.path.exists():
            return  # nothing changed here or there
        theirs = base if read is None else read
        if self._resetting:
            theirs = {k: v for k, v in theirs.items() if k[0] == "settings"}
        self._adopt(mine, self._merged(mine, theirs, dirty))
        self._write()
        self._resetting = False

    def _merged(self, mine: dict[Key, Any], theirs: dict[Key, Any], dirty: set[Key]) -> dict[Key, Any]:
        """The file's entries with this window's changes (`dirty`) merged in."""
        base, merged = self._base, dict(theirs)
        if theirs.get(RESET) == base.get(RESET):
            # Gone from the file without a reset: written by a version (or a hand) that never knew it.
            merged.update((k, v) for k, v in mine.items() if k not in theirs and k not in dirty)
        for key in dirty:
            if key in mine:
                merged[key] = self._bounded(key, merge_entry(key, theirs.get(key), mine[key], base.get(key)))
            elif base.get(key) == theirs.get(key):
                merged.pop(key, None)  # removed here (a reset), unchanged there
        return merged

    def _adopt(self, mine: dict[Key, Any], merged: dict[Key, Any]) -> None:
        """Make the merged entries this store's content and its new base (re-encoding changed ones only)."""
        for key in mine.keys() - merged.keys():
            self._drop(key)
        self._take({k: v for k, v in merged.items() if mine.get(k, _MISSING) != v})
        base = self._base
        same = {k for k, v in merged.items() if k in base and k in self._lines and base[k] == v}
        self._lines = {k: self._lines[k] if k in same else _encode(k, v) for k, v in merged.items()}
        self._base = {k: base[k] if k in same else copy.deepcopy(v) for k, v in merged.items()}

    def _bounded(self, key: Key, value: Any) -> Any:
        """A quiz record as it may be stored: an answer too big is cut (and named in `warnings`)."""
        if key[0] != "quizzes":
            return value
        return check_quiz(key[1], value, self.warnings) or {}

    def _read_theirs(self) -> dict[Key, Any] | None:
        """The file's entries if another window changed it since this store last read it, else None."""
        try:
            raw, disk_id = _read(self.path, unless=self._disk_id)
        except FileNotFoundError:
            return None  # removed by hand: write back everything known here
        except ValueError as error:
            # Not ours to trust, not ours to drop: keep it aside and write what this window knows.
            self.moved_aside, self.error = _move_aside(self.path), f"{type(error).__name__}: {error}"
            return None
        if raw is None:
            return None
        self._disk_id = disk_id
        return clean(raw)[0]  # its bad values were named when this store opened, or are another's

    def _write(self) -> None:
        """Write every entry's line atomically: a reader sees the old file or the new one, never half."""
        text = _assemble(self._lines)
        handle, temp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._disk_id = _identity(os.stat(self.path))

    # What the app records ------------------------------------------------------------------------

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

    def reset(self) -> bool:
        """Forget all progress, this window's and other windows' (the caller asks first), and save."""
        self.lessons.clear()
        self.quizzes.clear()
        self._extra.clear()
        self.last_lesson, self._resetting = None, True
        self._top[RESET[1]] = time.time()  # tells other windows the entries they miss were forgotten
        return self.save()


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read(path: Path, unless: tuple[int, int, int] | None = None) -> tuple[Any, tuple[int, int, int]]:
    """The decoded file and its identity; (None, identity) when its identity is `unless` (unchanged).

    Raises ValueError when it is not a progress file of this version, OSError when it cannot be read.
    """
    with open(path, "rb") as handle:
        disk_id = _identity(os.fstat(handle.fileno()))
        if disk_id == unless:
            return None, disk_id
        raw = json.loads(handle.read().decode("utf-8"))
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a d2l-tui progress file of version {FORMAT_VERSION}")
    return raw, disk_id


def _encode(key: Key, value: Any) -> str:
    """One entry as it is written, `"name": value` (compact: C's encoder, where `indent` would use Python's)."""
    return f"{json.dumps(key[1], ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}"


def _document(entries: dict[Key, Any]) -> dict[str, Any]:
    """Flat entries as the file's nested object."""
    document: dict[str, Any] = {"version": FORMAT_VERSION, "last_lesson": None, "lessons": {}, "quizzes": {}, "settings": {}}
    for (section, name), value in entries.items():
        if section == TOP:
            document[name] = value
        else:
            document[section][name] = value
    return document


def _assemble(lines: dict[Key, str]) -> str:
    """The file's text from encoded entries: one entry per line, so a person can read and diff it."""
    ordered = sorted(lines.items())
    top = [line for (section, _), line in ordered if section == TOP]
    if (TOP, "last_lesson") not in lines:
        top.append('"last_lesson": null')
    parts = [f'{{\n"version": {FORMAT_VERSION}', *(f",\n{line}" for line in top)]
    for section in SECTIONS:
        body = ",\n ".join(line for (where, _), line in ordered if where == section)
        parts.append(f',\n"{section}": {{\n {body}\n}}' if body else f',\n"{section}": {{}}')
    parts.append("\n}\n")
    return "".join(parts)


def _copy_aside(path: Path) -> Path | None:
    """Copy a file whose bad values will be dropped on the next save to `progress.kept-<time>.json`."""
    target = _free_name(path, "kept")
    try:
        shutil.copy2(path, target)
    except OSError:
        return None
    return target


def _move_aside(path: Path) -> Path:
    """Rename an unreadable progress file to a unique `progress.corrupt-<time>.json` and return it."""
    target = _free_name(path, "corrupt")
    path.rename(target)
    return target


def _free_name(path: Path, kind: str) -> Path:
    """`progress.<kind>-<time>.json`, numbered when taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{kind}-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{kind}-{stamp}-{counter}{path.suffix}")
        counter += 1
    return target
