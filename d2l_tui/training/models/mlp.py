"""The multilayer perceptron (§3.9 from scratch, §3.10 with Gluon), with §3.13's dropout."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import INIT, Batch, init_lock, rng
from d2l_tui.training.models.classifier import CLASSES, Classifier, GluonClassifier, sgd


def dropout(nd: Any, X: Any, drop_prob: float) -> Any:
    """The book's dropout: zero each unit with probability `drop_prob`, scale the rest up."""
    keep_prob = 1 - drop_prob
    if keep_prob == 1:
        return X
    mask = nd.random.uniform(0, 1, X.shape) < keep_prob
    return mask * X / keep_prob


class ScratchMLP(Classifier):
    """W1, b1, W2, b2 by hand: H = activation(XW1 + b1), O = HW2 + b2, Gluon's softmax cross-entropy.

    Like the book's §3.9, the loss is `gloss.SoftmaxCrossEntropyLoss`: the hand-written softmax
    overflows once hidden units grow large.
    """

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
        from mxnet.gluon import loss as gloss

        draw = rng(config, INIT)
        hidden = config.num_hidden
        self.W1 = self.nd.array(
            draw.normal(0.0, 0.01, size=(self.inputs, hidden)).astype(np.float32)
        )
        self.W2 = self.nd.array(draw.normal(0.0, 0.01, size=(hidden, CLASSES)).astype(np.float32))
        self.b1, self.b2 = self.nd.zeros(hidden), self.nd.zeros(CLASSES)
        self.params = [self.W1, self.W2, self.b1, self.b2]  # weights first: `sgd` decays those
        for param in self.params:
            param.attach_grad()
        self.act = getattr(self.nd, config.activation)  # nd.relu, nd.sigmoid, nd.tanh
        self._loss = gloss.SoftmaxCrossEntropyLoss()
        with init_lock:
            self.mx.random.seed(config.seed)  # dropout's masks

    def forward(self, X: Any) -> Any:
        """Scores O; dropout on H only while training (`autograd.is_training()`)."""
        H = self.act(self.nd.dot(X, self.W1) + self.b1)
        if self.config.dropout and self.autograd.is_training():
            H = dropout(self.nd, H, self.config.dropout)
        return self.nd.dot(H, self.W2) + self.b2

    def loss(self, out: Any, y: Any) -> Any:
        """`SoftmaxCrossEntropyLoss`."""
        return self._loss(out, y)

    def weights(self) -> list[Any]:
        """W1 and W2."""
        return [self.W1, self.W2]

    def train_batch(self, batch: Batch) -> float:
        """Record the loss, backpropagate, and update the four parameters with `sgd`."""
        X, y = batch
        with self.autograd.record():
            loss = self._loss(self.forward(X), y)
        loss.backward()
        c = self.config
        sgd(self.params, c.lr, c.batch_size, decayed=2, weight_decay=c.weight_decay)
        return float(loss.asnumpy().mean())


class GluonMLP(GluonClassifier):
    """`nn.Sequential` of `Dense(num_hidden, activation=...)`, optional `Dropout`, and `Dense(10)`."""

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
        net.add(nn.Dense(config.num_hidden, activation=config.activation))
        if config.dropout:
            net.add(nn.Dropout(config.dropout))
        net.add(nn.Dense(CLASSES))
        self.setup(net)
