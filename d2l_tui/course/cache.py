"""Parsed lessons kept between runs: start-up unpickles them instead of parsing Markdown and YAML.

Parsing the course (markdown-it, YAML, LaTeX) and importing the parsers costs ~60 ms of start-up;
unpickling all of it costs ~5 ms. An entry is used only while its file's size and modification
time are unchanged and the parsing code is the same, so an edited lesson is always parsed again.
Only what one file says is cached: problems found by comparing files are worked out every run.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
import threading
from pathlib import Path

from d2l_tui.course.model import Lesson

CACHE_FILE = "lessons.pickle"
FORMAT = 1
"""Bump when the cached shape changes in a way the code fingerprint would not notice."""


def code_fingerprint() -> tuple[object, ...]:
    """What the parse depends on besides the file: d2l-tui's version and its core's source files.

    Directive schemas live with their features (quiz, training, ...), so every module outside
    the UI counts. Stat-ing them costs well under a millisecond.
    """
    from d2l_tui import __version__

    package = Path(__file__).resolve().parents[1]
    stamps = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [name for name in subfolders if name not in ("ui", "__pycache__")]
        stamps += [os.stat(os.path.join(folder, name)).st_mtime_ns for name in files if name.endswith(".py")]
    return (FORMAT, __version__, len(stamps), max(stamps, default=0))


def cache_key(path: Path) -> str:
    """A lesson file's identity in the cache: its absolute path."""
    return str(Path(path).resolve())


def file_key(path: Path) -> tuple[int, int] | None:
    """A lesson file's size and modification time: a cached entry is used only while they match.

    Taken before the file is read, so a file edited while it was being parsed is parsed again.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


class LessonCache:
    """A folder's pickle of parsed lessons, keyed by their files' absolute paths."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_FILE if folder is not None else None
        self._fingerprint = code_fingerprint() if folder is not None else None
        self._entries: dict[str, tuple[tuple[int, int], bytes]] = {}
        self._changed = False
        self._lock = threading.Lock()
        self._read()

    def _read(self) -> None:
        """Load the entries written by an earlier run; anything unreadable means an empty cache."""
        if self.path is None:
            return
        try:
            fingerprint, entries = pickle.loads(self.path.read_bytes())
        except Exception:  # noqa: BLE001 - a missing, old or damaged cache is only slower
            return
        if fingerprint == self._fingerprint and isinstance(entries, dict):
            self._entries = entries

    def get(self, path: Path) -> Lesson | None:
        """The parsed lesson of an unchanged file, or None."""
        with self._lock:
            entry = self._entries.get(cache_key(path))
        if entry is None or entry[0] != file_key(path):
            return None
        try:
            lesson = pickle.loads(entry[1])
        except Exception:  # noqa: BLE001 - parse the file again instead
            return None
        lesson.path = Path(path)  # as the caller named it: messages quote the path they were given
        return lesson

    def put(self, lesson: Lesson, file_key: tuple[int, int] | None) -> None:
        """Remember a lesson as parsed from its file (only the problems found in the file itself)."""
        if self.path is None or file_key is None or not lesson.body_loaded:
            return
        own = dataclasses.replace(lesson, problems=[p for p in lesson.problems if p.scope == "file"])
        blob = pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._entries[cache_key(lesson.path)] = (file_key, blob)
            self._changed = True

    def save(self) -> None:
        """Write the cache if anything was added (atomically); a failure only costs speed later."""
        with self._lock:
            if self.path is None or not self._changed:
                return
            payload = pickle.dumps((self._fingerprint, dict(self._entries)), protocol=pickle.HIGHEST_PROTOCOL)
            self._changed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".lessons-", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, self.path)
        except OSError:
            return
