"""A training panel's list of its last runs, each entry wrapped under its own text, not under its number."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from d2l_tui.ui.widgets.training_view import Entry, history_text

INDENT = 2
"""Columns before each entry's number."""


CHUNKS = {
    "zh": re.compile(r"[^，：]*[，：]|[^，：]+"),
    "en": re.compile(r"[^,:]*[,:]\s*|[^,:]+"),
}
"""Where an entry may break: after a comma or a colon, so a setting ("学习率 lr=0.03，") or a
result ("test loss 3.36") stays whole; a piece wider than the line folds between words."""


def hanging_lines(entry: Entry, width: int, console: Console, lang: str = "en") -> list[Text]:
    """An entry in lines of at most `width` cells, the later ones indented under the text after its
    number; its mark ("← this run") is never split (it goes on a line of its own when it must)."""
    line, mark = entry
    if width <= 0 or line.cell_len + mark.cell_len <= width:
        return [line + mark]
    number = line.plain.find(". ") + 2  # "3. ": the wrapped lines start under the text after it
    indent, room = Text(" " * number), max(8, width - number)
    body, pattern = line[number:], CHUNKS.get(lang, CHUNKS["en"])
    lines = _pack([body[m.start() : m.end()] for m in pattern.finditer(body.plain)], room, console)
    if mark.plain and lines[-1].cell_len + mark.cell_len <= room:
        lines[-1] += mark  # the mark keeps its leading spaces when it follows the text
    elif mark.plain:
        lines.append(mark[len(mark.plain) - len(mark.plain.lstrip()) :])
    return [line[:number] + lines[0], *(indent + part for part in lines[1:])]


def _pack(pieces: list[Text], room: int, console: Console) -> list[Text]:
    """Pieces in lines of at most `room` cells: a new line where the next piece does not fit."""
    lines = [Text("")]
    for piece in pieces:
        size = cell_len(piece.plain.rstrip())
        if lines[-1].plain and lines[-1].cell_len + size > room:
            lines.append(Text(""))
        if size > room:  # wider than a line on its own: rich folds it between words
            lines[-1:] = list(piece.wrap(console, room))
        else:
            lines[-1] += piece
    for part in lines:
        part.rstrip()  # trailing spaces, and wrap's padding
    return lines


class RunList(Static):
    """The runs a panel remembers, newest first; re-wrapped when its width changes."""

    def __init__(self, classes: str = "train-history") -> None:
        super().__init__("", classes=classes)
        self.lang = "en"
        self.entries: list[Entry] = []
        """The runs as `show` was given them, not yet wrapped."""
        self._width = -1

    def show(self, entries: list[Entry], lang: str) -> None:
        """Show these entries (no entries: nothing at all)."""
        self.entries, self.lang = entries, lang
        self._paint()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._paint()

    def _paint(self) -> None:
        self._width = width = self.size.width
        lines = [
            line
            for entry in self.entries
            for line in hanging_lines(entry, width - INDENT, self.app.console, self.lang)
        ]
        self.update(history_text(lines, self.lang))
