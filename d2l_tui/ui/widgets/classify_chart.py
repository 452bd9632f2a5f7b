"""One chart for a classifier's run: minibatch loss (left axis) with train and test accuracy (right).

The accuracies are drawn on a fixed 0-100 % axis, one point per epoch; the loss spans the run's own
losses from 0. The previous run's loss and test accuracy lie faintly behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style

from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale, finite_range
from d2l_tui.ui.widgets.classify_words import classify_labels
from d2l_tui.ui.widgets.loss_chart import (
    LOSS_LABEL_WIDTH,
    Row,
    StripChart,
    labelled_rows,
    loss_number,
    per_column,
)

GHOST_LOSS, GHOST_ACC, LOSS, TRAIN_ACC, TEST_ACC = range(5)
RIGHT_WIDTH = 5
"""Columns for the accuracy labels on the right ("100%")."""


@dataclass
class Curves:
    """What one run drew: smoothed (step, loss) points and per-epoch accuracies in [0, 1]."""

    losses: list[tuple[float, float]] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    steps_per_epoch: int = 1
    total_steps: int = 1

    def accuracy_points(self, values: Sequence[float]) -> list[tuple[float, float]]:
        """(step, accuracy) at the end of each epoch."""
        return [((epoch + 1) * self.steps_per_epoch, acc) for epoch, acc in enumerate(values)]


class AccuracyChart(StripChart):
    """Braille curves of loss and accuracy over a run's steps, labelled in the lesson's language."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "accuracy-chart--loss",
        "accuracy-chart--train",
        "accuracy-chart--test",
        "accuracy-chart--ghost",
        "accuracy-chart--axis",
    }
    DEFAULT_CSS = """
    AccuracyChart { height: 10; }
    AccuracyChart > .accuracy-chart--loss { color: $accent; }
    AccuracyChart > .accuracy-chart--train { color: $warning; }
    AccuracyChart > .accuracy-chart--test { color: $success; text-style: bold; }
    AccuracyChart > .accuracy-chart--ghost { color: $foreground 35%; }
    AccuracyChart > .accuracy-chart--axis { color: $foreground 60%; }
    """

    def __init__(self, *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = classify_labels(lang)
        self.now = Curves()
        self.ghost: Curves | None = None

    def show(self, now: Curves, ghost: Curves | None) -> None:
        """Draw the current run's curves, and `ghost`'s faintly behind."""
        self.now, self.ghost = now, ghost
        self.invalidate()

    def caption(self) -> Row:
        """The legend: which colour is which curve."""
        words, style = self.words, self.get_component_rich_style
        caption: Row = [
            (words["accuracy-caption"], Style(bold=True)),
            (words["train-loss"], style("accuracy-chart--loss")),
            (words["train-acc"], style("accuracy-chart--train")),
            (words["test-acc"], style("accuracy-chart--test")),
        ]
        if self.ghost is not None:
            caption.append((words["before"], style("accuracy-chart--ghost")))
        return caption

    def draw(self, canvas: BrailleCanvas, high: float, x_max: float) -> None:
        """Put every curve on the canvas: losses from 0 to `high`, accuracies from 0 to 1."""
        loss_y = Scale(0.0, high, canvas.dots_y, flip=True)
        acc_y = Scale(0.0, 1.0, canvas.dots_y, flip=True)
        x_of = Scale(0.0, x_max, canvas.dots_x)
        runs = [(self.ghost, GHOST_LOSS, GHOST_ACC)] if self.ghost else []
        for curves, loss_layer, acc_layer in [*runs, (self.now, LOSS, TEST_ACC)]:
            canvas.polyline(
                [(x, loss_y(y)) for x, y in per_column(curves.losses, x_max, canvas.dots_x)],
                loss_layer,
            )
            accuracies = [(curves.test_acc, acc_layer)]
            if curves is self.now:
                accuracies.append((curves.train_acc, TRAIN_ACC))
            for values, layer in accuracies:
                points = curves.accuracy_points(values)
                canvas.polyline([(x_of(x), acc_y(y)) for x, y in points], layer)
                for x, y in points:  # one epoch's accuracy shows as a dot before there is a line
                    canvas.dot(x_of(x), acc_y(y), layer)

    def build(self, width: int, height: int) -> list[Row]:
        style = self.get_component_rich_style
        axis = style("accuracy-chart--axis")
        rows, plot_width = max(1, height - 2), max(4, width - LOSS_LABEL_WIDTH - RIGHT_WIDTH)
        canvas = BrailleCanvas(plot_width, rows)
        ghost = self.ghost
        # The y-axis spans this run's losses; the earlier run's only until this one has some.
        span = finite_range([y for _, y in self.now.losses]) or (
            finite_range([y for _, y in ghost.losses]) if ghost else None
        )
        lines: list[Row] = [self.caption()]
        if span is None and not self.now.test_acc:
            lines += [[(" " * LOSS_LABEL_WIDTH + self.words["press-start"], axis)]] + [[]] * (
                rows - 1
            )
        else:
            high = span[1] if span else 1.0
            x_max = float(max(self.now.total_steps, ghost.total_steps if ghost else 0, 1))
            self.draw(canvas, high, x_max)
            layers = [
                style(f"accuracy-chart--{name}")
                for name in ("ghost", "ghost", "loss", "train", "test")
            ]
            drawn = labelled_rows(
                canvas.rows(layers), loss_number(high), "0", axis, LOSS_LABEL_WIDTH
            )
            last = len(drawn) - 1
            for index, row in enumerate(drawn):
                right = "100%" if index == 0 else "0%" if index == last else ""
                row.append((" " + right.rjust(RIGHT_WIDTH - 1), axis))
            lines += drawn
        epochs = max(1, self.now.total_steps // max(1, self.now.steps_per_epoch))
        right = self.words["epochs"].format(epochs=epochs)
        gap = " " * max(0, plot_width - 1 - cell_len(right))
        lines.append([(" " * (LOSS_LABEL_WIDTH - 1) + "0" + gap + right, axis)])
        return lines
