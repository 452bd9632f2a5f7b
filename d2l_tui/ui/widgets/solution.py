"""The `solution` block: a worked solution folded to one line until the learner asks for it.

Hints before answers: the solution unfolds on Enter, Space or `s`, or by itself once the quiz it
is `for` is settled (answered right, or its answer shown), now or in an earlier visit. The quiz
card's `Answered` message goes up to the app, not across to siblings, so the block listens on the
app's `message_signal` (immediately, filtering by type, so no message is queued per app message)
until its quiz is settled.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from d2l_tui.course.model import Block
from d2l_tui.course.solutions import MARKDOWN_KEY
from d2l_tui.quiz.records import record_of
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.widgets.prose import ItemWidget, TrimmedMarkdown
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.words import Tables, say_in

WORDS: Tables = {
    "en": {"label": "Worked solution", "folded": "Enter: show it", "unfolded": "Enter: fold it"},
    "zh": {"label": "参考解答", "folded": "按 Enter 展开", "unfolded": "按 Enter 收起"},
}
"""The folded line's words per language (a block's `title` replaces the label)."""


class SolutionBlock(ItemWidget):
    """A worked solution: a folded line, and its Markdown rendered like prose once unfolded.

    | Class | Description |
    | :- | :- |
    | `solution--label` | The folded line's label ("参考解答"). |
    | `solution--key` | The key hint after it. |
    """

    DEFAULT_CSS = """
    SolutionBlock { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: outer $secondary; }
    SolutionBlock:focus { border-left: outer $accent; background: $boost; }
    SolutionBlock > .solution--label { text-style: bold; color: $text-accent; }
    SolutionBlock > .solution--key { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"solution--label", "solution--key"}
    BINDINGS = [Binding("enter,space,s", "toggle_solution", "Show/fold the solution", id="solution-toggle")]
    can_focus = True

    unfolded: reactive[bool] = reactive(False, layout=True)
    """True while the solution's body is shown."""

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.quiz_id: str | None = block.data.get("for") if isinstance(block.data.get("for"), str) else None
        """The quiz whose settling unfolds this solution (None: only the learner's key does)."""
        self._body = TrimmedMarkdown(str(block.data.get(MARKDOWN_KEY, "")))
        self._lang = "en"

    def on_mount(self) -> None:
        self._lang = lang_of(self)
        if self.quiz_id is None:
            return
        if record_of(tutor_app(self).progress.quizzes, self.quiz_id).settled:
            self.set_reactive(SolutionBlock.unfolded, True)
        else:
            self.app.message_signal.subscribe(self, self._app_message, immediate=True)

    def _app_message(self, message: Message) -> None:
        """Unfold once the linked quiz is settled; every other app message is ignored at once."""
        if isinstance(message, QuizCard.Answered) and message.quiz_id == self.quiz_id and message.record.settled:
            self.app.message_signal.unsubscribe(self)
            self.unfolded = True

    def action_toggle_solution(self) -> None:
        """Unfold or fold the solution."""
        self.unfolded = not self.unfolded

    def render(self) -> Group:
        """The folded line, and the body below it when unfolded."""
        title = self.block.data.get("title")
        label = title if isinstance(title, str) and title else say_in(WORDS, self._lang, "label")
        line = Text.assemble(
            ("▼ " if self.unfolded else "▶ ", self.get_component_rich_style("solution--key")),
            (label, self.get_component_rich_style("solution--label")),
            "  ",
            (say_in(WORDS, self._lang, "unfolded" if self.unfolded else "folded"), self.get_component_rich_style("solution--key")),
        )
        return Group(line, Text(""), self._body) if self.unfolded else Group(line)
