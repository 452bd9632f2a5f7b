"""The live loss curve: smoothed minibatch losses, the previous run's curve faintly behind it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale, finite_range
from d2l_tui.ui.widgets.training_words import labels

Points = Sequence[tuple[float, float]]
"""(step, loss) pairs in step order."""
Row = list[tuple[str, Style]]
"""One row of a chart: runs of text with their style."""
LABEL_WIDTH = 8
LOSS_LABEL_WIDTH = 9
"""The loss chart's labels take one column more: "2.33e+04", as the doctor's messages write losses."""
GHOST, NOW = 0, 1


def short_number(value: float) -> str:
    """A number in at most 7 characters: 31.2, 0.0327, 5e-05, 1.2e+04."""
    if value == 0:
        return "0"
    if 0.01 <= abs(value) < 10_000:
        return f"{value:.3g}"
    return f"{value:.1e}".replace(".0e", "e")


def loss_number(value: float) -> str:
    """A loss in at most 8 characters, with the 3 significant digits the doctor's messages use."""
    return f"{value:.3g}"


def labelled_rows(
    rows: list[Row], high: str, low: str, axis: Style, width: int = LABEL_WIDTH
) -> list[Row]:
    """Put the y-axis labels before a chart's rows: `high` on the top row, `low` on the bottom."""
    last = len(rows) - 1
    return [
        [((high if index == 0 else low if index == last else "").rjust(width - 1) + " ", axis), *row]
        for index, row in enumerate(rows)
    ]


def per_column(points: Points, x_max: float, columns: int) -> list[tuple[float, float]]:
    """Place points in `columns` dot columns over steps 0..x_max; those in one column merge (mean).

    Returns (column, y) pairs: drawing then costs what the width allows, however long the curve.
    """
    merged: list[tuple[float, float]] = []
    scale = (columns - 1) / x_max if x_max > 0 else 0.0
    column, total, count = 0, 0.0, 0
    for x, y in points:
        here = round(x * scale)
        if here != column and count:
            merged.append((float(column), total / count))
            total, count = 0.0, 0
        column = here
        total += y
        count += 1
    if count:
        merged.append((float(column), total / count))
    return merged


class StripChart(Widget):
    """A widget drawn from rows built once per change: a repaint without a change costs nothing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] | None = None
        self._built_for: tuple[object, ...] = ()

    def invalidate(self) -> None:
        """The data changed: rebuild the rows on the next repaint."""
        self._strips = None
        self.refresh()

    def build(self, width: int, height: int) -> list[Row]:
        """Return the chart's rows for this size."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        key = (width, height, self.app.theme)
        if self._strips is None or key != self._built_for:
            base = self.rich_style
            self._strips = [
                Strip([Segment(text, base + style) for text, style in row]).adjust_cell_length(
                    width, base
                )
                for row in self.build(width, height)[:height]
            ]
            self._built_for = key
        return self._strips[y] if y < len(self._strips) else Strip.blank(width, self.rich_style)


class LossChart(StripChart):
    """A braille line chart of a run's loss by step, with a log-scale toggle.

    It rebuilds only when `show` is called (the panel throttles that to a few times a second)
    and never changes height, so an update never re-lays out the lesson. The y-axis spans the
    current run's own losses (raw, so its top is the largest loss the doctor's message names);
    the earlier run behind it is clipped to that span: a diverged run before must not squash a
    good run into a flat line at the bottom.
    """

    COMPONENT_CLASSES = {"loss-chart--now", "loss-chart--ghost", "loss-chart--axis"}
    DEFAULT_CSS = """
    LossChart { height: 9; }
    LossChart > .loss-chart--now { color: $accent; text-style: bold; }
    LossChart > .loss-chart--ghost { color: $foreground 35%; }
    LossChart > .loss-chart--axis { color: $foreground 60%; }
    """

    def __init__(self, *, log: bool = True, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = labels(lang)
        self.log_scale = log
        self.curve: list[tuple[float, float]] = []
        self.ghost: list[tuple[float, float]] = []
        self.ghost_label = ""
        self.raw: list[float] = []
        """The current run's unsmoothed losses: with the curve, they set the y-axis."""
        self.x_max = 1.0

    def show(
        self, curve: Points, ghost: Points, x_max: float, ghost_label: str = "",
        raw: Sequence[float] = (),
    ) -> None:
        """Draw a new curve (and ghost) over steps 0..x_max; `raw` losses widen the y-axis."""
        self.curve, self.ghost, self.raw = list(curve), list(ghost), list(raw)
        self.x_max, self.ghost_label = max(1.0, x_max), ghost_label
        self.invalidate()

    def span(self) -> tuple[float, float] | None:
        """The losses the y-axis covers: the current run's; the earlier run's only before one starts."""
        positive = self.log_scale
        own = finite_range([y for _, y in self.curve] + self.raw, positive=positive)
        return own or finite_range([y for _, y in self.ghost], positive=positive)

    def toggle_log(self) -> bool:
        """Switch between log and linear loss axes; return True when now on a log scale."""
        self.log_scale = not self.log_scale
        self.invalidate()
        return self.log_scale

    def build(self, width: int, height: int) -> list[Row]:
        style = self.get_component_rich_style
        axis, now, ghost = (
            style("loss-chart--axis"),
            style("loss-chart--now"),
            style("loss-chart--ghost"),
        )
        words = self.words
        caption: Row = [
            (words["loss"], Style(bold=True)),
            (words["log" if self.log_scale else "linear"], axis),
            (words["now"], now),
        ]
        if self.ghost:
            before = words["before-label"].format(label=self.ghost_label)
            caption.append((before if self.ghost_label else words["before"], ghost))
        rows, plot_width = max(1, height - 2), max(4, width - LOSS_LABEL_WIDTH)
        canvas = BrailleCanvas(plot_width, rows)
        span = self.span()
        lines = [caption]
        if span is None:
            message = words["no-finite-loss" if self.curve else "press-start"]
            lines += [[(" " * LOSS_LABEL_WIDTH + message, axis)]] + [[]] * (rows - 1)
        else:
            low, high = span if self.log_scale else (min(0.0, span[0]), span[1])
            y_of = Scale(low, high, canvas.dots_y, log=self.log_scale, flip=True)
            for layer, points in ((GHOST, self.ghost), (NOW, self.curve)):
                canvas.polyline(
                    [(x, y_of(y)) for x, y in per_column(points, self.x_max, canvas.dots_x)], layer
                )
            high_label, low_label = loss_number(high), loss_number(low)
            lines += labelled_rows(canvas.rows([ghost, now]), high_label, low_label, axis, LOSS_LABEL_WIDTH)
        right = words["steps"].format(steps=self.x_max)
        gap = " " * max(0, plot_width - 1 - cell_len(right))
        lines.append([(" " * (LOSS_LABEL_WIDTH - 1) + "0" + gap + right, axis)])
        return lines
