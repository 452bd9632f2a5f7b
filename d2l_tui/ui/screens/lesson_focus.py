"""Keys and focus in a lesson: Tab and Shift+Tab between blocks, answer boxes first, letters kept as text.

A mixin of `LessonScreen` (which declares the bindings): Tab from the text goes to a block on
screen, not to the lesson's first; onto a number or code question it puts the cursor in the
answer box, and in any text box letters are text, never app keys (`n` once flipped four
lessons ahead from a code answer).

Focus follows the view: a block that scrolls wholly out of view gives the keys back to the
lesson's text (a learner paged away from a cell with Space, pressed Ctrl+R, and the off-screen
cell ran while the one on screen did not). A text box being typed in keeps focus instead.
"""

from __future__ import annotations

from textual import events, on
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from d2l_tui.course.model import Block
from d2l_tui.ui.app_words import say
from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.text_keys import editable_text_box, is_text_box, keep_letters_in_text_box
from d2l_tui.ui.widgets.prose import ItemWidget, ProseBlock, SectionHeading
from d2l_tui.ui.widgets.search_bar import SearchBar

Ref = tuple[int, int]
TEXT_FIRST_BLOCKS = {"quiz"}
"""Block types whose Tab stop is their answer box (a number or code question), not the card."""
LEFT_BOX_KINDS = {"quiz", "code", "train", "text"}
"""Block types with their own words for "Esc left the text box: the keys act on ... now"."""


class BlockFocus(Screen):
    """Tab, Shift+Tab and Esc among a lesson's blocks and text boxes."""

    _items: dict[Ref, object]
    """The lesson's headings and items by reference (set by the lesson screen)."""
    _leaving_box: Widget | None = None
    """The text box Esc was just pressed in, until focus moves (see `say_where_focus_went`)."""

    def _blocks(self) -> list[ItemWidget]:
        """The mounted interactive blocks (quizzes, cells, panels, cards), in lesson order."""
        return [w for w in self.query(ItemWidget) if not isinstance(w, (ProseBlock, SectionHeading))]

    def _in_a_block(self) -> bool:
        focused = self.focused
        return focused is not None and any(isinstance(node, ItemWidget) for node in focused.ancestors_with_self)

    def action_next_block(self) -> None:
        """Tab: inside a block, the next thing to focus; from the outline or the text, the first
        block on screen (not the lesson's first block, which may be pages above)."""
        if self._in_a_block():
            self._step_focus(forward=True)
            return
        top = self.query_one("#content", VerticalScroll).scroll_y
        blocks = self._blocks()
        # Nothing from here down (the summary at the end): the nearest block above, not the first.
        target = next((b for b in blocks if b.virtual_region.bottom > top), blocks[-1] if blocks else None)
        self._focus_block(target) if target is not None else self.focus_next()

    def action_previous_block(self) -> None:
        """Shift+Tab: the mirror of Tab; from the outline or the text, the last block on screen."""
        if self._in_a_block():
            self._step_focus(forward=False)
            return
        content = self.query_one("#content", VerticalScroll)
        bottom = content.scroll_y + content.scrollable_content_region.height
        blocks = self._blocks()
        target = next((b for b in reversed(blocks) if b.virtual_region.y < bottom), blocks[0] if blocks else None)
        self._focus_block(target) if target is not None else self.focus_previous()

    def _step_focus(self, forward: bool) -> None:
        """Move focus along the chain; landing on a question's card puts the cursor in its box."""
        before = self.focused
        self.focus_next() if forward else self.focus_previous()
        block = self.focused
        if not isinstance(block, ItemWidget) or not self._text_first(block):
            return
        if before is not None and block in before.ancestors:
            self.focus_previous()  # Shift+Tab out of a card's own box: on to what is above the card
            return
        box = editable_text_box(block)
        if box is not None:
            box.focus()

    def _text_first(self, block: ItemWidget) -> bool:
        """True for a block whose Tab stop is its text box (see TEXT_FIRST_BLOCKS)."""
        item = self._items.get(block.ref)
        return isinstance(item, Block) and item.type in TEXT_FIRST_BLOCKS

    def _focus_block(self, block: ItemWidget) -> None:
        """Focus a block, or the first thing in it that takes focus (a cell's editor, a question's box)."""
        box = editable_text_box(block) if self._text_first(block) else None
        if box is not None:
            box.focus()
            return
        if block.focusable:
            block.focus()
            return
        inner = next((w for w in block.query("*") if w.focusable), None)
        if inner is not None:
            inner.focus()

    # Focus follows the view -------------------------------------------------------------------

    def _block_out_of_view(self, focused: Widget) -> bool:
        """True when `focused` sits in a block of the lesson's content that is wholly out of its view."""
        content = self.query_one("#content", VerticalScroll)
        block = next((n for n in focused.ancestors_with_self if isinstance(n, Widget) and n.parent is content), None)
        if block is None:
            return False  # the content itself, the outline, the search bar
        region = block.virtual_region
        if not region.height:
            return False  # not laid out yet (mounted a moment ago): nothing to judge by
        # Where the view is going: focusing a block far away scrolls to it in an animation, and
        # judged at its first steps the block would look out of view and lose the focus it just got.
        animating = self.app.animator.is_being_animated(content, "scroll_y")
        top = content.scroll_target_y if animating else content.scroll_y
        return region.bottom <= top or region.y >= top + content.scrollable_content_region.height

    def focus_follows_view(self) -> None:
        """After a scroll: a block wholly out of view gives the keys back to the lesson's text.

        Wholly, not partly: a tall panel or cell with a line on screen is still what the learner
        looks at. The lesson's text, not the next block, takes focus, so Space keeps paging and
        Tab then picks the first block on screen (`action_next_block`). A text box being typed
        in keeps focus (see `_typing`): a glance away with the wheel, or output growing above,
        must not break the learner's typing; `keys_follow_view` covers its keys.
        """
        focused = self.focused
        if focused is None or _typing(focused) or not self._block_out_of_view(focused):
            return
        self.set_focus(self.query_one("#content", VerticalScroll), scroll_visible=False)

    def keys_follow_view(self, focused: Widget | None) -> None:
        """Before a key acts on a block wholly out of view: a text box comes back into view,
        anything else hands the keys to the lesson's text.

        Scrolling is caught by `focus_follows_view`; this also covers a block pushed out of view
        without a scroll (output growing above it), and runs before the app's non-priority
        bindings, so Ctrl+R cannot run a cell the learner does not see. Priority bindings
        (a cell's F6 and Ctrl+C) are checked before any key handler; only such a push leaves
        them on an unseen cell.
        """
        if focused is None or not self._block_out_of_view(focused):
            return
        content = self.query_one("#content", VerticalScroll)
        if _typing(focused):
            content.scroll_to_widget(focused, animate=False)  # as an editor does: typing shows the cursor
        else:
            self.set_focus(content, scroll_visible=False)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed) -> None:
        """Letters typed into a box out of view bring it back (the box takes them before `on_key`)."""
        if event.control is self.focused:
            self.keys_follow_view(event.control)

    def on_key(self, event: events.Key) -> None:
        """Letters typed in a text box are text; Esc out of one says where the keys went."""
        focused = self.focused
        keep_letters_in_text_box(focused, event)
        self.keys_follow_view(focused)
        # The Esc binding runs after this, in the app's queue: the focus watcher says where it went.
        self._leaving_box = focused if event.key == "escape" and is_text_box(focused) else None

    def say_where_focus_went(self, focused: Widget | None) -> None:
        """After Esc out of a text box, a short notice naming what the keys act on now."""
        box, self._leaving_box = self._leaving_box, None
        if box is None or isinstance(box, SearchBar) or focused is None or is_text_box(focused) or not self.is_current:
            return  # closing the search bar says itself where the keys went
        block = next((n for n in focused.ancestors_with_self if isinstance(n, ItemWidget)), None)
        item = self._items.get(block.ref) if block is not None else None
        kind = item.type if isinstance(item, Block) else "text"
        self.notify(say(lang_of(self), f"left-box-{kind}" if kind in LEFT_BOX_KINDS else "left-box"), timeout=2)


def _typing(widget: Widget) -> bool:
    """True for a text box the learner can type in now (a read-only code answer is not one)."""
    return is_text_box(widget) and not (isinstance(widget, TextArea) and widget.read_only)
