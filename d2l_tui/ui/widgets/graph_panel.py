"""The `graph` block: a computational graph the learner steps through, forward then backward.

The numbers come from MXNet's autograd, computed in a worker thread (importing MXNet takes
about a second); the panel draws what `graphs.layout` lays out and says what `graphs.steps`
says. With `predict: true` it takes the learner's number itself (digits, `.`, `-`, `/`), so no
text box steals the stepping keys. Nothing is cached between keys: a step's view, drawing and
line take 0.2-0.8 ms, 0.1-0.36x of the numbers' one-off MXNet computation (benchmarks/graph_step.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.message import Message

from d2l_tui.course.model import Block
from d2l_tui.graphs.block import GraphBlock
from d2l_tui.graphs.compute import Numbers, compute
from d2l_tui.graphs.layout import Run, as_list, draw
from d2l_tui.graphs.stepper import Stepper
from d2l_tui.graphs.steps import view_at
from d2l_tui.ui.reach import lang_of, lesson_of, session
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "computing": "Computing the graph's numbers with MXNet's autograd…",
        "mxnet": "Numbers from MXNet's autograd.",
        "python": "Computed by the rules in plain Python: MXNet is unavailable ({reason}).",
        "fix": "To use MXNet: {fix}",
        "keys": "→/l next step · ←/h back · f end of forward · b end of backward · r start over",
        "narrow": "(too narrow to draw: one line per box)",
    },
    "zh": {
        "computing": "正在用 MXNet 的自动求导计算图上的数……",
        "mxnet": "数值来自 MXNet 的自动求导。",
        "python": "MXNet 不可用（{reason}），这些数是按规则用纯 Python 算的。",
        "fix": "要用 MXNet，请运行：{fix}",
        "keys": "→/l 下一步 · ←/h 上一步 · f 前向的结尾 · b 反向的结尾 · r 从头开始",
        "narrow": "（窗口太窄画不下：每个方框一行）",
    },
}
"""The panel's own words per language; the steps bring theirs (see graphs.steps.WORDS)."""
_DIGITS = set("0123456789.-/")


class GraphPanel(ItemWidget):
    """Draws a small expression's graph and steps through its values and gradients.

    Component classes: graph-panel--value, --grad, --local, --current, --edge, --asked.
    """

    DEFAULT_CSS = """
    GraphPanel { height: auto; padding: 0 1; margin: 0 0 1 0; border: round $secondary; }
    GraphPanel:focus { border: round $accent; }
    GraphPanel > .graph-panel--value { color: $text; text-style: bold; }
    GraphPanel > .graph-panel--grad { color: $warning; text-style: bold; }
    GraphPanel > .graph-panel--local { color: $warning; }
    GraphPanel > .graph-panel--current { color: $accent; text-style: bold; }
    GraphPanel > .graph-panel--edge { color: $text-muted; }
    GraphPanel > .graph-panel--asked { color: $error; text-style: bold reverse; }
    GraphPanel > .graph-panel--note { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "graph-panel--value", "graph-panel--grad", "graph-panel--local", "graph-panel--current",
        "graph-panel--edge", "graph-panel--asked", "graph-panel--note",
    }
    BINDINGS = [
        Binding("right,l", "step(1)", "Next step", id="graph-next"),
        Binding("left,h", "step(-1)", "Step back", id="graph-back"),
        Binding("f", "jump('forward')", "End of forward", id="graph-forward"),
        Binding("b", "jump('backward')", "End of backward", id="graph-backward"),
        Binding("r", "jump('start')", "Start over", id="graph-reset"),
    ]
    can_focus = True

    @dataclass
    class Computed(Message):
        """The worker has the graph's numbers."""

        numbers: Numbers

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.stepper = Stepper(GraphBlock.from_block(block.data))  # the loader already validated it
        self.border_title = self.stepper.block.title or f"f = {self.stepper.graph.output.name}"

    def on_mount(self) -> None:
        # The place and the predictions outlive the widget (leaving the lesson, switching its
        # language): the app's session keeps this panel's stepper while the app runs.
        lesson = lesson_of(self)
        key = (lesson.id if lesson else "", str(self.block.data.get("id") or self.ref))
        kept = session(self).graphs.get(key)
        if kept is not None and kept.graph == self.stepper.graph and kept.block.predict == self.stepper.block.predict:
            self.stepper = kept
        else:
            session(self).graphs[key] = self.stepper
        if self.stepper.numbers is None:
            self.compute_numbers()

    @work(thread=True, exclusive=True, group="graph")
    def compute_numbers(self) -> None:
        """Ask MXNet (or, without it, the rules) for every number, off the UI thread."""
        self.post_message(self.Computed(compute(self.stepper.graph)))

    @on(Computed)
    def show_numbers(self, message: Computed) -> None:
        self.stepper.numbers = message.numbers
        self.refresh(layout=True)

    def action_step(self, delta: int) -> None:
        """One step forward or back."""
        self.stepper.go(delta)
        self.refresh(layout=True)

    def action_jump(self, where: str) -> None:
        """To the start, the end of the forward pass or the end of the backward pass."""
        self.stepper.jump(where)
        self.refresh(layout=True)

    def on_key(self, event: events.Key) -> None:
        """While a prediction is asked, digits, Backspace, Enter and Esc belong to it."""
        if self.stepper.question is None:
            return
        if event.character and event.character in _DIGITS:
            self.stepper.type(event.character)
        elif event.key == "backspace":
            self.stepper.type("\b")
        elif event.key == "enter":
            self.stepper.submit()
        elif event.key == "escape":
            self.stepper.skip()
        else:
            return
        event.stop()
        event.prevent_default()
        self.refresh(layout=True)

    def render(self) -> Text:
        lang = lang_of(self)
        say = lambda key, **params: say_in(WORDS, lang, key, **params)
        numbers = self.stepper.numbers
        if numbers is None:
            return Text(say("computing"), style="italic")
        graph = self.stepper.graph
        view = view_at(graph, numbers, self.stepper.steps, self.stepper.at)
        rows = draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, self.size.width,
                    self.stepper.asked_edge)
        lines = []
        if rows is not None:
            indent = " " * max(0, (self.size.width - sum(len(text) for text, _ in rows[0])) // 2)
            lines = [Text(indent) + self._line(row) for row in rows]
        else:
            lines = [Text(say("narrow"), style=self._style("note"))] + [self._line(r) for r in as_list(graph, view)]
        lines.append(Text(""))
        lines += [Text(line) for line in self.stepper.lines(lang)]
        source = say("mxnet") if numbers.source == "mxnet" else say("python", reason=numbers.missing)
        if numbers.fix:
            source += "\n" + say("fix", fix=numbers.fix)
        lines.append(Text(source + "  " + say("keys"), style=self._style("note")))
        return Text("\n").join(lines)

    def _style(self, kind: str) -> Style:
        return self.get_component_rich_style(f"graph-panel--{kind}")

    def _line(self, row: list[Run]) -> Text:
        """One drawn row, each run in its kind's colour."""
        kinds = {"value", "grad", "local", "current", "edge", "asked"}
        return Text.assemble(*((text, self._style(kind) if kind in kinds else Style()) for text, kind in row), no_wrap=True)
