"""The parsed shape of a course: lessons, their sections, prose and interactive blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a lesson file, located to a line."""

    path: Path
    line: int
    message: str
    severity: Severity = "error"
    scope: Literal["file", "course"] = "file"
    """"course" when found by comparing files (duplicate ids, translations): never cached with one file."""

    def __str__(self) -> str:
        # Line 0 stands for the whole file (unreadable, missing, too large): `path: message`.
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Prose:
    """A top-level Markdown block (paragraph, list, table, code, quote, math), ready to render."""

    markdown: str
    """Markdown source with math already turned into Unicode and CJK line breaks joined."""
    line: int
    """1-based line in the lesson file where the block starts."""
    kind: str
    """The markdown-it token type that opened the block (`paragraph_open`, `fence`, ...)."""

    @property
    def text(self) -> str:
        """The text a learner would search in."""
        return self.markdown


@dataclass
class Block:
    """An interactive directive: a fenced block whose info string names it and whose body is YAML."""

    type: str
    line: int
    data: dict[str, Any]
    source: str
    known: bool = True
    problems: list[Problem] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text a learner would search in: the block's YAML body."""
        return self.source

    @property
    def broken(self) -> bool:
        """True when the block has an error and cannot be used."""
        return any(p.severity == "error" for p in self.problems)


Item = Union[Prose, Block]


@dataclass
class Section:
    """A heading and what follows it, up to the next heading of level 1 or 2."""

    title: str
    level: int
    line: int
    items: list[Item] = field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        """The interactive blocks in this section."""
        return [item for item in self.items if isinstance(item, Block)]


@dataclass
class Lesson:
    """One lesson file in one language."""

    id: str
    lang: str
    title: str
    order: float
    path: Path
    summary: str = ""
    requires: list[str] = field(default_factory=list)
    minutes: int | None = None
    replaces: list[str] = field(default_factory=list)
    """Ids of old lessons this one takes the place of: their progress and saved work carry over."""
    sections: list[Section] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    body_loaded: bool = False
    """False until the sections are parsed (the app reads headers first, bodies later)."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors, not warnings."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def broken(self) -> bool:
        """True when anything in the lesson is an error."""
        return bool(self.errors)

    @property
    def blocks(self) -> list[Block]:
        """Every interactive block of the lesson, in order."""
        return [block for section in self.sections for block in section.blocks]
