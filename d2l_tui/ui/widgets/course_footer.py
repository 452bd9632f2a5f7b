"""The Footer in the course language: each key's words by binding id, Textual's own by description."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from d2l_tui.ui.app_words import key_words
from d2l_tui.ui.reach import lang_of


class CourseFooter(Footer):
    """Textual's Footer, whose key descriptions are the app's words in the course language.

    Textual's Footer draws `Binding.description`, which is one English string per binding class;
    rewriting the descriptions of shared bindings would change them for every screen, so the words
    are swapped on the keys the Footer builds instead.
    """

    def compose(self) -> ComposeResult:
        lang = lang_of(self)
        ids: dict[str, str | None] = {}
        for _, binding, _, _ in self.screen.active_bindings.values():
            ids.setdefault(binding.action, binding.id)  # the Footer shows an action's first binding
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = key_words(lang, ids.get(widget.action), widget.description)
            yield widget
