"""The data and the line being fitted: y against the most telling feature, redrawn as w, b move."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style

from d2l_tui.training.config import TrainConfig

if TYPE_CHECKING:  # the data module imports NumPy, which the app does not load to start
    from d2l_tui.training.data import Dataset
from d2l_tui.ui.widgets.braille_canvas import BrailleCanvas, Scale
from d2l_tui.ui.widgets.loss_chart import LABEL_WIDTH, Row, StripChart, labelled_rows, short_number
from d2l_tui.ui.widgets.training_words import labels

SAMPLE_POINTS = 300
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
DATA, TRUE, FITTED = 0, 1, 2


@dataclass(frozen=True)
class DataSample:
    """Up to SAMPLE_POINTS examples of a run's data, projected on one feature."""

    feature: int
    """0-based index of the feature on the x axis (the one with the largest true weight)."""
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    examples: int


def feature_of(config: TrainConfig) -> int:
    """The feature drawn on the x axis: the one with the largest true weight (x₂ in the book)."""
    weights = [abs(w) for w in config.true_w]
    return weights.index(max(weights))


def sample_data(config: TrainConfig, dataset: Dataset | None = None) -> DataSample:
    """Rebuild the run's data (same seed, same data) and keep a few points to draw; for a worker."""
    import numpy as np  # imported here: the app starts without NumPy

    from d2l_tui.training.data import make_dataset

    dataset = dataset or make_dataset(config)
    feature = feature_of(config)
    rng = np.random.default_rng(config.seed)
    count = min(SAMPLE_POINTS, config.examples)
    picked = rng.choice(config.examples, size=count, replace=False)
    xs = dataset.features[picked, feature].astype(float)
    ys = dataset.labels[picked].astype(float)
    return DataSample(feature, tuple(xs.tolist()), tuple(ys.tolist()), config.examples)


class FitPlot(StripChart):
    """A braille scatter of the data with the true line and the learned line drawn over it."""

    COMPONENT_CLASSES = {"fit-plot--data", "fit-plot--true", "fit-plot--fitted", "fit-plot--axis"}
    DEFAULT_CSS = """
    FitPlot { height: 9; }
    FitPlot > .fit-plot--data { color: $foreground 45%; }
    FitPlot > .fit-plot--true { color: $success; }
    FitPlot > .fit-plot--fitted { color: $accent; text-style: bold; }
    FitPlot > .fit-plot--axis { color: $foreground 60%; }
    """

    def __init__(self, *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = labels(lang)
        self.sample: DataSample | None = None
        self.true_line: tuple[float, float] | None = None
        self.fitted: tuple[float, float] | None = None
        self.feature = 0
        """0-based index of the feature on the x axis, named in the caption before any data."""
        self._scales: tuple[Scale, Scale, float, float] | None = None
        self._data: tuple[DataSample, tuple[int, int], BrailleCanvas] | None = None
        """The data's dots, drawn once per sample and size (they do not move while training)."""

    def show(
        self,
        sample: DataSample | None,
        true_line: tuple[float, float] | None,
        fitted: tuple[float, float] | None,
        feature: int = 0,
    ) -> None:
        """Draw the data with lines y = slope * x + intercept, each given as (slope, intercept).

        Nothing is redrawn when the learned line would land on the same dots as before.
        """
        unchanged = (
            feature == self.feature
            and sample is self.sample
            and true_line == self.true_line
            and self._dots_of(fitted) == self._dots_of(self.fitted)
        )
        self.sample, self.true_line, self.fitted, self.feature = sample, true_line, fitted, feature
        if not unchanged:
            self.invalidate()

    def _dots_of(self, line: tuple[float, float] | None) -> tuple[int, int] | None:
        """Where a line's ends fall on the canvas as last drawn."""
        if line is None or self._scales is None:
            return None
        _, y_of, x_low, x_high = self._scales
        slope, intercept = line
        left, right = y_of(slope * x_low + intercept), y_of(slope * x_high + intercept)
        if not (math.isfinite(left) and math.isfinite(right)):
            return None
        return round(left), round(right)

    def build(self, width: int, height: int) -> list[Row]:
        axis = self.get_component_rich_style("fit-plot--axis")
        styles = [
            self.get_component_rich_style(f"fit-plot--{name}")
            for name in ("data", "true", "fitted")
        ]
        sample = self.sample
        name = f"x{self.feature + 1}".translate(SUBSCRIPTS)
        words = self.words
        caption: Row = [
            (words["data"], Style(bold=True)),
            (words["y-against"].format(name=name), axis),
            (words["learned-line"], styles[FITTED]),
            (words["true-line"], styles[TRUE]),
        ]
        if sample is None or not sample.xs:
            self._scales = None
            return [caption, [(" " * LABEL_WIDTH + words["data-later"], axis)]]
        rows, plot_width = max(1, height - 2), max(4, width - LABEL_WIDTH)
        x_low, x_high = min(sample.xs), max(sample.xs)
        y_low, y_high = min(sample.ys), max(sample.ys)
        key = (plot_width, rows)
        if self._data is None or self._data[0] is not sample or self._data[1] != key:
            data = BrailleCanvas(plot_width, rows)
            x_of = Scale(x_low, x_high, data.dots_x)
            y_of = Scale(y_low, y_high, data.dots_y, flip=True)
            for x, y in zip(sample.xs, sample.ys, strict=True):
                data.dot(x_of(x), y_of(y), DATA)
            self._data, self._scales = (sample, key, data), (x_of, y_of, x_low, x_high)
        assert self._scales is not None  # set with the data above
        canvas = self._data[2].copy()
        x_of, y_of = self._scales[0], self._scales[1]
        for layer, line in ((TRUE, self.true_line), (FITTED, self.fitted)):
            if line is not None:
                slope, intercept = line
                # Through the rounded ends `show` compares, so a skipped redraw would draw the same dots.
                canvas.line(
                    x_of(x_low),
                    _whole(y_of(slope * x_low + intercept)),
                    x_of(x_high),
                    _whole(y_of(slope * x_high + intercept)),
                    layer,
                )
        lines = [caption]
        lines += labelled_rows(canvas.rows(styles), short_number(y_high), short_number(y_low), axis)
        left, right = short_number(x_low), f"{short_number(x_high)}  {name}"
        lines.append(
            [
                (
                    " " * LABEL_WIDTH
                    + left
                    + " " * max(1, plot_width - cell_len(left) - cell_len(right))
                    + right,
                    axis,
                )
            ]
        )
        return lines


def _whole(dot: float) -> float:
    """A dot's row rounded as `FitPlot._dots_of` rounds it (a non-finite one as it is)."""
    return float(round(dot)) if math.isfinite(dot) else dot
