"""What every model engine offers, the run's seeded random streams, and shared helpers."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.events import MISCLASSIFIED, Measures

# Separate streams as in `training.data`: the batch size does not change the data or the init.
DATA, INIT, SHUFFLE = 0, 1, 2

init_lock = threading.Lock()
"""MXNet's random state is global: seeding and initialising must not interleave between runs."""

Batch = tuple[Any, Any]


def rng(config: TrainConfig, stream: int) -> np.random.Generator:
    """The run's own generator for one purpose (data, init or shuffling)."""
    return np.random.default_rng([config.seed, stream])


class ModelEngine(ABC):
    """One model and implementation, trained one minibatch at a time on (train, test) arrays."""

    name = ""
    impl = ""

    def __init__(self, config: TrainConfig, train_x: NDArray[Any], train_y: NDArray[Any]) -> None:
        from d2l_tui.mxnet_env import load_mxnet

        self.config = config
        self.mx = load_mxnet()
        self.nd = self.mx.nd
        self.autograd = self.mx.autograd
        self.train_x = self.nd.array(train_x)
        self.train_y = self.nd.array(train_y)
        self.examples = len(train_x)
        self._shuffle = rng(config, SHUFFLE)

    def batches(self) -> Iterator[Batch]:
        """One epoch's minibatches in a fresh order, like the book's `data_iter`.

        The epoch's examples are gathered in shuffled order with one `take` each, and the
        minibatches are slices of that (views, no operator call per batch).
        """
        order = self._shuffle.permutation(self.examples)
        index = self.nd.array(order)
        X_all, y_all = self.train_x.take(index), self.train_y.take(index)
        size = self.config.batch_size
        for start in range(0, self.examples, size):
            yield X_all[start : start + size], y_all[start : start + size]

    @abstractmethod
    def train_batch(self, batch: Batch) -> float:
        """Take one SGD step on a minibatch and return its mean loss (before the step)."""

    @abstractmethod
    def measure(self) -> Measures:
        """Measure the model on the whole training and test sets."""


def gluon_step(
    engine: ModelEngine, net: Any, loss_fn: Any, trainers: list[Any], batch: Batch
) -> float:
    """Record `loss_fn(net(X), y)`, backpropagate, and let each Gluon Trainer step by the batch size."""
    X, y = batch
    with engine.autograd.record():
        loss = loss_fn(net(X), y)
    loss.backward()
    for trainer in trainers:
        trainer.step(engine.config.batch_size)
    return float(loss.asnumpy().mean())


def class_measures(
    train_loss: float,
    train_acc: float,
    test_loss: float,
    predicted: NDArray[Any],
    labels: NDArray[Any],
    norm: float,
) -> Measures:
    """Measures of a classifier from its test predictions."""
    wrong = np.flatnonzero(predicted != labels)
    return Measures(
        train_loss=train_loss,
        test_loss=test_loss,
        train_acc=train_acc,
        test_acc=float(np.mean(predicted == labels)),
        predictions=tuple(int(p) for p in predicted),
        misclassified=tuple(int(i) for i in wrong[:MISCLASSIFIED]),
        weight_norm=norm,
    )


def weight_norm(nd: Any, weights: list[Any]) -> float:
    """‖w‖ over every weight array together."""
    return float(sum(float((w * w).sum().asscalar()) for w in weights) ** 0.5)
