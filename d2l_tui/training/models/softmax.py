"""Softmax regression (§3.6 from scratch, §3.7 with Gluon) on flat images."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import INIT, Batch, rng
from d2l_tui.training.models.classifier import CLASSES, Classifier, GluonClassifier, sgd


def softmax(X: Any) -> Any:
    """The book's softmax: exponentiate, then divide each row by its sum."""
    X_exp = X.exp()
    partition = X_exp.sum(axis=1, keepdims=True)
    return X_exp / partition


def cross_entropy(nd: Any, y_hat: Any, y: Any) -> Any:
    """The book's cross-entropy: minus the log of the probability `nd.pick`ed at the true class."""
    return -nd.pick(y_hat, y).log()


class ScratchSoftmax(Classifier):
    """W (inputs × 10) and b (10) trained by hand with `autograd` and the book's `sgd`."""

    name = "MXNet nd, from scratch"
    impl = "scratch"

    def __init__(
        self,
        config: TrainConfig,
        train_x: NDArray[Any],
        train_y: NDArray[Any],
        test_x: NDArray[Any],
        test_y: NDArray[Any],
    ) -> None:
        super().__init__(config, train_x, train_y, test_x, test_y)
        start = rng(config, INIT).normal(0.0, 0.01, size=(self.inputs, CLASSES)).astype(np.float32)
        self.W, self.b = self.nd.array(start), self.nd.zeros(CLASSES)
        self.W.attach_grad()
        self.b.attach_grad()

    def forward(self, X: Any) -> Any:
        """The book's `net`: softmax(XW + b)."""
        return softmax(self.nd.dot(X, self.W) + self.b)

    def loss(self, out: Any, y: Any) -> Any:
        """`cross_entropy`."""
        return cross_entropy(self.nd, out, y)

    def weights(self) -> list[Any]:
        """W."""
        return [self.W]

    def train_batch(self, batch: Batch) -> float:
        """Record the cross-entropy, backpropagate, and update W and b with `sgd`."""
        X, y = batch
        with self.autograd.record():
            loss = cross_entropy(self.nd, self.forward(X), y)
        loss.backward()
        c = self.config
        sgd([self.W, self.b], c.lr, c.batch_size, decayed=1, weight_decay=c.weight_decay)
        return float(loss.asnumpy().mean())


class GluonSoftmax(GluonClassifier):
    """`nn.Dense(10)` with `SoftmaxCrossEntropyLoss` and `gluon.Trainer`."""

    def __init__(
        self,
        config: TrainConfig,
        train_x: NDArray[Any],
        train_y: NDArray[Any],
        test_x: NDArray[Any],
        test_y: NDArray[Any],
    ) -> None:
        super().__init__(config, train_x, train_y, test_x, test_y)
        from mxnet.gluon import nn

        net = nn.Sequential()
        net.add(nn.Dense(CLASSES))
        self.setup(net)
