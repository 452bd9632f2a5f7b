"""A linear model fitted by minibatch SGD and measured on a training and a test set (§3.11, §3.12)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import (
    INIT,
    Batch,
    ModelEngine,
    gluon_step,
    init_lock,
    rng,
    weight_norm,
)
from d2l_tui.training.models.events import Measures


def l2_penalty(w: Any) -> Any:
    """The book's λ-less penalty ‖w‖² / 2."""
    return (w**2).sum() / 2


def coefficients(b: Any, w: Any) -> tuple[float, ...]:
    """(b, w₁, w₂, …) as floats: a poly run's fitted polynomial, from x⁰ up."""
    return (float(b.asnumpy().reshape(-1)[0]), *(float(v) for v in w.asnumpy().reshape(-1)))


class ScratchRegressor(ModelEngine):
    """y_hat = Xw + b with squared loss and `l = loss + λ · l2_penalty(w)`, exactly as §3.12 writes it."""

    name = "MXNet nd, from scratch"
    impl = "scratch"

    def __init__(
        self, config: TrainConfig, data: tuple[NDArray[Any], ...], init_sigma: float
    ) -> None:
        train_x, train_y, test_x, test_y = data
        super().__init__(config, train_x, train_y)
        self.test_x, self.test_y = self.nd.array(test_x), self.nd.array(test_y)
        start = rng(config, INIT).normal(0.0, init_sigma, size=(train_x.shape[1], 1))
        self.w, self.b = self.nd.array(start.astype(np.float32)), self.nd.zeros(1)
        self.w.attach_grad()
        self.b.attach_grad()

    def _loss(self, X: Any, y: Any) -> Any:
        return (self.nd.dot(X, self.w) + self.b - y.reshape((-1, 1))) ** 2 / 2

    def train_batch(self, batch: Batch) -> float:
        """Record loss plus penalty, backpropagate, and take the book's `sgd` step."""
        X, y = batch
        c = self.config
        with self.autograd.record():
            loss = self._loss(X, y)
            total = loss + c.weight_decay * l2_penalty(self.w) if c.weight_decay else loss
        total.backward()
        step = c.lr / c.batch_size
        for param in (self.w, self.b):
            param -= step * param.grad
        return float(loss.asnumpy().mean())

    def measure(self) -> Measures:
        """Mean squared loss on both sets, ‖w‖ and the learned (b, w)."""
        train = float(self._loss(self.train_x, self.train_y).mean().asscalar())
        test = float(self._loss(self.test_x, self.test_y).mean().asscalar())
        norm = weight_norm(self.nd, [self.w])
        return Measures(train, test, weight_norm=norm, coefficients=coefficients(self.b, self.w))


class GluonRegressor(ModelEngine):
    """`nn.Dense(1)`, `L2Loss`, and trainers with `wd` on the weight only (§3.11, §3.12)."""

    name = "MXNet Gluon"
    impl = "gluon"

    def __init__(
        self, config: TrainConfig, data: tuple[NDArray[Any], ...], initializer: Any
    ) -> None:
        from mxnet import gluon
        from mxnet.gluon import nn

        train_x, train_y, test_x, test_y = data
        super().__init__(config, train_x, train_y)
        self.test_x, self.test_y = self.nd.array(test_x), self.nd.array(test_y)
        self.net = nn.Sequential()
        self.net.add(nn.Dense(1))
        with init_lock:
            self.mx.random.seed(config.seed)
            self.net.initialize(initializer)
            self.net(self.train_x[:1]).wait_to_read()
        self._loss = gluon.loss.L2Loss()
        lr, dense = config.lr, self.net[0]
        self.trainers = [
            gluon.Trainer([dense.weight], "sgd", {"learning_rate": lr, "wd": config.weight_decay}),
            gluon.Trainer([dense.bias], "sgd", {"learning_rate": lr}),
        ]

    def train_batch(self, batch: Batch) -> float:
        """Record the loss, backpropagate, and let both trainers step by the batch size."""
        return gluon_step(self, self.net, self._loss, self.trainers, batch)

    def measure(self) -> Measures:
        """Mean L2 loss on both sets, ‖w‖ and the learned (b, w)."""
        train = float(self._loss(self.net(self.train_x), self.train_y).mean().asscalar())
        test = float(self._loss(self.net(self.test_x), self.test_y).mean().asscalar())
        dense = self.net[0]
        w, b = dense.weight.data(), dense.bias.data()
        norm = weight_norm(self.nd, [w])
        return Measures(train, test, weight_norm=norm, coefficients=coefficients(b, w))
