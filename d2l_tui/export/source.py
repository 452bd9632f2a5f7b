"""A lesson file as it was written: its prose as raw Markdown (math kept as `$…$`) between its blocks."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.course.model import Block, Lesson
from d2l_tui.course.prose import make_parser
from d2l_tui.course.reading import read_lesson_text

Segment = str | Block
"""Raw Markdown between blocks, or one interactive block."""


def _fence_spans(text: str) -> dict[int, int]:
    """Each top-level fence's first line (1-based) -> the line after it (0-based end, exclusive)."""
    spans: dict[int, int] = {}
    depth = 0
    for token in make_parser().parse(text):
        if depth == 0 and token.type in ("fence", "front_matter") and token.map:
            spans[token.map[0] + 1] = token.map[1]
        depth += token.nesting
    return spans


def _front_matter_end(text: str) -> int:
    """The 0-based line after the front matter (0 when there is none)."""
    depth = 0
    for token in make_parser().parse(text):
        if depth == 0 and token.type == "front_matter" and token.map:
            return token.map[1]
        depth += token.nesting
    return 0


def segments(lesson: Lesson, text: str | None = None) -> list[Segment]:
    """The lesson's raw prose and its blocks in file order; prose keeps the author's Markdown.

    The parsed `Prose` has math turned into Unicode for the terminal; a notebook wants the `$…$`
    back, so the prose is cut from the file's own lines around the blocks the loader found.
    """
    if text is None:
        text = read_lesson_text(Path(lesson.path))[0] or ""
    lines = text.splitlines()
    spans = _fence_spans(text)
    found: list[Segment] = []
    start = _front_matter_end(text)
    for block in lesson.blocks:
        end = spans.get(block.line)
        if end is None:  # not a fence of this text (the file changed since it was parsed)
            continue
        _add_prose(found, lines[start:block.line - 1])
        found.append(block)
        start = end
    _add_prose(found, lines[start:])
    return found


def _add_prose(found: list[Segment], lines: list[str]) -> None:
    markdown = "\n".join(lines).strip("\n")
    if markdown.strip():
        found.append(markdown)
