"""The book's linear regression from scratch: `nd`, `attach_grad`, `autograd.record`, own `sgd`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    """Minibatch SGD updating in place, dividing by the configured batch size as the book does."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


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
        self.w = self._nd.array(initial_weights(config))
        self.b = self._nd.zeros(shape=(1,))
        self.w.attach_grad()
        self.b.attach_grad()
        self._order = ShuffledIndices(config)

    def batches(self) -> Iterator[Any]:
        """Yield index NDArrays for `features.take(j)`, like the book's `data_iter`."""
        for indices in self._order.epoch():
            yield self._nd.array(indices)

    def train_batch(self, batch: Any) -> float:
        """Record the loss, backpropagate, and update w and b with `sgd`."""
        X, y = self.features.take(batch), self.labels.take(batch)
        with self._autograd.record():
            loss = squared_loss(linreg(self._nd, X, self.w, self.b), y)
        loss.backward()  # on a non-scalar, backward sums the losses first
        sgd([self.w, self.b], self.config.lr, self.config.batch_size)
        return float(loss.mean().asscalar())

    def params(self) -> Solution:
        """Return the current weights and bias."""
        w = self.w.asnumpy().reshape(-1)
        return Solution(tuple(float(v) for v in w), float(self.b.asnumpy()[0]))

    def dataset_loss(self) -> float:
        """Return `squared_loss(linreg(features, w, b), labels).mean()`."""
        y_hat = linreg(self._nd, self.features, self.w, self.b)
        return float(squared_loss(y_hat, self.labels).mean().asscalar())
