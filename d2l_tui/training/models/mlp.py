"""The multilayer perceptron (§3.9 from scratch, §3.10 with Gluon), with §3.13's dropout."""

from __future__ import annotations

from typing import Any

import numpy as np
from d2l_tui.training.models.base import INIT, init_lock, rng
from d2l_tui.training.models.classifier import CLASSES, GluonClassifier, ScratchClassifier


def dropout(nd: Any, X: Any, drop_prob: float) -> Any:
    """The book's dropout: zero each unit with probability `drop_prob`, scale the rest up."""
    keep_prob = 1 - drop_prob
    if keep_prob == 1:
        return X
    mask = nd.random.uniform(0, 1, X.shape) < keep_prob
    return mask * X / keep_prob


class ScratchMLP(ScratchClassifier):
    """W1, b1, W2, b2 by hand: H = activation(XW1 + b1), O = HW2 + b2, Gluon's softmax cross-entropy.

    Like the book's §3.9, the loss is `gloss.SoftmaxCrossEntropyLoss`: the hand-written softmax
    overflows once hidden units grow large.
    """

    def build(self) -> None:
        """Draw W1 and W2 (seeded), zero b1 and b2, and seed MXNet for dropout's masks."""
        from mxnet.gluon import loss as gloss

        config = self.config
        draw = rng(config, INIT)
        hidden = config.num_hidden
        self.W1 = self.nd.array(
            draw.normal(0.0, 0.01, size=(self.inputs, hidden)).astype(np.float32)
        )
        self.W2 = self.nd.array(draw.normal(0.0, 0.01, size=(hidden, CLASSES)).astype(np.float32))
        self.b1, self.b2 = self.nd.zeros(hidden), self.nd.zeros(CLASSES)
        self.params = [self.W1, self.W2, self.b1, self.b2]  # weights first: `sgd` decays those
        self.decayed = 2
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


class GluonMLP(GluonClassifier):
    """`nn.Sequential` of `Dense(num_hidden, activation=...)`, optional `Dropout`, and `Dense(10)`."""

    def layers(self) -> list[Any]:
        """The hidden Dense layer, dropout if asked, and the output layer."""
        from mxnet.gluon import nn

        c = self.config
        dropout = [nn.Dropout(c.dropout)] if c.dropout else []
        return [nn.Dense(c.num_hidden, activation=c.activation), *dropout, nn.Dense(CLASSES)]
