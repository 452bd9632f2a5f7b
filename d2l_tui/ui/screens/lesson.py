"""The lesson screen: an outline of sections beside the lesson's content, with search."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets._toast import ToastRack
from textual.widgets.option_list import Option

from d2l_tui.course.model import Block, Lesson, Prose, Section
from d2l_tui.ui.app_words import say
from d2l_tui.ui.collector import CollectorPause
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.screens.lesson_focus import BlockFocus
from d2l_tui.ui.widgets.blocks import make_block_widget
from d2l_tui.ui.widgets.course_footer import CourseFooter
from d2l_tui.ui.widgets.prose import ItemWidget, ProseBlock, SectionHeading
from d2l_tui.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from d2l_tui.ui.widgets.quiz_card import QuizCard
    from d2l_tui.ui.widgets.training_panel import TrainingPanel

FIRST_PAINT_ITEMS = 8
"""How many widgets are mounted before the first paint; the rest follow in batches."""
BATCH = 8
OUTLINE_MIN_WIDTH = 70
"""Below this many columns the outline hides (its titles wrapped mid-word in 16 columns); `o` shows it."""

Ref = tuple[int, int]


def lesson_refs(lesson: Lesson) -> Iterator[tuple[Ref, object]]:
    """Every heading and item of a lesson with its (section, item) reference, in order."""
    for s_index, section in enumerate(lesson.sections):
        yield (s_index, -1), section
        for i_index, item in enumerate(section.items):
            yield (s_index, i_index), item


class LessonContent(VerticalScroll):
    """The scrolling column holding a lesson's headings, prose and interactive blocks."""


class LessonScreen(BlockFocus):
    """Shows one lesson; remembers where the learner is."""

    AUTO_FOCUS = "#content"
    """The lesson's text takes the keys when the screen opens (Textual's default, the first focusable, is the outline)."""

    BINDINGS = [
        Binding("escape", "back", "Map", id="back"),
        Binding("n", "app.next_lesson", "Next", id="next-lesson"),
        Binding("p", "app.previous_lesson", "Prev", id="previous-lesson"),
        Binding("slash", "search", "Search", id="search"),
        Binding("f3", "next_hit", "Next hit", show=False, id="next-hit"),
        Binding("j", "scroll('down')", "Down", show=False, id="scroll-down"),
        Binding("k", "scroll('up')", "Up", show=False, id="scroll-up"),
        Binding("space", "scroll('page_down')", "Page down", show=False, id="page-down"),
        Binding("b", "scroll('page_up')", "Page up", show=False, id="page-up"),
        Binding("g", "scroll('home')", "Top", show=False, id="top"),
        Binding("G", "scroll('end')", "Bottom", show=False, id="bottom"),
        Binding("o", "focus_outline", "Outline", show=False, id="focus-outline"),
        Binding("tab", "next_block", "Next block", show=False, id="next-block"),
        Binding("shift+tab", "previous_block", "Previous block", show=False, id="previous-block"),
    ]

    def __init__(self, lesson: Lesson, position: Ref = (0, -1)) -> None:
        super().__init__()
        self.lesson = lesson
        self.position: Ref = position
        self._refs = list(lesson_refs(lesson))
        self._items = dict(self._refs)
        self._first = 0
        """Index in `_refs` of the first mounted widget (a deep jump paints from its target down)."""
        self._stop = 0
        """One past the index of the last mounted widget."""
        self._hits: list[Ref] = []
        self._hit_index = -1
        self._query = ""
        self.opened_at = time.perf_counter()
        self._resume_at = position
        self.first_paint_at: float | None = None
        """When the first section reached the terminal (benchmarks/lesson_open.py reads it)."""
        self._collector: CollectorPause | None = None

    def hold_collector(self, collector: CollectorPause) -> None:
        """Pause the garbage collector until this lesson's first section is painted."""
        collector.begin()
        self._collector = collector

    def release_collector(self) -> None:
        """End this screen's pause of the garbage collector, if it still holds one."""
        if self._collector is not None:
            self._collector.end()
            self._collector = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*[Option(Text(s.title), id=f"s{i}") for i, s in enumerate(self.lesson.sections)], id="outline")
            with LessonContent(id="content"):
                if self.lesson.broken:
                    yield Static(self._problem_text(), id="problems")
                # The first paint holds the place the lesson opens at (its top, a palette jump's
                # section, where the learner stopped); what follows mounts in batches, then what is
                # above. Mounting everything before a deep jump's first paint took 2.2 s, not 0.2.
                self._first = self._index_of(self.position)
                self._stop = self._first + self._first_paint_size(self._first)
                yield from self._widgets(self._first, self._stop)
        yield SearchBar()

    @property
    def fully_mounted(self) -> bool:
        """True once every heading and item of the lesson has its widget."""
        return self._first == 0 and self._stop >= len(self._refs)

    def _problem_text(self) -> Text:
        text = Text(say(lang_of(self), "lesson-problems") + "\n", style="bold")
        for problem in self.lesson.errors:
            text.append(f"✘ {problem}\n", style="red")
        return text

    def _first_paint_size(self, start: int) -> int:
        """How many widgets the first paint holds from `start`: to its section's end, at most FIRST_PAINT_ITEMS.

        Stopping at the section's end keeps a quiz or a panel of the next section (an editor,
        inputs, a chart) out of the first paint; they mount a moment later with the rest.
        """
        size = 1
        while start + size < len(self._refs) and self._refs[start + size][0][1] != -1:
            size += 1
        return max(2, min(FIRST_PAINT_ITEMS, size))

    def _index_of(self, ref: Ref) -> int:
        return next((i for i, (r, _) in enumerate(self._refs) if r == ref), 0)

    def _widgets(self, start: int, stop: int) -> list[ItemWidget]:
        """Build the widgets for refs[start:stop] (the caller counts them as mounted before awaiting)."""
        widgets: list[ItemWidget] = []
        for ref, item in self._refs[start:stop]:
            if isinstance(item, Section):
                widgets.append(SectionHeading(item, ref[0]))
            elif isinstance(item, Block):
                widgets.append(make_block_widget(item, ref))
            elif isinstance(item, Prose):
                widgets.append(ProseBlock(item, ref))
        return widgets

    def on_mount(self) -> None:
        # The screen's own sub_title, never the app's: Textual's Header watches app.sub_title from
        # every screen and raises NoMatches if it changes while a screen is being removed.
        self.sub_title = self.lesson.title
        self.query_one(LessonContent).focus()
        self.call_after_refresh(self._first_painted)
        self.watch(self.query_one(LessonContent), "scroll_y", self._scrolled, init=False)
        self.watch(self, "focused", self._focus_moved, init=False)
        self._fit_outline()

    @work(exclusive=True, group="lesson-mount")
    async def mount_rest(self) -> None:
        """Mount what follows the first paint in batches, yielding between them, then what is above it."""
        content = self.query_one(LessonContent)
        while self._stop < len(self._refs):
            start, self._stop = self._stop, min(self._stop + BATCH, len(self._refs))
            await content.mount_all(self._widgets(start, self._stop))
            await asyncio.sleep(0)
        await self._mount_above()
        self.call_after_refresh(self._check_short_lesson)

    async def _mount_above(self) -> None:
        """Mount everything above the first painted widget at once, keeping the same widget at the top."""
        if self._first == 0:
            return
        content = self.query_one(LessonContent)
        anchor = self.widget_for(self._refs[self._first][0])
        at_top = self.widget_for(self.position) or anchor
        stop, self._first = self._first, 0
        await content.mount_all(self._widgets(0, stop), before=anchor)
        if at_top is not None:
            self._scroll_to_top(at_top)

    def _check_short_lesson(self) -> None:
        """A lesson that fits on one screen is read to its end as soon as it is shown."""
        if self.is_current and self.at_end():
            tutor_app(self).lesson_reached_end(self)

    async def mount_all_now(self) -> None:
        """Mount everything still missing at once (search needs every widget)."""
        if self._stop < len(self._refs):
            start, self._stop = self._stop, len(self._refs)
            await self.query_one(LessonContent).mount_all(self._widgets(start, self._stop))
        await self._mount_above()

    def widget_for(self, ref: Ref) -> ItemWidget | None:
        """The mounted widget of a heading or item."""
        return next((w for w in self.query(ItemWidget) if w.ref == ref), None)

    def on_unmount(self) -> None:
        self.release_collector()  # closed before its first paint

    def _first_painted(self) -> None:
        self.release_collector()
        if not self.is_current:
            return  # left before it was painted (a learner who pressed Esc at once)
        self.first_paint_at = time.perf_counter()
        tutor_app(self).lesson_shown(self)
        # The Footer costs ~35 ms to build: it joins right after the lesson's first paint.
        self.mount(CourseFooter(compact=True))
        # A Footer shows keys once the screen announces its bindings; nothing else may do so now.
        self.call_after_refresh(self.refresh_bindings)
        # After the Footer takes its row: restoring earlier would land one line off at the end.
        self.call_after_refresh(self._restore_position)
        self.mount_rest()

    def _restore_position(self) -> None:
        if not self.is_current:
            return
        target = self.widget_for(self._resume_at)
        if target is not None and self._resume_at != (0, -1):
            self._scroll_to_top(target)

    def action_scroll(self, how: str) -> None:
        """Scroll the content whatever has focus."""
        content = self.query_one(LessonContent)
        getattr(content, f"scroll_{how}")(animate=False)

    def _focus_moved(self, focused: Widget | None) -> None:
        """Hide a narrow screen's outline when focus leaves it; after Esc out of a text box, say where focus went."""
        self._fit_outline()
        self.say_where_focus_went(focused)

    def action_focus_outline(self) -> None:
        """Focus the outline, showing it first on a narrow terminal (until it loses focus)."""
        outline = self.query_one("#outline", OptionList)
        outline.display = True
        outline.focus()

    def on_resize(self) -> None:
        """Fit the outline, and keep the block in focus (or else the item at the top) in view as text rewraps."""
        self._fit_outline()
        if self.first_paint_at is None:
            return
        focused = self.focused
        block = next((n for n in focused.ancestors_with_self if isinstance(n, ItemWidget)), None) if focused else None
        target = block or self.widget_for(self.position)  # taken now: scrolling on the rewrap moves `position`
        if target is not None:
            self.call_after_refresh(self._keep_in_view, target, block is not None)

    def _keep_in_view(self, target: ItemWidget, in_focus: bool) -> None:
        """After a resize: a focused block back on screen, or the top item back at the top."""
        if in_focus:
            self.query_one(LessonContent).scroll_to_widget(target, animate=False)
        else:
            self._scroll_to_top(target)

    def _fit_outline(self) -> None:
        """Show the outline where there is room for it, or while the learner is in it."""
        outline = self.query_one("#outline", OptionList)
        outline.display = self.size.width >= OUTLINE_MIN_WIDTH or self.focused is outline
        # With no outline to lie over, notices take the whole width (fewer lines over the text).
        for rack in self.query(ToastRack):  # none when notices are off (tests)
            rack.set_class(self.size.width < OUTLINE_MIN_WIDTH, "-narrow")

    def action_back(self) -> None:
        tutor_app(self).back_to_map()

    @on(OptionList.OptionSelected, "#outline")
    def _jump_to_section(self, event: OptionList.OptionSelected) -> None:
        if self.size.width < OUTLINE_MIN_WIDTH:
            self.query_one(LessonContent).focus()  # the outline stood in for the lesson: back to it
        self.jump_to((int(event.option_id[1:]), -1))  # type: ignore[index]

    @work(exclusive=True, group="lesson-jump")
    async def jump_to(self, ref: Ref) -> None:
        """Scroll a heading or item to the top, mounting it first if needed."""
        if self.widget_for(ref) is None:
            await self.mount_all_now()
        target = self.widget_for(ref)
        if target is not None:
            self.position = ref
            self._scroll_to_top(target)

    def _scroll_to_top(self, target: ItemWidget, settle_checks: int = 10) -> None:
        """Scroll a widget to the top of the content, and keep it there while the layout settles.

        Widgets mounted a moment ago (a jump or a search far down the lesson mounts the rest) are
        laid out at the next refresh, and cells and panels above the target may still grow as
        their content arrives, pushing it down. So the scroll is made after the next refresh and
        repeated every 0.1 s while the target still moves, unless the learner has scrolled since.
        """
        content = self.query_one(LessonContent)

        def scroll(checks_left: int, placed_at: float | None, target_y: int | None) -> None:
            if not target.is_attached or (placed_at is not None and content.scroll_y != placed_at):
                return  # gone, or the learner has moved on
            if target.virtual_region.y == target_y:
                return  # settled
            content.scroll_to_widget(target, animate=False, top=True)
            if checks_left:
                y = target.virtual_region.y
                self.set_timer(0.1, lambda: scroll(checks_left - 1, content.scroll_y, y))

        self.call_after_refresh(scroll, settle_checks, None, None)

    # Search ---------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def action_next_hit(self) -> None:
        if self._query:
            self.search(self._query)

    @on(SearchBar.Search)
    def _search_submitted(self, event: SearchBar.Search) -> None:
        self.search(event.query)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.query_one(LessonContent).focus()

    @work(exclusive=True, group="lesson-search")
    async def search(self, query: str) -> None:
        """Jump to the next item containing `query` (case-insensitive), wrapping around."""
        if query != self._query:
            self._query = query
            needle = query.casefold()
            self._hits = [ref for ref, item in self._refs if needle in _searchable(item).casefold()]
            self._hit_index = -1
        for widget in self.query(".-hit"):
            widget.remove_class("-hit")
        if not self._hits:
            missing = self.query_one(SearchBar).message("missing", query=query)
            self.notify(missing, severity="warning", timeout=3)
            return
        self._hit_index = (self._hit_index + 1) % len(self._hits)
        await self.mount_all_now()
        ref = self._hits[self._hit_index]
        target = self.widget_for(ref)
        if target is not None:
            target.add_class("-hit")
            self.position = ref
            self._scroll_to_top(target)
        number, count = self._hit_index + 1, len(self._hits)
        hit = self.query_one(SearchBar).message("hit", query=query, number=number, count=count)
        self.notify(hit, timeout=2)

    @property
    def search_hits(self) -> list[Ref]:
        """References of the items matching the current search."""
        return list(self._hits)

    # Position and completion ------------------------------------------------------------------

    def _scrolled(self, scroll_y: float) -> None:
        """Track the item at the top of the view, move focus off a block scrolled out of it, notice the end."""
        if not self.is_current:
            return
        # After the refresh: a scroll during a resize or a mount comes before the new layout.
        self.call_after_refresh(self.focus_follows_view)
        for widget in self.query(ItemWidget):
            if widget.virtual_region.bottom > scroll_y:
                self.position = widget.ref
                break
        self._update_outline()
        if self.at_end():
            tutor_app(self).lesson_reached_end(self)

    def _update_outline(self) -> None:
        """Highlight the current section in the outline."""
        outline = self.query_one("#outline", OptionList)
        if outline.highlighted != self.position[0] and outline.option_count:
            outline.highlighted = self.position[0]

    def at_end(self) -> bool:
        """True when every widget is mounted and the end of the lesson is on screen."""
        content = self.query_one(LessonContent)
        return self.fully_mounted and content.scroll_y >= content.max_scroll_y - 1

    def on_screen_suspend(self) -> None:
        tutor_app(self).lesson_left(self)

    def on_training_panel_run_ended(self, message: TrainingPanel.RunEnded) -> None:
        """A training panel's run ended: the predict quizzes about that panel may be graded by it."""
        from d2l_tui.ui.widgets.quiz_predict import relay_run_end  # only lessons with a panel need it

        relay_run_end(self, message.panel, message.final)

    def on_quiz_card_answered(self, message: QuizCard.Answered) -> None:
        """A prediction is in: its panel shows the run it is about, the lesson's settings plus the quiz's."""
        card = message.card
        if card.quiz.kind != "predict" or not card.pending:
            return  # the message goes on up to the app, which saves the answer
        from d2l_tui.ui.widgets.quiz_predict import run_data
        from d2l_tui.ui.widgets.training_panel import TrainingPanel

        data = run_data(card)
        for panel in self.query(TrainingPanel):
            if panel.key == data.get("panel"):
                panel.take_settings(data["settings"])


def _searchable(item: object) -> str:
    """The text of a heading or item to search in."""
    text = item.title if isinstance(item, Section) else item.text if isinstance(item, (Prose, Block)) else ""
    return text.replace("\u00a0", " ")  # inline math uses no-break spaces; a learner types ordinary ones
