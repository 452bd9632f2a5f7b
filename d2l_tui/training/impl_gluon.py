"""The book's concise linear regression: `DataLoader`, `nn.Dense(1)`, `L2Loss`, `gluon.Trainer`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from d2l_tui.mxnet_env import load_mxnet
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Dataset, Solution, shuffle_rng
from d2l_tui.training.engine import Engine

# MXNet's random state is global: seeding and initialising must not interleave between runs.
_init_lock = threading.Lock()


class SeededSampler:
    """Shuffles like `DataLoader(shuffle=True)`, but from the run's generator.

    `shuffle=True` draws from NumPy's global random state, which another thread could move,
    so the same seed would not always give the same run.
    """

    def __init__(self, length: int, rng: np.random.Generator) -> None:
        self._length = length
        self._rng = rng

    def __iter__(self) -> Iterator[int]:
        return iter(self._rng.permutation(self._length).tolist())

    def __len__(self) -> int:
        return self._length


class GluonEngine(Engine):
    """Linear regression with Gluon, as in the book's section 3.3."""

    name = "MXNet Gluon"
    impl = "gluon"

    def __init__(self, config: TrainConfig, dataset: Dataset) -> None:
        super().__init__(config, dataset)
        mx = load_mxnet()
        from mxnet import autograd, gluon, init
        from mxnet.gluon import data as gdata
        from mxnet.gluon import loss as gloss
        from mxnet.gluon import nn

        self._autograd = autograd
        self.features = mx.nd.array(dataset.features)
        self.labels = mx.nd.array(dataset.labels)
        sampler = SeededSampler(config.examples, shuffle_rng(config))
        self.data_iter = gdata.DataLoader(
            gdata.ArrayDataset(self.features, self.labels), config.batch_size, sampler=sampler
        )
        self.net = nn.Sequential()
        self.net.add(nn.Dense(1))
        with _init_lock:
            mx.random.seed(config.seed)
            self.net.initialize(init.Normal(sigma=0.01))
            self.net(self.features[:1]).wait_to_read()  # deferred init happens on the first call
        self.loss = gloss.L2Loss()
        self.trainer = gluon.Trainer(self.net.collect_params(), "sgd", {"learning_rate": config.lr})

    def batches(self) -> Iterator[Any]:
        """Yield (X, y) minibatches from the DataLoader."""
        return iter(self.data_iter)

    def train_batch(self, batch: Any) -> float:
        """Record the loss, backpropagate, and let the Trainer step by the batch size."""
        X, y = batch
        with self._autograd.record():
            loss = self.loss(self.net(X), y)
        loss.backward()
        self.trainer.step(self.config.batch_size)
        # Averaged by NumPy after the copy: an MXNet `mean()` is one more operator call per step,
        # which cost ~10% of the book's training speed (benchmarks/train_throughput.py).
        return float(loss.asnumpy().mean())

    def params(self) -> Solution:
        """Return `net[0].weight.data()` and `net[0].bias.data()`."""
        dense = self.net[0]
        w = dense.weight.data().asnumpy().reshape(-1)
        return Solution(tuple(float(v) for v in w), float(dense.bias.data().asnumpy()[0]))

    def dataset_loss(self) -> float:
        """Return `loss(net(features), labels).mean()`."""
        return float(self.loss(self.net(self.features), self.labels).mean().asscalar())
