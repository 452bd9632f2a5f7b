"""The overfitting panels' pictures: train and test loss per epoch on a log scale, and the fitted
polynomial over the training data (the book's §3.11), drawn side by side when there is room."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style

from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale, finite_range
from d2l_tui.ui.widgets.classify_words import classify_labels
from d2l_tui.ui.widgets.loss_chart import (
    LABEL_WIDTH,
    LOSS_LABEL_WIDTH,
    Row,
    StripChart,
    labelled_rows,
    loss_number,
    short_number,
)

TRAIN, TEST = 0, 1
DATA, TRUE, FITTED = 0, 1, 2


def poly_value(coefficients: Sequence[float], x: float) -> float:
    """c0 + c1·x + c2·x² + … at x."""
    total = 0.0
    for c in reversed(coefficients):
        total = total * x + c
    return total


class LossPairChart(StripChart):
    """Train and test loss per epoch on a log scale: the gap between them is overfitting."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "loss-pair--train",
        "loss-pair--test",
        "loss-pair--axis",
    }
    DEFAULT_CSS = """
    LossPairChart { height: 10; }
    LossPairChart > .loss-pair--train { color: $accent; }
    LossPairChart > .loss-pair--test { color: $warning; text-style: bold; }
    LossPairChart > .loss-pair--axis { color: $foreground 60%; }
    """

    def __init__(self, *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = classify_labels(lang)
        self.train: list[float] = []
        self.test: list[float] = []
        self.epochs = 1

    def show(self, train: Sequence[float], test: Sequence[float], epochs: int) -> None:
        """Draw the losses after each epoch so far, over `epochs` epochs."""
        self.train, self.test, self.epochs = list(train), list(test), max(1, epochs)
        self.invalidate()

    def build(self, width: int, height: int) -> list[Row]:
        style, words = self.get_component_rich_style, self.words
        axis = style("loss-pair--axis")
        caption: Row = [
            (words["losses"], Style(bold=True)),
            (words["pair-train"], style("loss-pair--train")),
            (words["pair-test"], style("loss-pair--test")),
        ]
        rows, plot_width = max(1, height - 2), max(4, width - LOSS_LABEL_WIDTH)
        canvas = BrailleCanvas(plot_width, rows)
        span = finite_range(self.train + self.test, positive=True)
        lines = [caption]
        if span is None:
            lines += [[(" " * LOSS_LABEL_WIDTH + words["press-start"], axis)]] + [[]] * (rows - 1)
        else:
            y_of = Scale(span[0], span[1], canvas.dots_y, log=True, flip=True)
            x_of = Scale(0.0, float(self.epochs), canvas.dots_x)
            for values, layer in ((self.train, TRAIN), (self.test, TEST)):
                points = [(x_of(e + 1.0), y_of(v)) for e, v in enumerate(values) if v > 0]
                canvas.polyline(points, layer)
                for x, y in points[-1:]:  # a single epoch still shows
                    canvas.dot(x, y, layer)
            layers = [style("loss-pair--train"), style("loss-pair--test")]
            high, low = loss_number(span[1]), loss_number(span[0])
            lines += labelled_rows(canvas.rows(layers), high, low, axis, LOSS_LABEL_WIDTH)
        right = words["epochs"].format(epochs=self.epochs)
        gap = " " * max(0, plot_width - 1 - cell_len(right))
        lines.append([(" " * (LOSS_LABEL_WIDTH - 1) + "0" + gap + right, axis)])
        return lines


class PolyFitPlot(StripChart):
    """The training points, the true polynomial and the fitted one, over the points' x range."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "poly-fit--data",
        "poly-fit--true",
        "poly-fit--fitted",
        "poly-fit--axis",
    }
    DEFAULT_CSS = """
    PolyFitPlot { height: 10; }
    PolyFitPlot > .poly-fit--data { color: $foreground; text-style: bold; }
    PolyFitPlot > .poly-fit--true { color: $foreground 45%; }
    PolyFitPlot > .poly-fit--fitted { color: $success; }
    PolyFitPlot > .poly-fit--axis { color: $foreground 60%; }
    """

    def __init__(self, *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = classify_labels(lang)
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.true: tuple[float, ...] = ()
        self.fitted: tuple[float, ...] = ()
        self.span: tuple[float, float] | None = None

    def show(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        true: Sequence[float],
        fitted: Sequence[float],
        span: tuple[float, float] | None = None,
    ) -> None:
        """Draw the points (xs, ys) with the true and fitted polynomials (coefficients from x⁰ up),
        over `span` when given (else over the points)."""
        self.xs, self.ys, self.span = list(xs), list(ys), span
        self.true, self.fitted = tuple(true), tuple(fitted)
        self.invalidate()

    def y_span(self, x_low: float, x_high: float) -> tuple[float, float] | None:
        """The data's and the true curve's y range (a wild fitted curve is clipped, not followed)."""
        samples = [x_low + (x_high - x_low) * i / 20 for i in range(21)]
        truth = [poly_value(self.true, x) for x in samples] if self.true else []
        return finite_range(self.ys + truth)

    def build(self, width: int, height: int) -> list[Row]:
        style, words = self.get_component_rich_style, self.words
        axis = style("poly-fit--axis")
        caption: Row = [
            (words["data"], Style(bold=True)),
            (words["true-curve"], style("poly-fit--true")),
        ]
        if self.fitted:
            caption.append((words["fitted-curve"], style("poly-fit--fitted")))
        rows, plot_width = max(1, height - 2), max(4, width - LABEL_WIDTH)
        canvas = BrailleCanvas(plot_width, rows)
        x_span = finite_range([*self.xs, *(self.span or ())])
        y_span = self.y_span(*x_span) if x_span else None
        lines = [caption]
        if x_span is None or y_span is None:
            lines += [[(" " * LABEL_WIDTH + words["data-later"], axis)]] + [[]] * (rows - 1)
            lines.append([])
            return lines
        x_of = Scale(x_span[0], x_span[1], canvas.dots_x)
        y_of = Scale(y_span[0], y_span[1], canvas.dots_y, flip=True)
        for coefficients, layer in ((self.true, TRUE), (self.fitted, FITTED)):
            if coefficients:
                xs = [
                    x_span[0] + (x_span[1] - x_span[0]) * i / (canvas.dots_x - 1)
                    for i in range(canvas.dots_x)
                ]
                canvas.polyline([(x_of(x), y_of(poly_value(coefficients, x))) for x in xs], layer)
        for x, y in zip(self.xs, self.ys, strict=True):
            if math.isfinite(x) and math.isfinite(y):
                canvas.dot(x_of(x), y_of(y), DATA)
        layers = [style("poly-fit--data"), style("poly-fit--true"), style("poly-fit--fitted")]
        high, low = short_number(y_span[1]), short_number(y_span[0])
        lines += labelled_rows(canvas.rows(layers), high, low, axis)
        left, right = short_number(x_span[0]), short_number(x_span[1])
        gap = " " * max(1, plot_width - cell_len(left) - cell_len(right))
        lines.append([(" " * LABEL_WIDTH + left + gap + right, axis)])
        return lines
