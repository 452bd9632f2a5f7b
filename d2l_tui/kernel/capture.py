"""A text stream that keeps the first part of a cell's output and counts what it drops."""

from __future__ import annotations

import io


class BoundedOutput(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr in the kernel: keeps at most `max_chars` characters
    and `max_lines` lines, and only counts the rest, so a million-line print stays cheap."""

    def __init__(self, max_chars: int = 200_000, max_lines: int = 10_000) -> None:
        super().__init__()
        self.max_chars = max_chars
        self.max_lines = max_lines
        self.reset()

    def reset(self) -> None:
        """Forget everything written so far (called before each cell)."""
        # Appending to a list is atomic under the GIL, so a streaming thread may read it safely.
        self.pieces: list[str] = []
        self._chars = 0
        self._lines = 0
        self.full = False
        self.dropped_chars = 0
        self.dropped_lines = 0

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """Learner code sometimes asks; the text is Unicode throughout."""
        return "utf-8"

    def writable(self) -> bool:
        """Always writable."""
        return True

    def isatty(self) -> bool:
        """Not a terminal, so libraries skip progress-bar escape codes."""
        return False

    def write(self, text: str) -> int:
        """Keep `text` while there is room, count it otherwise."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.full:
            self._drop(text)
            return len(text)
        kept = self._fit(text)
        if kept:
            self.pieces.append(kept)
            self._chars += len(kept)
            self._lines += kept.count("\n")
        if len(kept) < len(text):
            self.full = True
            self._drop(text[len(kept) :])
        return len(text)

    def _fit(self, text: str) -> str:
        """Return the longest prefix of `text` that stays within both limits."""
        lines_left = self.max_lines - self._lines
        if lines_left <= 0:
            return ""  # not even a partial line after the last one that fits
        kept = text[: self.max_chars - self._chars]
        if kept.count("\n") > lines_left:
            end = -1
            for _ in range(lines_left):
                end = kept.index("\n", end + 1)
            kept = kept[: end + 1]
        return kept

    def _drop(self, text: str) -> None:
        self.dropped_chars += len(text)
        self.dropped_lines += text.count("\n")

    def getvalue(self) -> str:
        """Return what was kept, followed by a note if anything was dropped."""
        text = "".join(self.pieces)
        if not self.full:
            return text
        if text and not text.endswith("\n"):
            text += "\n"
        return text + truncation_note(self.dropped_lines, self.dropped_chars)


def truncation_note(lines: int, chars: int) -> str:
    """Say how much output was left out."""
    noun = "line" if lines == 1 else "lines"
    return f"[output truncated: {lines:,} more {noun} ({chars:,} characters) not shown]\n"
