"""The help screen: what the tutor is and which keys do what (as currently mapped)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from d2l_tui.ui.app_words import say
from d2l_tui.ui.reach import lang_of

class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath and of the app."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help-close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 95%; height: 80%; border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.bindings:
            table.add_row(keys, description)
        lang = lang_of(self)
        with VerticalScroll() as scroll:
            scroll.border_title = say(lang, "help-title")
            yield Static(Text(say(lang, "help-intro") + "\n"))
            yield Static(table)
            yield Static(Text("\n" + say(lang, "help-palette"), style="italic"))
