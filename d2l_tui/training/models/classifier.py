"""What softmax regression and the MLP share: test data, the book's `sgd`, measuring, Gluon training."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import (
    Batch,
    ModelEngine,
    class_measures,
    gluon_step,
    init_lock,
    weight_norm,
)
from d2l_tui.training.models.events import Measures

CLASSES = 10


def sgd(
    params: list[Any], lr: float, batch_size: int, decayed: int = 0, weight_decay: float = 0.0
) -> None:
    """The book's minibatch SGD in place; the first `decayed` params (the weights) also decay.

    `param -= step * grad` is `param[:] = param - lr * param.grad / batch_size` in fewer MXNet
    calls; weight decay shrinks a weight by lr·λ first, the gradient of λ/2·‖w‖² (§3.12).
    """
    step = lr / batch_size
    for i, param in enumerate(params):
        if i < decayed and weight_decay:
            param *= 1 - lr * weight_decay
        param -= step * param.grad


class Classifier(ModelEngine):
    """A classifier over flat images: forward pass, loss, and measuring on both sets."""

    def __init__(
        self,
        config: TrainConfig,
        train_x: NDArray[Any],
        train_y: NDArray[Any],
        test_x: NDArray[Any],
        test_y: NDArray[Any],
    ) -> None:
        super().__init__(config, train_x, train_y.astype(np.float32))
        self.inputs = int(train_x.shape[1])
        self.test_x = self.nd.array(test_x)
        self.test_labels = np.asarray(test_y)
        self.test_y = self.nd.array(test_y.astype(np.float32))
        self.build()

    @abstractmethod
    def build(self) -> None:
        """Make the parameters or the network (`self.config` says how big)."""

    @abstractmethod
    def forward(self, X: Any) -> Any:
        """The network's output for X (probabilities or scores; `loss` knows which)."""

    @abstractmethod
    def loss(self, out: Any, y: Any) -> Any:
        """Per-example loss of the outputs `out` for labels y."""

    @abstractmethod
    def weights(self) -> list[Any]:
        """The weight arrays (no biases), for ‖w‖."""

    def _on(self, X: Any, y: Any) -> tuple[float, NDArray[Any]]:
        out = self.forward(X)
        loss = float(self.loss(out, y).mean().asscalar())
        return loss, out.argmax(axis=1).asnumpy().astype(np.int64)

    def measure(self) -> Measures:
        """Loss and accuracy on the training and test sets (outside `autograd.record`: no dropout)."""
        train_loss, train_pred = self._on(self.train_x, self.train_y)
        train_acc = float(np.mean(train_pred == self.train_y.asnumpy().astype(np.int64)))
        test_loss, test_pred = self._on(self.test_x, self.test_y)
        norm = weight_norm(self.nd, self.weights())
        return class_measures(train_loss, train_acc, test_loss, test_pred, self.test_labels, norm)


class ScratchClassifier(Classifier):
    """Parameters by hand, weights first, updated with the book's `sgd` (weights also decay)."""

    name = "MXNet nd, from scratch"
    impl = "scratch"
    params: list[Any]
    decayed: int  # how many of `params` are weights

    def weights(self) -> list[Any]:
        """The first `decayed` params."""
        return self.params[: self.decayed]

    def train_batch(self, batch: Batch) -> float:
        """Record the loss, backpropagate, and update every parameter with `sgd`."""
        X, y = batch
        with self.autograd.record():
            loss = self.loss(self.forward(X), y)
        loss.backward()
        c = self.config
        sgd(self.params, c.lr, c.batch_size, self.decayed, weight_decay=c.weight_decay)
        return float(loss.asnumpy().mean())


class GluonClassifier(Classifier):
    """A Gluon `nn.Sequential` with `SoftmaxCrossEntropyLoss` and `gluon.Trainer`, as in §3.7 and §3.10."""

    name = "MXNet Gluon"
    impl = "gluon"

    @abstractmethod
    def layers(self) -> list[Any]:
        """The `nn.Sequential`'s blocks, in order."""

    def build(self) -> None:
        """Stack `layers()`, initialise them (seeded) and build the loss and the trainers."""
        from mxnet import gluon, init
        from mxnet.gluon import nn

        net = self.net = nn.Sequential()
        net.add(*self.layers())
        with init_lock:
            self.mx.random.seed(self.config.seed)
            net.initialize(init.Normal(sigma=0.01))
            net(self.train_x[:1]).wait_to_read()  # deferred init happens on the first call
        self._loss = gluon.loss.SoftmaxCrossEntropyLoss()
        lr, wd = self.config.lr, self.config.weight_decay
        if wd:  # §3.12: decay the weights only, so the biases get a trainer of their own
            self.trainers = [
                gluon.Trainer(
                    net.collect_params(".*weight"), "sgd", {"learning_rate": lr, "wd": wd}
                ),
                gluon.Trainer(net.collect_params(".*bias"), "sgd", {"learning_rate": lr}),
            ]
        else:
            self.trainers = [gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})]

    def forward(self, X: Any) -> Any:
        """Scores (the loss applies the softmax)."""
        return self.net(X)

    def loss(self, out: Any, y: Any) -> Any:
        """`SoftmaxCrossEntropyLoss`."""
        return self._loss(out, y)

    def weights(self) -> list[Any]:
        """Every Dense layer's weight."""
        return [p.data() for name, p in self.net.collect_params(".*weight").items()]

    def train_batch(self, batch: Batch) -> float:
        """Record the loss, backpropagate, and let the Trainer step by the batch size."""
        return gluon_step(self, self.net, self._loss, self.trainers, batch)
