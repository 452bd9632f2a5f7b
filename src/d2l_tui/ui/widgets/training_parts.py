"""The small pieces of a training panel: a setting's input, the status line and the results."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from d2l_tui.ui.widgets.loss_chart import Row, StripChart
from d2l_tui.ui.widgets.training_view import PARAMS_WIDTH, RunView, results_height, results_rows

WIDE_RESULTS = PARAMS_WIDTH + 4 + 16
"""From this width on, the epoch losses stand beside w and b instead of below them."""


class SettingInput(Input):
    """A one-line input for one setting; Escape hands the keys back to the panel."""

    BINDINGS = [Binding("escape", "leave", "Back to the panel", id="train-setting-leave")]

    def action_leave(self) -> None:
        """Give focus back to the training panel, whose keys then work again."""
        panel = next((node for node in self.ancestors if getattr(node, "can_focus", False)), None)
        if isinstance(panel, Widget):
            panel.focus()


class SettingField(Horizontal):
    """A setting's name, the input to type a new value in, and what is wrong with it, if anything."""

    DEFAULT_CSS = """
    SettingField { height: auto; }
    SettingField > Label { width: 12; color: $text-muted; }
    SettingField > SettingInput { width: 12; }
    SettingField > .train-field-note { width: 1fr; height: auto; padding: 0 0 0 1; color: $text-muted; }
    SettingField.-invalid > .train-field-note { color: $error; }
    SettingField.-invalid > SettingInput { background: $error 20%; }
    """

    def __init__(self, name: str, value: str) -> None:
        super().__init__(classes="train-field")
        self.setting = name
        self._value = value

    def compose(self) -> ComposeResult:
        yield Label(self.setting)
        yield SettingInput(self._value, name=self.setting, compact=True, select_on_focus=False)
        yield Static("", classes="train-field-note")

    @property
    def input(self) -> SettingInput:
        """The input the learner types in."""
        return self.query_one(SettingInput)

    def show_note(self, note: str, *, invalid: bool) -> None:
        """Say what is wrong with the typed value (or what will happen with it)."""
        self.set_class(invalid, "-invalid")
        self.query_one(".train-field-note", Static).update(note)

    @property
    def note(self) -> str:
        """The text shown beside the input."""
        return str(self.query_one(".train-field-note", Static).render())


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
    """Phase, epoch, step, steps per second and time left, on one line that never changes height."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, view: RunView) -> None:
        super().__init__(classes="train-status")
        self.view = view

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
        resized = results_height(view.config, True) != results_height(self.view.config, True) or results_height(
            view.config, False
        ) != results_height(self.view.config, False)
        self.view = view
        self.invalidate()
        if resized:
            self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return results_height(self.view.config, width >= WIDE_RESULTS)

    def build(self, width: int, height: int) -> list[Row]:
        return results_rows(self.view, width >= WIDE_RESULTS)
