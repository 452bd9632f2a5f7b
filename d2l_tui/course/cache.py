"""Parsed lessons kept between runs as JSON: start-up reads them instead of parsing Markdown and YAML.

Parsing the course (markdown-it, YAML, LaTeX) and importing the parsers costs ~60 ms of start-up.
The cache is JSON, never pickle: reading it cannot run code, whoever wrote the file. It lives in
a private folder (0700) and is read only when the learner owns it and nobody else may write it;
an entry whose shape is not a lesson's is ignored and the file parsed again. An entry is used only
while its file's size and modification time are unchanged and the parsing code is the same, so
an edited lesson is always parsed again. Only what one file says is cached: problems found by
comparing files are worked out every run.

`lessons.json` holds the headers; each body is a file of its own in `bodies/`, named by the hash
of its text. Start-up reads the headers and the body of the lesson it opens: one file of 1.6 MB
cost ~7 ms to read and scan, the headers cost ~0.1 ms. A body file whose text does not match its
name (damaged, or written by another run for another entry) is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

from d2l_tui.course.cache_json import body_from_json, lesson_from_json, lesson_to_json
from d2l_tui.course.model import Lesson

CACHE_FILE = "lessons.json"
BODIES = "bodies"
"""The folder, beside the index, of the lessons' bodies (`<hash>.json`)."""
BODY_NAME = re.compile(r"[0-9a-f]{32}")
FORMAT = 4
"""Bump when the cached shape changes in a way the code fingerprint would not notice."""


def code_fingerprint() -> list[object]:
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
    return [FORMAT, __version__, len(stamps), max(stamps, default=0)]


def cache_key(path: Path) -> str:
    """A lesson file's identity in the cache: its absolute path (as named, for a link loop)."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        return os.path.abspath(path)


def file_key(path: Path) -> tuple[int, int] | None:
    """A lesson file's size and modification time: a cached entry is used only while they match.

    Taken before the file is read, so a file edited while it was being parsed is parsed again.
    """
    try:
        stat_result = os.stat(path)
    except OSError:
        return None
    return (stat_result.st_size, stat_result.st_mtime_ns)


def is_private(path: Path) -> bool:
    """True when the learner owns `path` and no one else may write it (always true without uids)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def make_private_folder(folder: Path) -> bool:
    """Create the cache folder readable by its owner only (0700); False when it is not ours."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
            return False
        os.chmod(folder, 0o700)
    except OSError:
        return False
    return True


def body_name(text: bytes) -> str:
    """A body file's name: the hash of its text, so reading it checks it is the text its entry meant."""
    return hashlib.sha256(text).hexdigest()[:32]


def _write_privately(path: Path, payload: bytes) -> None:
    """Write `path` whole or not at all (raises OSError)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lessons-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class LessonCache:
    """A folder's JSON file of parsed lessons, keyed by their files' absolute paths."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_FILE if folder is not None else None
        self.bodies = folder / BODIES if folder is not None else None
        self._fingerprint = code_fingerprint() if folder is not None else None
        self._entries: dict[str, dict[str, Any]] = {}
        self._new_bodies: dict[str, bytes] = {}
        """Bodies parsed in this run and not yet written, by name."""
        self._changed = False
        self._lock = threading.Lock()
        self._read()

    def _read(self) -> None:
        """Load the entries an earlier run wrote; anything unreadable or not private means an empty cache."""
        if self.path is None or not (is_private(self.path.parent) and is_private(self.path)):
            return
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):  # a missing, old or damaged cache is only slower
            return
        if not isinstance(document, dict) or document.get("fingerprint") != self._fingerprint:
            return
        entries = document.get("entries")
        if isinstance(entries, dict):
            self._entries = entries

    def _entry(self, path: Path) -> dict[str, Any] | None:
        """The entry of an unchanged file, or None."""
        with self._lock:
            entry = self._entries.get(cache_key(path))
        if not isinstance(entry, dict) or entry.get("file") != list(file_key(path) or ()):
            return None
        return entry

    def get(self, path: Path) -> Lesson | None:
        """The header of an unchanged file's lesson (`fill_body` reads the rest), or None.

        None also for an entry that fails its check: the file is parsed again.
        """
        entry = self._entry(path)
        if entry is None:
            return None
        # As the caller named it: messages quote the path they were given.
        lesson = lesson_from_json(entry.get("lesson"), Path(path))
        if lesson is None:  # forget the entry: its body is parsed again with the header, and both saved
            with self._lock:
                self._entries.pop(cache_key(path), None)
        return lesson

    def fill_body(self, lesson: Lesson) -> bool:
        """Give a lesson from `get` its sections and body problems; False when they must be parsed."""
        entry = self._entry(lesson.path)
        text = self._body_text(entry.get("body")) if entry is not None else None
        body = body_from_json(text, lesson.path) if text is not None else None
        if body is None:
            return False
        lesson.sections, problems = body
        lesson.problems.extend(problems)
        lesson.body_loaded = True
        return True

    def _body_text(self, name: Any) -> str | None:
        """The text of the body file `name`, when it is private and its text hashes to its name."""
        if not isinstance(name, str) or not BODY_NAME.fullmatch(name) or self.bodies is None:
            return None
        with self._lock:
            text = self._new_bodies.get(name)
        if text is None:
            path = self.bodies / f"{name}.json"
            if not (is_private(self.bodies) and is_private(path)):
                return None
            try:
                text = path.read_bytes()
            except OSError:
                return None
            if body_name(text) != name:
                return None
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, lesson: Lesson, file_key: tuple[int, int] | None, header_problems: int) -> None:
        """Remember a lesson as parsed from its file (only the problems found in the file itself).

        Its first `header_problems` problems came from reading the header.
        """
        if self.path is None or file_key is None or not lesson.body_loaded:
            return
        encoded = lesson_to_json(lesson, header_problems)
        if encoded is None:  # something JSON cannot hold exactly: parse this one every time
            return
        header, body = encoded
        text = body.encode("utf-8")
        name = body_name(text)
        with self._lock:
            self._entries[cache_key(lesson.path)] = {"file": list(file_key), "lesson": header, "body": name}
            self._new_bodies[name] = text
            self._changed = True

    def save(self) -> None:
        """Write the cache if anything was added (atomically, privately); a failure only costs speed.

        The new bodies are written before the index that names them; body files no entry names any
        more (an edited lesson's old body) are removed after it.
        """
        with self._lock:
            if self.path is None or self.bodies is None or not self._changed:
                return
            entries = dict(self._entries)
            document = {"fingerprint": self._fingerprint, "entries": entries}
            new_bodies, self._new_bodies = self._new_bodies, {}
            self._changed = False
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if not (make_private_folder(self.path.parent) and make_private_folder(self.bodies)):
            return
        try:
            for name, text in new_bodies.items():
                _write_privately(self.bodies / f"{name}.json", text)
            _write_privately(self.path, payload)
        except OSError:
            return
        named = {entry.get("body") for entry in entries.values() if isinstance(entry, dict)}
        for path in self.bodies.glob("*.json"):
            if path.stem not in named:
                with contextlib.suppress(OSError):
                    path.unlink()
