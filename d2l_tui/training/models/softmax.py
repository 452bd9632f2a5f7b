"""Softmax regression (§3.6 from scratch, §3.7 with Gluon) on flat images."""

from __future__ import annotations

from typing import Any

import numpy as np
from d2l_tui.training.models.base import INIT, rng
from d2l_tui.training.models.classifier import CLASSES, GluonClassifier, ScratchClassifier


def softmax(X: Any) -> Any:
    """The book's softmax: exponentiate, then divide each row by its sum."""
    X_exp = X.exp()
    partition = X_exp.sum(axis=1, keepdims=True)
    return X_exp / partition


def cross_entropy(nd: Any, y_hat: Any, y: Any) -> Any:
    """The book's cross-entropy: minus the log of the probability `nd.pick`ed at the true class."""
    return -nd.pick(y_hat, y).log()


class ScratchSoftmax(ScratchClassifier):
    """W (inputs × 10) and b (10) trained by hand with `autograd` and the book's `sgd`."""

    def build(self) -> None:
        """Draw W (seeded) and zero b."""
        draw = rng(self.config, INIT)
        start = draw.normal(0.0, 0.01, size=(self.inputs, CLASSES)).astype(np.float32)
        self.W, self.b = self.nd.array(start), self.nd.zeros(CLASSES)
        self.params, self.decayed = [self.W, self.b], 1
        self.W.attach_grad()
        self.b.attach_grad()

    def forward(self, X: Any) -> Any:
        """The book's `net`: softmax(XW + b)."""
        return softmax(self.nd.dot(X, self.W) + self.b)

    def loss(self, out: Any, y: Any) -> Any:
        """`cross_entropy`."""
        return cross_entropy(self.nd, out, y)


class GluonSoftmax(GluonClassifier):
    """`nn.Dense(10)` with `SoftmaxCrossEntropyLoss` and `gluon.Trainer`."""

    def layers(self) -> list[Any]:
        """One Dense layer of 10 outputs."""
        from mxnet.gluon import nn

        return [nn.Dense(CLASSES)]
