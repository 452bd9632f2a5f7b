"""The small pieces of a training panel: item lines, the status line and the results."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from d2l_tui.ui.widgets.loss_chart import Row, StripChart

# The settings' widgets moved to training_settings; other features' code imports them from here.
from d2l_tui.ui.widgets.training_settings import SettingField, SettingInput  # noqa: F401
from d2l_tui.ui.widgets.training_view import PARAMS_WIDTH, RunView, results_height, results_rows

WIDE_RESULTS = PARAMS_WIDTH + 4 + 16
"""From this width on, the epoch losses stand beside w and b instead of below them."""


class ItemLine(Widget):
    """Short items joined by " · " that wrap only between items, never inside one."""

    DEFAULT_CSS = "ItemLine { height: auto; }"

    def __init__(self, items: list[str], classes: str = "") -> None:
        super().__init__(classes=classes)
        self.items = items

    def lines(self, width: int) -> list[str]:
        """The items laid out in lines of at most `width` cells."""
        lines: list[str] = []
        for item in self.items:
            if lines and cell_len(lines[-1]) + 3 + cell_len(item) <= width:
                lines[-1] += " · " + item
            else:
                lines.append(item)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n".join(self.lines(self.size.width)))


class StatusLine(Widget):
    """Phase, epoch, step, steps per second and time left; wraps where even the short form is too wide.

    The lesson is laid out again only when the number of lines changes, not at every repaint.
    """

    DEFAULT_CSS = "StatusLine { height: auto; }"

    def __init__(self, view: RunView) -> None:
        super().__init__(classes="train-status")
        self.view = view
        self._lines = 1

    def _count(self, width: int) -> int:
        return max(1, len(self.view.status(width).wrap(self.app.console, max(1, width))))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._lines = self._count(width)
        return self._lines

    def repaint(self) -> None:
        """Show the view's new state; lay out again only when it needs another number of lines."""
        width = self.content_region.width
        self.refresh(layout=width > 0 and self._count(width) != self._lines)

    def render(self) -> Text:
        return self.view.status(self.size.width)


class ResultsView(StripChart):
    """Per-epoch losses, and the learned w and b next to the true and exact ones.

    Its height depends on the settings only, so repainting it while training costs no layout.
    """

    DEFAULT_CSS = "ResultsView { height: auto; margin: 1 0 0 0; }"

    def __init__(self, view: RunView) -> None:
        super().__init__()
        self.add_class("train-results")
        self.view = view

    def show(self, view: RunView) -> None:
        """Show another run; the lesson is laid out again only if the height changes with it."""
        resized = results_height(view.config, True) != results_height(
            self.view.config, True
        ) or results_height(view.config, False) != results_height(self.view.config, False)
        self.view = view
        self.invalidate()
        if resized:
            self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return results_height(self.view.config, width >= WIDE_RESULTS)

    def build(self, width: int, height: int) -> list[Row]:
        return results_rows(self.view, width >= WIDE_RESULTS)
