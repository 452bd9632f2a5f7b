"""The from-scratch algorithm in plain NumPy, so lessons still train where MXNet has no wheel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Dataset, Solution, initial_weights, mean_loss
from d2l_tui.training.engine import Engine, ShuffledIndices


class NumpyEngine(Engine):
    """Minibatch SGD with hand-written gradients; same data, init and batch order as `scratch`."""

    impl = "numpy"

    def __init__(
        self, config: TrainConfig, dataset: Dataset, *, fallback_reason: str | None = None
    ) -> None:
        super().__init__(config, dataset)
        self.fallback_reason = fallback_reason
        self.name = "NumPy (MXNet unavailable)" if fallback_reason else "NumPy"
        self._order = ShuffledIndices(config)
        self._w = initial_weights(config).reshape(-1).astype(np.float64)
        self._b = 0.0

    def batches(self) -> Iterator[NDArray[Any]]:
        """Yield one epoch's shuffled index arrays."""
        return self._order.epoch()

    def train_batch(self, batch: NDArray[Any]) -> float:
        """Step on the minibatch: the gradient of sum((Xw + b - y)^2 / 2) is X^T r and sum(r)."""
        x = self.dataset.features[batch].astype(np.float64)
        y = self.dataset.labels[batch]
        # A diverging run overflows to inf/nan on purpose: the training doctor reports it.
        with np.errstate(over="ignore", invalid="ignore"):
            residual = x @ self._w + self._b - y
            loss = float(np.mean(residual**2) / 2)
            step = self.config.lr / self.config.batch_size
            self._w = self._w - step * (x.T @ residual)
            self._b = self._b - step * float(residual.sum())
        return loss

    def params(self) -> Solution:
        """Return the current weights and bias."""
        return Solution(tuple(float(v) for v in self._w), float(self._b))

    def dataset_loss(self) -> float:
        """Return the mean squared loss over the whole dataset."""
        return mean_loss(self.dataset, self._w, self._b)
