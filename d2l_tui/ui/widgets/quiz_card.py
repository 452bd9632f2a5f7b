"""The `quiz` block: a question graded in place, with hint, retry and reveal, remembered across visits."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from d2l_tui.course.model import Block, Lesson
from d2l_tui.quiz import code_grading
from d2l_tui.quiz.grading import Grade, grade
from d2l_tui.quiz.model import Quiz
from d2l_tui.quiz.records import QuizRecord, after_answer, after_reveal, record_of
from d2l_tui.quiz.shuffle import learner_id, option_order
from d2l_tui.ui.kernel_runner import KernelRunner
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.ui.widgets.quiz_parts import ActionBar, AnswerArea, OptionLine, labels, quiz_markdown
from d2l_tui.ui.widgets.quiz_predict import PredictMixin, about_text, go_to_panel, goes_to_panel
from d2l_tui.ui.widgets.quiz_view import (
    actions,
    apply_record,
    feedback,
    hint_now,
    keys_line,
    option_view,
    reveal_offered,
)

if TYPE_CHECKING:  # the kernel package imports NumPy: it loads off the UI thread
    from d2l_tui.kernel import Kernel

NUMBER_START = "0123456789.-+０１２３４５６７８９．－"
"""Keys that, pressed on a numeric card, start typing the answer."""
OPTION_KINDS = ("choice", "multi", "predict")
"""Kinds whose answer is chosen among options."""


class QuizCard(KernelRunner, PredictMixin, ItemWidget):
    """One quiz: choose, tick, type a number, write code or predict a run; check, hint, retry, reveal."""

    DEFAULT_CSS = """
    QuizCard { layout: vertical; height: auto; padding: 0 1; margin: 0 0 1 0; border: round $secondary; }
    QuizCard.-right { border: round $success; }
    QuizCard.-partial { border: round $warning; }
    QuizCard.-wrong { border: round $error; }
    QuizCard:focus-within { border: round $accent; }
    QuizCard > Static, QuizCard > Horizontal { height: auto; }
    QuizCard #answer-row Input { width: 32; }
    QuizCard #unit { width: auto; padding: 1 1; }
    QuizCard AnswerArea { height: auto; min-height: 3; max-height: 10; }
    QuizCard #feedback { margin-top: 1; }
    QuizCard #about { color: $text-muted; }
    QuizCard .-hidden { display: none; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Previous option", show=False, id="quiz-up"),
        Binding("down", "move(1)", "Next option", show=False, id="quiz-down"),
        Binding("space", "tick", "Tick", id="quiz-toggle"),
        Binding("enter", "submit", "Check", id="quiz-submit"),
        Binding("enter", "commit", "Commit", id="quiz-commit"),  # a predict card says Commit, as its button does
        Binding("g", "go_to_panel", "Go to the panel", id="quiz-panel"),  # first: what a waiting prediction needs next
        Binding("ctrl+r", "submit", "Check", show=False, id="quiz-submit-code"),
        Binding("h", "hint", "Hint", id="quiz-hint"),
        Binding("s", "reveal", "Show answer", id="quiz-reveal"),
        Binding("r", "retry", "Try again", id="quiz-retry"),
        Binding("r", "change", "Change prediction", id="quiz-change"),  # as the waiting prediction's button says
        Binding("escape", "leave_answer", "Leave the answer box", show=False, id="quiz-leave"),
    ]
    RUN_GROUP = "run:quiz"
    """Code answers are checked in workers of this group (quitting asks first while one runs)."""
    can_focus = True

    class Answered(Message):
        """The learner answered (or revealed) a quiz; `record` is its new progress record."""

        def __init__(self, card: QuizCard, quiz_id: str, record: QuizRecord) -> None:
            super().__init__()
            self.card = card
            self.quiz_id = quiz_id
            self.record = record

        @property
        def control(self) -> QuizCard:
            return self.card

    def __init__(self, block: Block, ref: tuple[int, int], review: bool = False, lesson: Lesson | None = None) -> None:
        super().__init__("", ref)
        self.block = block
        self.quiz = Quiz.from_data(block.data)
        self.review = review
        """In the review screen the card starts ready for a new answer instead of showing the last one."""
        self.home = lesson
        """The lesson the quiz belongs to, when it is shown outside it (review)."""
        self.record = QuizRecord()
        self.order: list[int] = list(range(len(self.quiz.options)))
        """The option indices in the order this learner sees them."""
        self.cursor = 0
        self.chosen: set[int] = set()
        self.typed = ""
        self.code_text = ""
        self.tried_code = False
        """True after a new try emptied the code box: Ctrl+Z brings the checked code back."""
        self.grade: Grade | None = None
        """The verdict on screen; None while the learner is answering."""
        self.notice: Grade | None = None
        """Why the last answer could not be graded (it counts as no attempt)."""
        self.shown_answer = False
        self.hint_shown: bool | None = None
        """Whether `h` last showed or hid the hint; None until pressed (a wrong try shows it)."""
        self.checking = False
        self._keys_shown: tuple[bool, bool] = (False, False)
        """(busy, pending) when the footer's keys were last asked for: they change with either."""
        self.left_box_on_answer = False
        """True from a verdict that took focus out of the answer box until the next key: the learner's
        Esc then still means "leave the box" (it stays on the card), not "back to the map"."""
        self.lang = "en"
        self.words = labels("en")

    # Building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        self.words = labels(self.lang)
        store = tutor_app(self).progress
        learner, _created = learner_id(store.settings)  # saved with the next answer or position
        self.order = option_order(self.quiz.id, len(self.quiz.options), learner, self.quiz.shuffle)
        apply_record(self, record_of(store.quizzes, self.quiz.id), fresh=self.review)
        # Every part is built with its final content, so the card's height never jumps after mounting.
        kind = self.quiz.kind
        self.border_title = f"{self.words['quiz']} · {self.words[kind]}"
        yield Static(quiz_markdown(self.quiz.prompt), id="prompt")
        if kind == "predict":
            yield Static(about_text(self), id="about")
        for position in range(len(self.order) if kind in OPTION_KINDS else 0):
            yield OptionLine(position, *option_view(self, position))
        if kind == "numeric":
            with Horizontal(id="answer-row"):
                yield Input(self.typed, placeholder=self.words["number"], id="number",
                            select_on_focus=False, disabled=self.locked)
                yield Static(self.quiz.unit or "", id="unit", classes="" if self.quiz.unit else "-hidden")
        elif kind == "code":
            yield AnswerArea(self.code_text or self.quiz.starter, soft_wrap=True, tab_behavior="focus", compact=True, id="code",
                             placeholder=self.words["code-placeholder"], read_only=self.locked)
        said = feedback(self)
        yield Static(said or "", id="feedback", classes="" if said else "-hidden")
        bar = ActionBar(id="actions")
        bar.show(actions(self), "")
        yield bar
        self._frame()

    def restore(self, record: QuizRecord, fresh: bool = False) -> None:
        """Show a stored record (the app calls this when the same quiz was answered elsewhere)."""
        # A prediction graded in its lesson shows its run in review too: review has no panel to rerun.
        apply_record(self, record, fresh and self.quiz.kind != "predict")
        if self.quiz.kind == "numeric":
            self.query_one("#number", Input).value = self.typed
        elif self.quiz.kind == "code":
            self.query_one(AnswerArea).text = self.code_text
        self.refresh_card()

    @property
    def locked(self) -> bool:
        """True while a verdict or the answer is shown, or a prediction waits: `r` starts a new try."""
        return self.grade is not None or self.shown_answer or self.pending

    def refresh_card(self) -> None:
        """Redraw everything from the card's state."""
        for line in self.query(OptionLine):
            line.show(*option_view(self, line.position))
        busy = self.locked or self.checking
        if self.quiz.kind == "numeric":
            self.query_one("#number", Input).disabled = busy
        elif self.quiz.kind == "code":
            self.query_one(AnswerArea).read_only = busy
        said = feedback(self)
        box = self.query_one("#feedback", Static)
        box.set_class(said is None, "-hidden")
        box.update(said or "")
        self.query_one(ActionBar).show(actions(self), keys_line(self))
        self._frame()
        # The footer shows Check, Try again or Change prediction (only asked again then: it costs a rebuild).
        if (busy, self.pending) != self._keys_shown:
            self._keys_shown = (busy, self.pending)
            self.refresh_bindings()

    def _frame(self) -> None:
        """The border's colour (by the last verdict) and the attempts under it."""
        for outcome in ("right", "partial", "wrong"):
            self.set_class(self.grade is not None and self.grade.outcome == outcome, f"-{outcome}")
        attempts = self.record.attempts
        said = self.words["attempt"] if attempts == 1 else self.words["attempts"].format(count=attempts)
        self.border_subtitle = said if attempts else ""

    def on_focus(self) -> None:
        self.refresh_card()
        if self.quiz.kind == "code":
            self.warm_kernel()

    def on_blur(self) -> None:
        self.left_box_on_answer = False
        self.refresh_card()

    def on_descendant_focus(self) -> None:
        self.refresh_card()

    def on_descendant_blur(self) -> None:
        self.refresh_card()

    # Answering ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do not apply here pass on (up/down scroll the lesson on a numeric card)."""
        inside = self.app.focused is not None and self.app.focused is not self
        if action == "move":
            return self.quiz.kind in OPTION_KINDS and not inside
        if action == "tick":
            return self.quiz.kind == "multi" and not inside and not self.locked
        if action == "leave_answer":
            return inside or self.left_box_on_answer
        if action in ("submit", "commit", "retry", "change", "go_to_panel"):
            return self._answer_key(action, inside)
        if action in ("hint", "reveal"):
            return not inside and self._offers(action)
        return True

    def _answer_key(self, action: str, inside: bool) -> bool:
        """Enter and r say Commit and Change prediction on a predict card, as its buttons do; g while one waits."""
        if action == "go_to_panel":
            return goes_to_panel(self)
        if action in ("retry", "change"):
            return self.locked and not inside and self.pending == (action == "change")
        return not self.locked and (self.quiz.kind == "predict") == (action == "commit")

    def _offers(self, action: str) -> bool:
        """A hint only where the quiz has one; the answer only while it would tell something new."""
        return bool(self.quiz.hint) if action == "hint" else reveal_offered(self)

    def action_move(self, step: int) -> None:
        if self.locked or not self.order:
            return
        self.cursor = (self.cursor + step) % len(self.order)
        if self.quiz.kind == "choice":
            self.chosen = {self.order[self.cursor]}
        self.notice = None
        self.refresh_card()

    def action_tick(self) -> None:  # not action_toggle: that is Textual's own (toggle an attribute)
        self.pick(self.cursor)

    def pick(self, position: int) -> None:
        """Choose (choice) or tick/untick (multi) the option shown at `position`."""
        if self.locked or not 0 <= position < len(self.order):
            return
        index = self.order[position]
        self.cursor = position
        self.chosen = self.chosen ^ {index} if self.quiz.kind == "multi" else {index}
        self.notice = None
        self.refresh_card()

    def on_key(self, event: events.Key) -> None:
        """Digits choose an option; on a number question, typing starts the answer."""
        if event.key != "escape":
            self.left_box_on_answer = False
        if self.app.focused is not self or self.locked or not event.character:
            return
        if self.quiz.kind in OPTION_KINDS and event.character in "123456789":
            event.stop()
            self.pick(int(event.character) - 1)
        elif self.quiz.kind == "numeric" and event.character in NUMBER_START:
            event.stop()
            box = self.query_one("#number", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)

    @on(OptionLine.Clicked)
    def _option_clicked(self, event: OptionLine.Clicked) -> None:
        self.focus()
        self.pick(event.position)

    def action_commit(self) -> None:
        """Enter on a predict card: commit the prediction."""
        self.action_submit()

    def action_submit(self) -> None:
        """Grade the current answer (code runs in a worker thread)."""
        if self.locked or self.checking:
            return
        kind = self.quiz.kind
        if kind == "predict":
            self.commit_prediction()
            return
        if kind in ("choice", "multi"):
            answer: Any = next(iter(self.chosen), None) if kind == "choice" else sorted(self.chosen)
        elif kind == "numeric":
            box = self.query_one("#number", Input)
            if self.app.focused is self and not box.value.strip():
                box.focus()  # Enter on the card itself goes to the answer box first
                return
            answer = self.typed = box.value
        else:
            area = self.query_one(AnswerArea)
            if self.app.focused is self and not area.text.strip():
                area.focus()
                return
            self.code_text = area.text
            self.checking, self.notice = True, None
            self.refresh_card()
            self.grade_code(area.text)
            return
        self.graded(answer, grade(self.quiz, answer, self.lang))

    @on(Input.Submitted, "#number")
    def _number_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Input.Changed, "#number")
    def _number_changed(self) -> None:
        if self.notice is not None:
            self.notice = None
            self.refresh_card()

    @on(AnswerArea.Submitted)
    def _code_submitted(self, event: AnswerArea.Submitted) -> None:
        event.stop()
        self.action_submit()

    def grade_code(self, code: str) -> None:
        """Run the answer and the solution in the quiz kernel, once the course folder is trusted."""
        quiz, lang, timeout = self.quiz, self.lang, code_grading.ANSWER_TIMEOUT_S

        def check(kernel: Kernel) -> tuple[str, Grade]:  # in a worker, holding the quiz kernel
            return code, code_grading.grade_code(quiz, kernel=kernel, answer=code, timeout=timeout, lang=lang)

        def failed(words: str) -> tuple[str, Grade]:
            return code, Grade("invalid", words)

        def refused() -> None:
            self.checking = False
            self.refresh_card()

        go = lambda: self.run_with_kernel(code_grading.QUIZ_KERNEL_KEY, None, check, failed, lang)  # noqa: E731
        self.when_trusted(go, lang, refused)

    def on_kernel_runner_finished(self, message: KernelRunner.Finished) -> None:
        message.stop()
        self.graded(*message.outcome)

    def finished_away(self, outcome: Any) -> None:
        """The learner left while the code was checked: the answer is still recorded."""
        self.graded(*outcome)

    def warm_kernel(self) -> None:
        """Start the quiz kernel early, so MXNet is imported before the learner checks an answer."""
        self.start_warming(code_grading.QUIZ_KERNEL_KEY, None)

    def graded(self, answer: Any, verdict: Grade) -> None:
        """Show a verdict; a graded one is recorded (and reported to the app to be saved)."""
        self.checking = False
        if not verdict.graded:
            self.notice = verdict
        else:
            self.grade, self.notice = verdict, None
            self.record = after_answer(self.record, answer, verdict)
            self._report()
        if self.is_attached:
            if verdict.graded and self.app.focused is not self and self.has_focus_within:
                self.focus()  # so that r, s and h work at once
                self.left_box_on_answer = True
            self.refresh_card()

    def _report(self) -> None:
        message = self.Answered(self, self.quiz.id, self.record)
        # A card already gone (the learner left while code ran) still gets its answer saved.
        (self if self.is_attached else self.app).post_message(message)

    # Hint, reveal, retry ------------------------------------------------------------------

    def action_hint(self) -> None:
        self.hint_shown = not hint_now(self)
        self.refresh_card()

    def action_reveal(self) -> None:
        """Show the answer (or the solution); recorded as revealed."""
        if self.checking or self.shown_answer:
            return
        self.shown_answer = True
        if self.pending:  # the answer is out: the waiting prediction is void
            self.pending, self.notice, self.record = False, None, replace(self.record, answer=None)
        self.record = after_reveal(self.record)
        self._report()
        self.focus()
        self.refresh_card()

    def action_retry(self) -> None:
        """Clear the verdict for a new try; the code box starts over (Ctrl+Z brings the old code back)."""
        if not self.locked:
            return
        if self.pending:
            self.withdraw_prediction()
        self.grade, self.notice, self.shown_answer, self.run = None, None, False, None
        if self.quiz.kind in OPTION_KINDS:
            self.chosen = set()
        self.refresh_card()
        if self.quiz.kind == "numeric":
            box = self.query_one("#number", Input)
            box.value = ""
            box.focus()
        elif self.quiz.kind == "code":
            area = self.query_one(AnswerArea)
            self.tried_code = area.start_over(self.quiz.starter)
            area.focus()
            self.refresh_card()

    def action_change(self) -> None:
        """r on a waiting prediction: unlock it to choose again."""
        self.action_retry()

    async def action_go_to_panel(self) -> None:
        """g on a waiting prediction: to its panel, ready for Enter to train the run that settles it."""
        if goes_to_panel(self):
            await go_to_panel(self)

    def action_leave_answer(self) -> None:
        self.left_box_on_answer = False
        self.focus()

    @on(ActionBar.Pressed)
    def _action_pressed(self, event: ActionBar.Pressed) -> None:
        event.stop()
        self.focus()
        if event.action == "panel":
            self.call_later(self.action_go_to_panel)
            return
        {"check": self.action_submit, "hint": self.action_hint,
         "reveal": self.action_reveal, "retry": self.action_retry}[event.action]()
