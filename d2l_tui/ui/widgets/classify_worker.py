"""The worker-thread side of a classification panel: the test images to show, then the training."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.ui.widgets.classify_view import PolySample, TestImages
from d2l_tui.ui.widgets.training_worker import SEND_INTERVAL, Outbox, Post

BATCHED = ("ModelProgress", "ModelEpochEnd")
"""Events that wait for the next batch (4 a second), as Progress and EpochEnd do."""


class ModelOutbox(Outbox):
    """The training panel's outbox, batching a model run's progress events the same way."""

    def send(self, event: object) -> None:
        self._pending.append(event)
        batchable = type(event).__name__ in BATCHED
        if batchable and not self._control.paused and self._clock() - self._last < SEND_INTERVAL:
            return
        self.flush()


def picture_of(config: TrainConfig, data_dir: Path | None) -> TestImages | PolySample | None:
    """What the panel draws beside the curves: test images for a classifier, a poly run's points."""
    from d2l_tui.datasets import DataError, load_dataset

    if config.model == "poly":
        from d2l_tui.training.models.poly import TRUE_B, TRUE_W, poly_data

        train_x, train_y, test_x, _ = poly_data(config)  # the engine's own data: same seed, same points
        xs = [*train_x[:, 0].tolist(), *test_x[:, 0].tolist()]
        span = (float(min(xs)), float(max(xs)))
        return PolySample(tuple(train_x[:, 0].tolist()), tuple(train_y.tolist()), (TRUE_B, *TRUE_W), span)
    if config.model == "high-dim":
        return None
    try:
        loaded = load_dataset(config.dataset, data_dir)
    except DataError:
        return None  # the engine fails the run and says why, in words
    return TestImages(loaded.name, loaded.split.test_x)


def train_classifier(
    config: TrainConfig, post: Post, control: RunControl, data_dir: Path | None
) -> None:
    """Send what the panel draws beside the curves (test images, a poly run's points), then train."""
    from d2l_tui.training.models import run_model

    outbox = ModelOutbox(post, control)
    picture = picture_of(config, data_dir)
    if picture is not None:
        outbox.send(picture)
    run_model(config, outbox.send, control, data_dir=data_dir)
    outbox.flush()
