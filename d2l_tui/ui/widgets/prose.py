"""Lesson prose and section headings, rendered with rich's Markdown inside a Static."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown
from rich.segment import Segment
from rich.text import Text
from textual.widgets import Static

from d2l_tui.course.model import Prose, Section

# rich's Markdown in a Static mounts a 300-line lesson ~5x faster than Textual's Markdown widget
# (measured in benchmarks/lesson_open.py), which is what lets long lessons open at once.


class TrimmedMarkdown:
    """rich Markdown without the blank line rich puts before a list or a code block."""

    def __init__(self, markdown: str) -> None:
        self.markdown = Markdown(markdown, code_theme="monokai", hyperlinks=False)
        self._rendered: tuple[tuple[int, int], list[list[Segment]]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Textual renders a widget twice for its first paint (once to measure its height, once
        # to draw it); the lines depend only on the console and the width, so the second is free.
        key = (id(console), options.max_width)
        if self._rendered is None or self._rendered[0] != key:
            # No height limit here: Textual passes the measured (already trimmed) height, and rich
            # would crop to it before the leading blank line is dropped, losing the last line.
            lines = console.render_lines(self.markdown, options.update(height=None), pad=False)
            while lines and not "".join(segment.text for segment in lines[0]).strip():
                lines.pop(0)
            self._rendered = (key, lines)
        for line in self._rendered[1]:
            yield from line
            yield Segment.line()


class ItemWidget(Static):
    """A widget standing for one item of a lesson, so search and positions can find it."""

    def __init__(self, renderable: object, ref: tuple[int, int], **kwargs: object) -> None:
        super().__init__(renderable, **kwargs)  # type: ignore[arg-type]
        self.ref = ref
        """(section index, item index) in the lesson; item -1 is the section heading."""


class ProseBlock(ItemWidget):
    """One paragraph, list, table, quote, code sample or display formula."""

    DEFAULT_CSS = """
    ProseBlock { height: auto; margin: 0 0 1 0; }
    ProseBlock.-math { text-align: center; text-style: italic; }
    """

    def __init__(self, prose: Prose, ref: tuple[int, int]) -> None:
        is_math = prose.kind.startswith("math_block")
        super().__init__(Text(_unescape(prose.markdown)) if is_math else "", ref, classes="-math" if is_math else "")
        self.prose = prose
        self._markdown: TrimmedMarkdown | None = None

    def render(self) -> object:  # type: ignore[override]
        """Build rich's Markdown on first render: blocks far below the fold cost nothing until seen."""
        if self.has_class("-math"):
            return super().render()
        if self._markdown is None:
            self._markdown = TrimmedMarkdown(self.prose.markdown)
        return self._markdown


class SectionHeading(ItemWidget):
    """The heading that opens a section."""

    DEFAULT_CSS = """
    SectionHeading { height: auto; margin: 1 0 1 0; text-style: bold; }
    """

    def __init__(self, section: Section, index: int) -> None:
        super().__init__(Text(section.title), (index, -1), classes=f"-level{section.level}")
        self.section = section


def _unescape(markdown: str) -> str:
    """Drop the Markdown escapes from text shown verbatim (a display formula)."""
    out, escaped = [], False
    for ch in markdown:
        if ch == "\\" and not escaped:
            escaped = True
            continue
        out.append(ch)
        escaped = False
    return "".join(out)
