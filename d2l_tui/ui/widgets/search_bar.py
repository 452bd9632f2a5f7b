"""The search bar at the bottom of a lesson."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from d2l_tui.ui.reach import lang_of
from d2l_tui.words import say_in

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "placeholder": "Search this lesson (Enter: next hit, Esc: close)",
        "missing": "“{query}” is not in this lesson.",
        "hit": "“{query}”: {number} of {count}",
    },
    "zh": {
        "placeholder": "在这一课中搜索（Enter：下一处，Esc：关闭）",
        "missing": "这一课里没有“{query}”。",
        "hit": "“{query}”：第 {number} 处，共 {count} 处",
    },
}
"""The search bar's words per language, and those of the notices the lesson shows for a search."""


class SearchBar(Input):
    """An input that asks the lesson to search; Enter again jumps to the next hit.

    Its messages are `Search` and `Closed`: `Submitted` would shadow `Input.Submitted`.
    """

    DEFAULT_CSS = """
    SearchBar { dock: bottom; display: none; margin-bottom: 1; }  /* above the Footer, not under it */
    SearchBar.-open { display: block; }
    """
    BINDINGS = [Binding("escape", "close", "Close search", id="search-close")]

    @dataclass
    class Search(Message):
        """The learner asked for the next hit of `query`."""

        query: str

    @dataclass
    class Closed(Message):
        """The learner closed the search bar."""

    def __init__(self) -> None:
        # Compact (one row, no border): the notices of its hits sit just above it, over the outline.
        super().__init__(placeholder=LABELS["en"]["placeholder"], compact=True)
        self.lang = "en"

    def on_mount(self) -> None:
        self.lang = lang_of(self)
        self.placeholder = self.message("placeholder")

    def message(self, key: str, **params: object) -> str:
        """The words `key` in the lesson's language, filled with `params`."""
        return say_in(LABELS, self.lang, key, **params)

    def open(self) -> None:
        """Show the bar and focus it."""
        self.add_class("-open")
        self.focus()

    def action_close(self) -> None:
        """Hide the bar and tell the lesson."""
        self.remove_class("-open")
        self.post_message(self.Closed())

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Search(event.value.strip()))
