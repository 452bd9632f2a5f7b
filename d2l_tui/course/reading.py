"""Read a lesson file's text: every way a file can be bad becomes one `Problem` in plain words.

A 40 MB file of nested lists once took markdown-it 40 s and 2.7 GB, so files over `MAX_BYTES`
are refused before parsing. A UTF-8 byte-order mark (Windows editors write one) is accepted.
Terminal control characters are stripped here, once, so titles, prose, options and hints never
carry them to the screen; `check` warns at each line that had one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

from d2l_tui.course.model import Problem
from d2l_tui.sanitize import strip_controls

MAX_BYTES = 2 * 1024 * 1024
"""The largest lesson file read (2 MB: the biggest shipped lesson is ~40 KB)."""

MAX_CONTROL_WARNINGS = 5
"""Lines with control characters named per file; a file full of them gets one more line saying so."""

_NOT_REGULAR = "not a regular file"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _os_words(error: OSError) -> str:
    """Say why the operating system would not read a file, without a traceback's jargon."""
    if error.errno == errno.ELOOP:
        return "cannot read lesson: it is a symbolic link that points back to itself (a link loop)"
    if isinstance(error, IsADirectoryError):
        if error.strerror == _NOT_REGULAR:
            return "cannot read lesson: it is not a regular file (a pipe or a device?)"
        return "cannot read lesson: it is a folder, not a Markdown file (rename it so it does not end in .md)"
    if isinstance(error, FileNotFoundError):
        return "cannot read lesson: the file disappeared while the course was loading (moved or deleted?)"
    if isinstance(error, PermissionError):
        return "cannot read lesson: permission denied"
    return f"cannot read lesson: {error.strerror or error}"


def _decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a byte-order mark dropped), or the line and byte where it stops being UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        byte = data[start : start + 1].hex()
        message = f"cannot read lesson: it is not UTF-8 text (byte 0x{byte} on this line): save it as UTF-8"
        return None, [Problem(path, line, message)]


def control_warnings(path: Path, text: str) -> list[Problem]:
    """One warning per line holding a terminal control character (escape, bell, ...)."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = _CONTROL.search(line.rstrip("\r"))
        if found is None:
            continue
        if len(problems) == MAX_CONTROL_WARNINGS:
            problems.append(Problem(path, number, "more lines hold control characters (not listed)", "warning"))
            break
        problems.append(Problem(
            path, number,
            f"control character U+{ord(found.group()):04X} removed: a lesson's text may not drive the terminal",
            "warning",
        ))
    return problems


MAX_YAML_VALUES = 100_000
"""The most values a block's YAML may expand to: aliases (`*a`) can nest into billions."""


class UnboundedYaml(ValueError):
    """YAML that refers to itself (`&a [*a]`) or whose aliases expand past `MAX_YAML_VALUES`."""


def strip_yaml_controls(value: Any) -> tuple[Any, bool]:
    """A parsed YAML value with controls stripped from every string, and whether any were.

    YAML escapes such as `"\\e"` or `"\\x07"` become control characters only when parsed.
    Raises `UnboundedYaml` for a value that contains itself or expands to too many values
    (JSON, the cache and the widgets all see a value expanded).
    """
    walk = _Walk()
    clean = walk.strip(value)
    return clean, walk.changed


class _Walk:
    """`strip_yaml_controls`'s walk: each shared value (a YAML alias) is cleaned once, and counted
    as often as it is used."""

    def __init__(self) -> None:
        self.done: dict[int, tuple[Any, int]] = {}
        self.open: set[int] = set()
        self.changed = False

    def strip(self, value: Any) -> Any:
        clean, size = self._strip(value)
        if size > MAX_YAML_VALUES:
            raise UnboundedYaml(f"the YAML expands to more than {MAX_YAML_VALUES} values (through aliases)")
        return clean

    def _strip(self, value: Any) -> tuple[Any, int]:
        if isinstance(value, str):
            clean = strip_controls(value)
            self.changed = self.changed or clean != value
            return clean, 1
        if not isinstance(value, (list, dict)):
            return value, 1
        key = id(value)
        if key in self.open:
            raise UnboundedYaml("the YAML refers to itself (an alias inside its own anchor)")
        if key not in self.done:
            self.open.add(key)
            items = value if isinstance(value, list) else value.values()
            parts = [self._strip(item) for item in items]
            size = 1 + sum(part_size for _, part_size in parts)
            if size > MAX_YAML_VALUES:
                raise UnboundedYaml(f"the YAML expands to more than {MAX_YAML_VALUES} values (through aliases)")
            cleaned = [part for part, _ in parts]
            self.done[key] = (cleaned if isinstance(value, list) else dict(zip(value, cleaned)), size)
            self.open.discard(key)
        return self.done[key]


YAML_CONTROLS = ("control characters written as YAML escapes removed: in a double-quoted string a backslash "
                 "starts an escape (\\frac is a form feed, \\eta an escape); use single quotes or a '|' block")


def read_lesson_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The lesson's text with control characters stripped, or None and why it cannot be read."""
    try:
        # Stat first: opening a folder fails, but opening a named pipe would wait forever.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder" if os.path.isdir(path) else _NOT_REGULAR)
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return None, [Problem(path, 0, _os_words(error))]
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        return None, [Problem(path, 0, f"lesson is larger than {limit} MB and was not read: split it into several lessons")]
    text, problems = _decode(path, data)
    if text is None:
        return None, problems
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text) is None:
        return text, []
    return strip_controls(text), control_warnings(path, text)
