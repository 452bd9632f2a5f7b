"""The review screen: the questions due today (FSRS), then every other one missed or revealed, to retry."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from d2l_tui.course.model import Lesson
from d2l_tui.quiz.records import REVIEW_STREAK, QuizRecord, record_of
from d2l_tui.review.order import review_order
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.screens.lesson import LessonScreen, lesson_refs
from d2l_tui.ui.widgets.course_footer import CourseFooter
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.words import plural

WORDS = {
    "en": {
        "title": "Review",
        "intro": "Due today first, then the others you missed or revealed. Each answer schedules the next review: wrong soon, right later; a missed one leaves the list after {n} right in a row. Tab moves between them; o opens a question's lesson; Esc goes back.",
        "empty": "Nothing to review: every question you answered is right.",
        "count": "{count} question{s} to review",
        "count-due": "{count} question{s} to review, {due} due today",
        "left": "✔ Right {n} times in a row: this question leaves the review list.",
        "again": "Right once more and this question leaves the list.",
        "later": "✔ Right: it comes back in a later review.",
    },
    "zh": {
        "title": "复习",
        "intro": "先是今天到期的题，再是其余答错或看过答案的题。每次作答都会安排下次复习：答错很快再来，答对隔得更久；答错过的题连续答对 {n} 次就离开列表。Tab 在题目间移动，o 打开题目所在的课，Esc 返回。",
        "empty": "没有要复习的题：你答过的题都答对了。",
        "count": "共 {count} 道题要复习",
        "count-due": "共 {count} 道题要复习，其中 {due} 道今天到期",
        "left": "✔ 已连续答对 {n} 次：这道题离开复习列表。",
        "again": "再答对一次，这道题就离开复习列表。",
        "later": "✔ 答对了：它会在以后的复习中再出现。",
    },
}


class ReviewScreen(Screen):
    """Lists the quizzes on the review list, each with its lesson, as live quiz cards."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="review-back"),
        Binding("j", "scroll('down')", "Down", show=False, id="review-down"),
        Binding("k", "scroll('up')", "Up", show=False, id="review-up"),
        Binding("o", "open_lesson", "Open lesson", id="review-open"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #review { padding: 0 2; }
    ReviewScreen .review-intro { margin: 1 0; color: $text-muted; height: auto; }
    ReviewScreen .review-lesson { margin: 1 0 0 0; color: $accent; text-style: bold; height: auto; }
    ReviewScreen .review-note { color: $success; height: auto; margin: 0 0 1 0; }
    ReviewScreen .review-note.-hidden { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[QuizCard] = []
        self.homes: list[Lesson] = []
        """The lesson of each card."""

    def compose(self) -> ComposeResult:
        app = tutor_app(self)
        words = WORDS.get(app.lang, WORDS["en"])
        lessons = [app.course.body(lesson) for lesson in app.course.in_language(app.lang)]
        due, missed = review_order(lessons, app.progress.quizzes, app.clock.now())
        items = due + missed
        yield Header()
        with VerticalScroll(id="review"):
            summary = words["count-due" if due else "count"].format(count=len(items), s=plural(len(items)), due=len(due)) if items else words["empty"]
            intro = Text.assemble((f"{summary}\n", "bold"), words["intro"].format(n=REVIEW_STREAK))
            yield Static(intro, classes="review-intro")
            for number, (lesson, block) in enumerate(items):
                yield Static(Text(lesson.title), classes="review-lesson")
                card = QuizCard(block, (number, -2), review=True, lesson=lesson)
                self.cards.append(card)
                self.homes.append(lesson)
                yield card
                yield Static(classes="review-note -hidden", id=f"note-{number}")
        yield CourseFooter()

    def on_mount(self) -> None:
        self.sub_title = WORDS.get(lang_of(self), WORDS["en"])["title"]
        if self.cards:
            self.cards[0].focus()
        else:
            self.query_one("#review").focus()

    @on(QuizCard.Answered)
    def _answered(self, message: QuizCard.Answered) -> None:
        """Say when a question leaves the list (the app saves the record; the message goes on)."""
        if message.card not in self.cards:
            return
        words = WORDS.get(lang_of(self), WORDS["en"])
        note = self.query_one(f"#note-{self.cards.index(message.card)}", Static)
        record = message.record
        if record.correct:
            note.update(_note(words, record))
        note.set_class(not record.correct, "-hidden")

    @property
    def remaining(self) -> list[str]:
        """Ids of the listed quizzes still on the review list."""
        store = tutor_app(self).progress
        return [card.quiz.id for card in self.cards if record_of(store.quizzes, card.quiz.id).needs_review]

    def action_scroll(self, direction: str) -> None:
        review = self.query_one("#review", VerticalScroll)
        review.scroll_down(animate=False) if direction == "down" else review.scroll_up(animate=False)

    def action_open_lesson(self) -> None:
        """Open the lesson of the question in focus, at the question (a predict quiz's panel is there)."""
        index = next((i for i, card in enumerate(self.cards) if card.has_focus_within), None)
        if index is None:
            return
        lesson, block = self.homes[index], self.cards[index].block
        ref = next((ref for ref, item in lesson_refs(lesson) if item is block), (0, -1))
        if tutor_app(self).open_lesson(lesson.id, *ref):
            screen = self.app.screen
            if isinstance(screen, LessonScreen):
                screen.call_after_refresh(lambda: _focus(screen.widget_for(ref)))

    def action_back(self) -> None:
        self.app.pop_screen()
        # The language may have been switched here: the lesson below follows, at its place.
        self.app.call_later(tutor_app(self).show_in_course_language)


def _note(words: dict[str, str], record: QuizRecord) -> str:
    """What a right answer here means: one more to go, off the missed list, or back in a later review."""
    if record.needs_review:
        return words["again"]
    return words["left"].format(n=REVIEW_STREAK) if record.streak == REVIEW_STREAK else words["later"]


def _focus(widget: Widget | None) -> None:
    """Put the keys on the question just opened in its lesson."""
    if widget is not None and widget.can_focus:
        widget.focus()
