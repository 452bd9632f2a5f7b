"""The worker-thread side of a classification panel: the test images to show, then the training."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.ui.widgets.classify_view import TestImages
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


def train_classifier(
    config: TrainConfig, post: Post, control: RunControl, data_dir: Path | None
) -> None:
    """Send the test images the run is judged on (the gallery shows them), then train."""
    from d2l_tui.datasets import DataError, load_dataset
    from d2l_tui.training.models import run_model

    outbox = ModelOutbox(post, control)
    try:
        loaded = load_dataset(config.dataset, data_dir)
    except DataError:
        loaded = None  # the engine fails the run and says why, in words
    if loaded is not None:
        outbox.send(TestImages(loaded.name, loaded.split.test_x))
    run_model(config, outbox.send, control, data_dir=data_dir)
    outbox.flush()
