"""Keys typed into a text box stay text: no single-letter app or screen key fires from inside one.

Textual checks a screen's and the app's bindings when the focused widget lets a key bubble up.
An editable Input or TextArea takes every printable key, but a read-only one (a checked code
answer) lets them through, and so `n` flipped to the next lesson from inside an answer box.
Screens that hold text boxes call `keep_letters_in_text_box` from their `on_key`.
"""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, TextArea


def is_text_box(widget: DOMNode | None) -> bool:
    """True for a widget the learner types text into (an Input or a TextArea)."""
    return isinstance(widget, (Input, TextArea))


def editable_text_box(block: Widget) -> Widget | None:
    """The first text box in `block` that takes focus and typing now, if any."""
    for widget in block.query("Input, TextArea"):
        if widget.focusable and not (isinstance(widget, TextArea) and widget.read_only):
            return widget
    return None


def keep_letters_in_text_box(focused: Widget | None, event: events.Key) -> None:
    """Stop a printable key that reached a screen from a focused text box before any binding sees it."""
    if is_text_box(focused) and event.is_printable:
        event.stop()
        event.prevent_default()
