"""What a classification panel shows of a run, built from the worker's events on the UI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from d2l_tui.training.history import LossHistory
from d2l_tui.ui.widgets.classify_chart import Curves
from d2l_tui.ui.widgets.classify_confusion import confusion_counts
from d2l_tui.ui.widgets.image_view import Picture
from d2l_tui.ui.widgets.training_view import CURVE_POINTS, RunView, curve_points

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from d2l_tui.datasets import Said
    from d2l_tui.training.models import Measures

GALLERY_MOST = 10
"""The most misclassified images a gallery is given (it shows as many as its width holds)."""


@dataclass(frozen=True)
class PolySample:
    """A poly run's training points (x, y) and the true polynomial's coefficients from x⁰ up."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    true: tuple[float, ...]
    span: tuple[float, float] | None = None
    """The x range of the training and test points together: with 2 training points the curves are
    still drawn where the test loss is measured, so an overfit curve shows how far off it goes."""


@dataclass(frozen=True)
class TestImages:
    """The test images a run is judged on, sent once by the worker before training (for the gallery)."""

    __test__ = False  # not a pytest class
    dataset: str
    images: NDArray[Any]
    """(n, h, w) greys in [0, 1] (a NumPy array), in the order of the predictions."""


class ClassifyRun:
    """Losses per minibatch, accuracies per epoch, the last epoch's test predictions and mistakes."""

    def __init__(self, steps_per_epoch: int = 1, total_steps: int = 1) -> None:
        self.losses = LossHistory(CURVE_POINTS)
        self.train_acc: list[float] = []
        self.test_acc: list[float] = []
        self.predictions: tuple[int, ...] = ()
        self.wrong: tuple[int, ...] = ()
        """Indices of misclassified test images, as the engine picked them."""
        self.steps_per_epoch, self.total_steps = max(1, steps_per_epoch), max(1, total_steps)
        self.labels: tuple[int, ...] = ()
        """The true class of every test image, as the engine sends it when the run starts."""
        self.dataset = ""
        """The dataset the engine really trains on (digits after a fallback), once started."""
        self.fallback: Said | None = None
        """Why the engine uses digits instead of the lesson's dataset."""
        self.measures: list[Measures] = []
        """Every finished epoch's measures (train and test loss, ‖w‖), in order."""

    def add_losses(self, losses: Sequence[float]) -> None:
        """Minibatch losses since the last call."""
        self.losses.extend(losses)

    def add_epoch(
        self, train_acc: float, test_acc: float, predictions: Sequence[int], wrong: Sequence[int]
    ) -> None:
        """One epoch's accuracies and test predictions."""
        self.train_acc.append(train_acc)
        self.test_acc.append(test_acc)
        self.predictions, self.wrong = tuple(predictions), tuple(wrong)

    def curves(self) -> Curves:
        """What the accuracy chart draws of this run."""
        points = curve_points(self.losses.values(), self.losses.count)
        return Curves(
            points,
            list(self.train_acc),
            list(self.test_acc),
            self.steps_per_epoch,
            self.total_steps,
        )

    def confusion(self, classes: int) -> list[list[int]] | None:
        """The last epoch's confusion counts, or None before the first epoch ends."""
        if not self.predictions or len(self.predictions) != len(self.labels):
            return None
        return confusion_counts(self.labels, self.predictions, classes)

    def mistakes(self, test: TestImages | None, names: Sequence[str]) -> list[Picture]:
        """The misclassified test images: predicted class above, true class below."""
        if (
            test is None
            or len(self.predictions) != len(self.labels)
            or len(test.images) != len(self.labels)
        ):
            return []
        return [
            Picture(test.images[i], names[self.predictions[i]], names[self.labels[i]])
            for i in self.wrong[:GALLERY_MOST]
            if 0 <= i < len(self.labels)
        ]

    def wrong_count(self) -> int:
        """How many test images the last epoch got wrong."""
        if len(self.predictions) != len(self.labels):
            return 0
        return sum(p != t for p, t in zip(self.predictions, self.labels, strict=True))

    def apply(self, event: object, view: RunView) -> None:
        """Take one event of a model run: into this run's curves, and the status line's `view`."""
        from d2l_tui.training.events import FinalEvent
        from d2l_tui.training.models.events import (
            ModelEpochEnd,
            ModelFinished,
            ModelProgress,
            ModelStarted,
        )

        if isinstance(event, ModelProgress):
            self.add_losses(event.losses)
            view.step, view.epoch, view.total_steps = event.step, event.epoch, event.total_steps
            view.rate, view.eta = event.steps_per_second, event.eta_seconds
        elif isinstance(event, ModelEpochEnd):
            measures = event.measures
            self.measures.append(measures)
            self.add_epoch(
                measures.train_acc or 0.0,
                measures.test_acc or 0.0,
                measures.predictions,
                measures.misclassified,
            )
            view.epoch_losses.append(event.loss)
        elif isinstance(event, ModelStarted):
            self.steps_per_epoch, self.total_steps = (
                max(1, event.steps_per_epoch),
                max(1, event.total_steps),
            )
            self.labels, self.dataset = tuple(event.test_labels), event.dataset
            self.fallback = event.fallback
            view.engine, view.total_steps, view.steps_per_epoch = (
                event.engine,
                event.total_steps,
                event.steps_per_epoch,
            )
            if view.phase == "starting":
                view.phase = "running"
        elif isinstance(event, ModelFinished):
            view.record, view.phase = event.record, event.record.outcome
            view.step, view.rate = view.total_steps, event.steps_per_second
        elif isinstance(event, FinalEvent):
            view.apply(event)  # diverged, stopped or failed: the training panel's own words
