"""The `plot` block: a function of x drawn in braille dots, with a tangent the learner can move."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from d2l_tui.course.model import Block
from d2l_tui.course.plotfn import FunctionPlot, math_text
from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale, finite_range
from d2l_tui.ui.widgets.loss_chart import LABEL_WIDTH, labelled_rows
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import say_in

CURVE, TANGENT, POINT = 0, 1, 2
PLOT_ROWS = 12
WORDS: dict[str, dict[str, str]] = {
    "en": {"tangent": "tangent at x = {a}: f({a}) = {fa}, f'({a}) ≈ {slope}", "move": "← → move the point"},
    "zh": {"tangent": "x = {a} 处的切线：f({a}) = {fa}，f'({a}) ≈ {slope}", "move": "← → 移动切点"},
}
"""The legend's words per language."""


def _number(value: float) -> str:
    """A short, readable number for axis labels and captions."""
    return f"{value:.4g}"


class FunctionPlotPanel(ItemWidget):
    """Draws f(x) over its range and, when asked, the tangent at a point with f(a) and f'(a)."""

    DEFAULT_CSS = """
    FunctionPlotPanel { height: auto; padding: 0 1; margin: 0 0 1 0; border: round $secondary; }
    FunctionPlotPanel:focus { border: round $accent; }
    FunctionPlotPanel > .function-plot--curve { color: $primary; }
    FunctionPlotPanel > .function-plot--tangent { color: $success; }
    FunctionPlotPanel > .function-plot--point { color: $error; }
    FunctionPlotPanel > .function-plot--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"function-plot--curve", "function-plot--tangent", "function-plot--point", "function-plot--axis"}
    BINDINGS = [
        Binding("left", "move(-1)", "Move tangent left", id="plot-left"),
        Binding("right", "move(1)", "Move tangent right", id="plot-right"),
    ]
    can_focus = True

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.plot = FunctionPlot.from_block(block.data)  # the loader already validated it
        self.formula = math_text(self.plot.source)
        """The function as the lesson writes it (3x² − 4x), not as Python does (3*x**2 - 4*x)."""
        self.border_title = self.plot.title or f"f(x) = {self.formula}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """← and → only where the tangent can move: a fixed plot offers neither, in the footer too."""
        return self.plot.editable if action == "move" else True

    def action_move(self, steps: int) -> None:
        """Slide the tangent point along the curve (only in an editable plot)."""
        if self.plot.editable:
            self.plot.move_tangent(steps)
            self.refresh(layout=True)

    def render(self) -> Text:
        width = max(10, self.size.width - LABEL_WIDTH)
        styles = [self.get_component_rich_style(f"function-plot--{n}") for n in ("curve", "tangent", "point")]
        axis = self.get_component_rich_style("function-plot--axis")
        canvas = BrailleCanvas(width, PLOT_ROWS)
        points = self.plot.points(canvas.dots_x)
        y_range = finite_range([y for _, y in points]) or (-1.0, 1.0)
        x_of = Scale(self.plot.low, self.plot.high, canvas.dots_x)
        y_of = Scale(y_range[0], y_range[1], canvas.dots_y, flip=True)
        canvas.polyline([(x_of(x), y_of(y)) for x, y in points], CURVE)
        tangent = self.plot.tangent()
        if tangent is not None:
            a, fa, slope = tangent
            line = [(x, fa + slope * (x - a)) for x in (self.plot.low, self.plot.high)]
            canvas.line(x_of(line[0][0]), y_of(line[0][1]), x_of(line[1][0]), y_of(line[1][1]), TANGENT)
            for dx in (-1, 0, 1):
                canvas.dot(x_of(a) + dx, y_of(fa), POINT)
        rows = labelled_rows(canvas.rows(styles), _number(y_range[1]), _number(y_range[0]), axis)
        lines = [Text.assemble(*row, no_wrap=True) for row in rows]
        left, right = _number(self.plot.low), f"{_number(self.plot.high)}  x"
        lines.append(Text(" " * LABEL_WIDTH + left + " " * max(1, width - len(left) - len(right)) + right, style=axis))
        lines.append(self._caption(tangent, styles))
        return Text("\n").join(lines)

    def _caption(self, tangent: tuple[float, float, float] | None, styles: list) -> Text:
        """The legend: the function, and the tangent's point, slope and equation."""
        caption = Text("━ ", style=styles[CURVE]) + Text(f"f(x) = {self.formula}")
        if tangent is None:
            return caption
        a, fa, slope = tangent
        caption.append("    ")
        caption.append("━ ", style=styles[TANGENT])
        lang = lang_of(self)
        caption.append(say_in(WORDS, lang, "tangent", a=_number(a), fa=_number(fa), slope=_number(slope)))
        if self.plot.editable:
            caption.append("\n" + say_in(WORDS, lang, "move"), style="italic")
        return caption
