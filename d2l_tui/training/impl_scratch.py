"""The book's linear regression from scratch: `nd`, `attach_grad`, `autograd.record`, own `sgd`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from d2l_tui.mxnet_env import load_mxnet
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Dataset, Solution, initial_weights
from d2l_tui.training.engine import Engine, ShuffledIndices


def linreg(nd: Any, X: Any, w: Any, b: Any) -> Any:
    """The model y_hat = Xw + b."""
    return nd.dot(X, w) + b


def squared_loss(y_hat: Any, y: Any) -> Any:
    """The book's (y_hat - y)^2 / 2; the reshape matches y's shape (n,) to y_hat's (n, 1)."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[Any], lr: float, batch_size: int) -> None:
    """Minibatch SGD updating in place, dividing by the configured batch size as the book does.

    `param -= step * grad` is the book's `param[:] = param - lr * param.grad / batch_size` in two
    MXNet calls instead of four: each call costs tens of microseconds, a step only a few hundred.
    """
    step = lr / batch_size
    for param in params:
        param -= step * param.grad


class ScratchEngine(Engine):
    """Linear regression written out by hand with NDArrays, as in the book's section 3.2."""

    name = "MXNet nd, from scratch"
    impl = "scratch"

    def __init__(self, config: TrainConfig, dataset: Dataset) -> None:
        super().__init__(config, dataset)
        mx = load_mxnet()
        self._nd, self._autograd = mx.nd, mx.autograd
        self.features = self._nd.array(dataset.features)
        self.labels = self._nd.array(dataset.labels)
        self._label_column = self.labels.reshape((-1, 1))
        self.w = self._nd.array(initial_weights(config))
        self.b = self._nd.zeros(shape=(1,))
        self.w.attach_grad()
        self.b.attach_grad()
        self._order = ShuffledIndices(config)

    def batches(self) -> Iterator[Any]:
        """Yield (X, y) minibatches in a fresh random order, like the book's `data_iter`.

        The epoch's examples are gathered in shuffled order once (one `take` each) and the
        minibatches are slices of that, which MXNet hands out as views without an operator
        call: the same minibatches as `take` on each batch's indices, for a third of the calls.
        """
        chunks = list(self._order.epoch())
        order = self._nd.array(np.concatenate(chunks))
        X_all, y_all = self.features.take(order), self._label_column.take(order)
        start = 0
        for chunk in chunks:
            stop = start + len(chunk)
            yield X_all[start:stop], y_all[start:stop]
            start = stop

    def train_batch(self, batch: Any) -> float:
        """Record the loss, backpropagate, and update w and b with `sgd`."""
        X, y = batch
        with self._autograd.record():
            loss = (linreg(self._nd, X, self.w, self.b) - y) ** 2 / 2  # squared_loss; y is a column
        loss.backward()  # on a non-scalar, backward sums the losses first
        sgd([self.w, self.b], self.config.lr, self.config.batch_size)
        # Averaged by NumPy after the copy: an MXNet `mean()` is one more operator call per step,
        # which cost ~10% of the book's training speed (benchmarks/train_throughput.py).
        return float(loss.asnumpy().mean())

    def params(self) -> Solution:
        """Return the current weights and bias."""
        w = self.w.asnumpy().reshape(-1)
        return Solution(tuple(float(v) for v in w), float(self.b.asnumpy()[0]))

    def dataset_loss(self) -> float:
        """Return `squared_loss(linreg(features, w, b), labels).mean()`."""
        y_hat = linreg(self._nd, self.features, self.w, self.b)
        return float(squared_loss(y_hat, self.labels).mean().asscalar())
