"""The loss-surface view of a training panel: contours of the loss over (w₁, w₂), the SGD path on them."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style

from d2l_tui.training.loss_surface import LossBowl, Point
from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale
from d2l_tui.ui.widgets.fit_plot import SUBSCRIPTS
from d2l_tui.ui.widgets.loss_chart import LABEL_WIDTH, Row, StripChart, labelled_rows, short_number
from d2l_tui.ui.widgets.training_words import labels

CONTOUR, PATH, EXACT = 0, 1, 2
LEVELS = 5
"""Contour lines drawn between the bottom of the bowl and the chart's far corners."""
MARGIN = 1.25
"""The chart spans this many times the distance from the start (the origin) to the exact point."""


def view_range(bowl: LossBowl, start: Point = (0.0, 0.0), aspect: float = 1.0) -> tuple[Point, Point]:
    """The (low, high) of each axis: centred on the exact point, reaching past the start.

    `aspect` is the chart's dots across over its dots down: one unit takes as many dots either
    way (braille dots are about square), so round rings look round and a gradient looks
    perpendicular to them, as it is.
    """
    (cu, cv), (su, sv) = bowl.centre, start
    reach = max(abs(su - cu) / aspect, abs(sv - cv), 0.5) * MARGIN
    return (cu - reach * aspect, cu + reach * aspect), (cv - reach, cv + reach)


def contour_levels(bowl: LossBowl, us: list[float], vs: list[float]) -> list[list[int]]:
    """The level of every dot: √(loss − floor) in LEVELS equal steps up to the deepest dot."""
    depth = [[math.sqrt(max(0.0, bowl.loss(u, v) - bowl.floor)) for u in us] for v in vs]
    step = (max(max(row) for row in depth) or 1.0) / LEVELS
    return [[int(value / step) for value in row] for row in depth]


def contour_canvas(bowl: LossBowl, width: int, height: int, ranges: tuple[Point, Point]) -> BrailleCanvas:
    """Dots where the loss crosses one of LEVELS levels, spaced evenly in √(loss − floor)."""
    canvas = BrailleCanvas(width, height)
    (u_low, u_high), (v_low, v_high) = ranges
    columns, rows = canvas.dots_x, canvas.dots_y
    us = [u_low + (u_high - u_low) * i / max(1, columns - 1) for i in range(columns)]
    vs = [v_high - (v_high - v_low) * j / max(1, rows - 1) for j in range(rows)]
    level = contour_levels(bowl, us, vs)
    for j in range(rows):
        for i in range(columns):
            here = level[j][i]
            right = level[j][i + 1] if i + 1 < columns else here
            below = level[j + 1][i] if j + 1 < rows else here
            if here != right or here != below:
                canvas.dot(i, j, CONTOUR)
    return canvas


def caption_rows(caption: Row, width: int) -> list[Row]:
    """The caption on one row, or when too wide, the title on one and the legend on the next."""
    if sum(cell_len(text) for text, _ in caption) <= width:
        return [caption]
    legend = [(text.lstrip() if index == 0 else text, style) for index, (text, style) in enumerate(caption[2:])]
    return [caption[:2], legend]


def symbol(name: str) -> str:
    """A parameter's name as drawn: w₁, w₂, b."""
    return name.translate(SUBSCRIPTS)


class LossSurface(StripChart):
    """Contours of the loss over two parameters, the exact solution marked, and the run's path."""

    COMPONENT_CLASSES = {
        "loss-surface--contour", "loss-surface--path", "loss-surface--exact", "loss-surface--axis"
    }
    DEFAULT_CSS = """
    LossSurface { height: 11; }
    LossSurface > .loss-surface--contour { color: $foreground 35%; }
    LossSurface > .loss-surface--path { color: $accent; text-style: bold; }
    LossSurface > .loss-surface--exact { color: $success; text-style: bold; }
    LossSurface > .loss-surface--axis { color: $foreground 60%; }
    """

    def __init__(self, *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = labels(lang)
        self.bowl: LossBowl | None = None
        self.path: list[Point] = []
        self._shown: tuple[object, ...] = ()
        self._contours: tuple[LossBowl, tuple[object, ...], BrailleCanvas] | None = None
        """The contours, drawn once per bowl and size (they do not move while training)."""

    def show(self, bowl: LossBowl | None, path: Sequence[Point]) -> None:
        """Draw `path` on `bowl`'s contours; nothing is redrawn when neither changed."""
        shown = (bowl, len(path), path[-1] if path else None)
        if shown == self._shown:
            return
        self._shown, self.bowl, self.path = shown, bowl, list(path)
        self.invalidate()

    def build(self, width: int, height: int) -> list[Row]:
        style = self.get_component_rich_style
        axis, path_style, exact = (
            style("loss-surface--axis"), style("loss-surface--path"), style("loss-surface--exact")
        )
        words, bowl = self.words, self.bowl
        names = [symbol(name) for name in bowl.names] if bowl else ["w₁", "w₂"]
        caption: Row = [
            (words["surface"], Style(bold=True)),
            (words["surface-over"].format(u=names[0], v=names[1]), axis),
            (words["path-line"], path_style),
            (words["exact-point"], exact),
        ]
        if bowl is None:
            return [caption, [(" " * LABEL_WIDTH + words["surface-later"], axis)]]
        head = caption_rows(caption, width)
        # Three columns on the right name the vertical axis beside its top label.
        rows, plot_width = max(1, height - 1 - len(head)), max(4, width - LABEL_WIDTH - 3)
        aspect = (2 * plot_width) / (4 * rows)
        ranges = view_range(bowl, self.path[0] if self.path else (0.0, 0.0), aspect)
        key = (plot_width, rows, ranges)
        if self._contours is None or self._contours[0] is not bowl or self._contours[1] != key:
            self._contours = (bowl, key, contour_canvas(bowl, plot_width, rows, ranges))
        canvas = self._contours[2].copy()
        (u_low, u_high), (v_low, v_high) = ranges
        u_of = Scale(u_low, u_high, canvas.dots_x)
        v_of = Scale(v_low, v_high, canvas.dots_y, flip=True)
        canvas.polyline([(u_of(u), v_of(v)) for u, v in self.path], PATH)
        cu, cv = u_of(bowl.centre[0]), v_of(bowl.centre[1])
        for du, dv in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-2, 0), (2, 0)):
            canvas.dot(cu + du, cv + dv, EXACT)
        lines, top = [*head], len(head)
        styles = [style("loss-surface--contour"), path_style, exact]
        lines += labelled_rows(canvas.rows(styles), short_number(v_high), short_number(v_low), axis)
        lines[top].append((f" {names[1]}", axis))
        left, right = short_number(u_low), f"{short_number(u_high)}  {names[0]}"
        gap = " " * max(1, plot_width - cell_len(left) - cell_len(right))
        lines.append([(" " * LABEL_WIDTH + left + gap + right, axis)])
        return lines
