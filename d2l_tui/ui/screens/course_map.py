"""The course map: every lesson in order, with what the learner has done in each."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static

from d2l_tui.review.order import review_order
from d2l_tui.summary import LessonRow, lesson_rows, percent_complete
from d2l_tui.ui.app_words import say
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.widgets.course_footer import CourseFooter
from d2l_tui.words import plural

MARK_STYLES = {"done": "green", "started": "yellow", "new": "dim", "broken": "bold red"}
MAP_PADDING = 4
"""Columns the map's own padding takes (`#map { padding: 0 2 }`)."""
SCROLLBAR = 2
"""Columns kept for the table's scroll bar, which appears when the lessons outgrow the height."""


class LessonTable(DataTable):
    """The lessons, one a row; when a longer summary below takes rows from it, the cursor stays in view."""

    def on_resize(self) -> None:
        # Without this the last lesson, whose summary wraps, was highlighted below the table's end.
        if 0 <= self.cursor_row < self.row_count:
            self.call_after_refresh(self.move_cursor, row=self.cursor_row, animate=False)


class CourseMapScreen(Screen):
    """Lists the lessons of the current language; Enter opens one where the learner stopped."""

    BINDINGS = [
        Binding("enter", "open_lesson", "Open", id="open-lesson", priority=False),
        Binding("j", "cursor('down')", "Down", show=False, id="map-down"),
        Binding("k", "cursor('up')", "Up", show=False, id="map-up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[LessonRow] = []
        self._headings_lang: str | None = None
        """The language the table's headings are in (they are rebuilt only when it changes)."""
        self._title_width = 0
        """The title column's width: what the other columns leave of the screen."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="map"):
            yield Static(id="course-title")
            yield LessonTable(id="lessons", cursor_type="row", zebra_stripes=True)
            yield Static(id="lesson-detail")
            yield ProgressBar(id="overall", show_eta=False)
            yield Static(id="status-line")
        yield CourseFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#lessons", DataTable)
        self.refresh_rows()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Rebuild the table from the course and the progress store, keeping the cursor's lesson."""
        app = tutor_app(self)
        course, store, lang = app.course, app.progress, app.lang
        table = self.query_one("#lessons", DataTable)
        selected = self.selected_row()
        keep = selected.lesson.id if selected else store.last_lesson
        self.rows = lesson_rows(course, store, lang)
        cells = [self._cells(row) for row in self.rows]
        headings = [" ", "#", say(lang, "map-lesson"), say(lang, "map-minutes"), say(lang, "map-quiz")]
        widths = [max([cell_len(h)] + [cell_len(str(c[i])) for c in cells]) for i, h in enumerate(headings)]
        # Every column but the title keeps its width; the title gets the rest and ends in "…".
        title_width = max(8, self.size.width - MAP_PADDING - sum(widths) + widths[2] - 2 * len(widths) - SCROLLBAR)
        title_width = min(title_width, widths[2]) if self.size.width else widths[2]
        if lang != self._headings_lang or title_width != self._title_width:
            # New headings only when the language or the width changed: rebuilding the columns on every
            # refresh (mount and resume come one right after the other) left them at their headings' width.
            self._headings_lang, self._title_width = lang, title_width
            table.clear(columns=True)
            for key, heading, width in zip(("mark", "order", "title", "minutes", "score"), headings, widths):
                table.add_column(heading, key=key, width=title_width if key == "title" else width)
        else:
            table.clear()
        for row, (mark, order, title, minutes, score) in zip(self.rows, cells):
            title.truncate(title_width, overflow="ellipsis")
            table.add_row(mark, order, title, minutes, score, key=str(row.lesson.path))
        ids = [row.lesson.id for row in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        percent = percent_complete(self.rows)
        self.query_one("#overall", ProgressBar).update(total=100, progress=percent)
        heading = say(lang, "map-title")
        self.query_one("#course-title", Static).update(Text(f"{heading}   {percent}%", style="bold"))
        self.update_status()
        self._show_detail()

    @staticmethod
    def _cells(row: LessonRow) -> tuple[Text, str, Text, str, str]:
        """A lesson's cells in the table: mark, order, title, minutes, quiz score."""
        lesson = row.lesson
        title = Text(lesson.title, style="red" if lesson.broken else "")
        return Text(row.mark, style=MARK_STYLES[row.status]), f"{lesson.order:g}", title, str(lesson.minutes or ""), row.score

    def on_resize(self) -> None:
        """Titles are shortened to the new width (with "…")."""
        if self.rows:
            self.refresh_rows()

    def due_count(self) -> int:
        """How many of the open course's quizzes are due today, as R lists them (0 until every body is parsed)."""
        app = tutor_app(self)
        if not app.course.bodies_loaded:
            return 0  # the count would miss quizzes; CourseLoaded redraws the map
        due, _missed = review_order(app.course.in_language(app.lang), app.progress.quizzes, app.clock.now())
        return len(due)

    def update_status(self) -> None:
        """Show MXNet's state, how many questions are due for review today, and any warning about the progress file."""
        app = tutor_app(self)
        line = Text(app.mxnet_line())
        due = self.due_count()
        if due:
            line.append("\n" + say(app.lang, "map-due", count=due, s=plural(due)), style="bold")
        if app.progress.moved_aside:
            line.append("\n" + say(app.lang, "map-progress-aside", path=app.progress.moved_aside), style="yellow")
        self.query_one("#status-line", Static).update(line)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self.selected_row()
        detail = self.query_one("#lesson-detail", Static)
        if row is None:
            detail.update(Text(say(lang_of(self), "map-empty"), style="italic"))
            return
        lesson = row.lesson
        text = Text(lesson.summary or "", style="italic")
        if lesson.requires:
            text.append("\n" + say(lang_of(self), "map-requires", ids=self._road(lesson.requires)), style="dim")
        for problem in lesson.errors[:5]:
            text.append(f"\n✘ {problem}", style="red")
        if len(lesson.errors) > 5:
            more = say(lang_of(self), "map-more-errors", count=len(lesson.errors) - 5)
            text.append(f"\n{more}", style="red")
        detail.update(text)

    def _road(self, requires: list[str]) -> str:
        """The lessons to take first as the learner reads them: number and title, not ids."""
        app = tutor_app(self)
        said = []
        for lesson_id in requires:
            lesson = app.course.get(lesson_id, app.lang)
            said.append(say(app.lang, "map-required", order=f"{lesson.order:g}", title=lesson.title)
                        if lesson else lesson_id)
        return say(app.lang, "map-required-sep").join(said)

    def selected_row(self) -> LessonRow | None:
        """The row under the cursor."""
        table = self.query_one("#lessons", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowSelected)
    def action_open_lesson(self) -> None:
        """Open the highlighted lesson where the learner stopped."""
        row = self.selected_row()
        if row is not None:
            tutor_app(self).open_lesson(row.lesson.id)

    def action_cursor(self, direction: str) -> None:
        table = self.query_one("#lessons", DataTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()
