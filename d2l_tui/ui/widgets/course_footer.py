"""The Footer in the course language: each key's words by binding id, Textual's own by description."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from d2l_tui.ui.app_words import key_words
from d2l_tui.ui.reach import lang_of


class CourseFooter(Footer):
    """Textual's Footer, whose key descriptions are the app's words in the course language.

    Textual's Footer draws `Binding.description`, which is one English string per binding class;
    rewriting the descriptions of shared bindings would change them for every screen, so the words
    are swapped on the keys the Footer builds instead. A key that would not fit whole is left out
    (Help lists every key): at 60 columns the palette key, docked right, was drawn over the others
    ("^p 命  面板") and the last key was cut to a stray letter ("q 退").
    """

    def compose(self) -> ComposeResult:
        lang = lang_of(self)
        ids: dict[str, str | None] = {}
        for _, binding, _, _ in self.screen.active_bindings.values():
            ids.setdefault(binding.action, binding.id)  # the Footer shows an action's first binding
        used, room = 0, self.size.width or 10_000  # no width yet: keep every key
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if widget.description:
                    widget.description = key_words(lang, ids.get(widget.action), widget.description)
                if used + key_width(widget) > room:
                    continue  # a key cut in half ("q 退") reads as a stray letter; Help lists them all
                used += key_width(widget)
            yield widget

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)  # the palette key may fit now, or no longer


def key_width(key: FooterKey) -> int:
    """The columns a compact Footer key takes: its key, a space, its words and the gap after it."""
    return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1
