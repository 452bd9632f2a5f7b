"""A training run stepped one minibatch at a time, so a UI can pause, single-step and reset it."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Solution, closed_form, make_dataset
from d2l_tui.training.engine import Engine, make_engine


@dataclass(eq=False)
class StepResult:
    """What one minibatch step did."""

    epoch: int
    """The epoch this step belongs to (1-based)."""
    step: int
    """Steps taken so far in the run, this one included."""
    batch: int
    """This step's minibatch within its epoch (1-based)."""
    loss: float
    """Mean loss of the minibatch, before the update."""
    read_params: Callable[[], Solution]
    """Reads w and b from the engine. Called only when someone looks: copying them out of MXNet
    at every step cost ~10% of the book's training speed, and the loop reports them ~20 times a
    second. Read before the next step (the loop does), they are this step's parameters."""
    epoch_loss: float | None = None
    """Mean loss over the whole dataset when this step ended an epoch, else None."""
    _params: Solution | None = None

    def _solution(self) -> Solution:
        if self._params is None:
            self._params = self.read_params()
        return self._params

    @property
    def w(self) -> tuple[float, ...]:
        """The weights after this step."""
        return self._solution().w

    @property
    def b(self) -> float:
        """The bias after this step."""
        return self._solution().b


class TrainingRun:
    """Linear regression trained by one engine; `step()` runs exactly one minibatch.

    Building it loads MXNet (about a second the first time): do it in a worker, not the UI thread.

    Raises:
        MXNetUnavailable: MXNet cannot load and `fallback` is false.
    """

    def __init__(self, config: TrainConfig, *, fallback: bool = True) -> None:
        self.config = config
        self.dataset = make_dataset(config)
        self.closed_form: Solution = closed_form(self.dataset)
        """The exact least-squares solution on the same data."""
        self.steps_per_epoch = math.ceil(config.examples / config.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        self._fallback = fallback
        self.reset()

    def reset(self) -> None:
        """Start over from the same initial weights; the same seed replays the same run."""
        self.engine: Engine = make_engine(self.config, self.dataset, fallback=self._fallback)
        self.initial_loss = self.engine.dataset_loss()
        """Mean loss over the dataset before any step."""
        self.steps = 0
        self.epochs_done = 0
        self.epoch_losses: list[float] = []
        self._batches: Iterator[Any] | None = None
        self._batch = 0

    @property
    def done(self) -> bool:
        """True once every epoch has run."""
        return self.epochs_done >= self.config.epochs

    def step(self) -> StepResult:
        """Train on the next minibatch; at the end of an epoch also compute the dataset loss."""
        if self.done:
            raise RuntimeError("this run has finished: call reset() to train again")
        if self._batches is None:
            self._batches, self._batch = self.engine.batches(), 0
        loss = self.engine.train_batch(next(self._batches))
        self.steps += 1
        self._batch += 1
        epoch, epoch_loss = self.epochs_done + 1, None
        if self._batch == self.steps_per_epoch:
            self._batches = None
            self.epochs_done += 1
            epoch_loss = self.engine.dataset_loss()
            self.epoch_losses.append(epoch_loss)
        return StepResult(epoch, self.steps, self._batch, loss, self.engine.params, epoch_loss)
