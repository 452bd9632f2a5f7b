"""The book's synthetic linear-regression data and its closed-form least-squares solution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig

# Separate random streams, so changing the batch size does not change the data or the init.
_DATA, _INIT, _SHUFFLE = 0, 1, 2


@dataclass(frozen=True)
class Dataset:
    """Features X ~ N(0, 1) and labels y = Xw + b + noise, as float32 NumPy arrays."""

    features: NDArray[np.float32]
    """Shape (examples, inputs)."""
    labels: NDArray[np.float32]
    """Shape (examples,)."""


@dataclass(frozen=True)
class Solution:
    """A weight vector and a bias."""

    w: tuple[float, ...]
    b: float


def make_dataset(config: TrainConfig) -> Dataset:
    """Generate the dataset for a config; the same seed always gives the same data."""
    rng = np.random.default_rng([config.seed, _DATA])
    true_w = np.asarray(config.true_w, dtype=np.float64)
    features = rng.normal(0.0, 1.0, size=(config.examples, len(true_w)))
    labels = features @ true_w + config.true_b
    labels += rng.normal(0.0, config.noise, size=labels.shape)
    return Dataset(features.astype(np.float32), labels.astype(np.float32))


def initial_weights(config: TrainConfig) -> NDArray[np.float32]:
    """Return the scratch initial weights w ~ N(0, 0.01^2), shape (inputs, 1)."""
    rng = np.random.default_rng([config.seed, _INIT])
    return rng.normal(0.0, 0.01, size=(len(config.true_w), 1)).astype(np.float32)


def shuffle_rng(config: TrainConfig) -> np.random.Generator:
    """Return the generator that orders the minibatches of every epoch."""
    return np.random.default_rng([config.seed, _SHUFFLE])


def closed_form(dataset: Dataset) -> Solution:
    """Solve least squares exactly (normal equations via `lstsq`, with a bias column)."""
    x = dataset.features.astype(np.float64)
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    coef, *_ = np.linalg.lstsq(design, dataset.labels.astype(np.float64), rcond=None)
    return Solution(tuple(float(v) for v in coef[:-1]), float(coef[-1]))


def mean_loss(dataset: Dataset, w: NDArray[Any], b: float) -> float:
    """Return the book's squared loss (y_hat - y)^2 / 2 averaged over the whole dataset."""
    residual = dataset.features @ np.asarray(w).reshape(-1) + b - dataset.labels
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean(residual.astype(np.float64) ** 2) / 2)
