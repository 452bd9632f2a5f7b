"""What every training engine offers, and the factory that picks one (falling back to NumPy)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Dataset, Solution, shuffle_rng


class Engine(ABC):
    """One implementation of minibatch SGD for linear regression, driven a minibatch at a time."""

    name = ""
    """What the learner sees, e.g. "MXNet nd, from scratch"."""
    impl = ""
    """The `impl` setting this engine implements."""
    fallback_reason: str | None = None
    """Why MXNet could not be used, when this engine stands in for an MXNet one."""

    def __init__(self, config: TrainConfig, dataset: Dataset) -> None:
        self.config = config
        self.dataset = dataset

    @abstractmethod
    def batches(self) -> Iterator[Any]:
        """Yield one epoch's minibatches, freshly shuffled."""

    @abstractmethod
    def train_batch(self, batch: Any) -> float:
        """Take one SGD step on a minibatch and return its mean loss."""

    @abstractmethod
    def params(self) -> Solution:
        """Return the current weights and bias."""

    @abstractmethod
    def dataset_loss(self) -> float:
        """Return the mean loss over the whole dataset, as the book prints after each epoch."""


def epoch_order(rng: np.random.Generator, examples: int, batch_size: int) -> Iterator[NDArray[Any]]:
    """Yield shuffled index arrays of `batch_size` (the last one may be shorter), like `data_iter`."""
    indices = rng.permutation(examples)
    for start in range(0, examples, batch_size):
        yield indices[start : start + batch_size]


class ShuffledIndices:
    """Index arrays for every epoch from the run's own generator, never a global random state."""

    def __init__(self, config: TrainConfig) -> None:
        self._rng = shuffle_rng(config)
        self._examples = config.examples
        self._batch_size = config.batch_size

    def epoch(self) -> Iterator[NDArray[Any]]:
        """Yield the next epoch's minibatch indices."""
        return epoch_order(self._rng, self._examples, self._batch_size)


def make_engine(config: TrainConfig, dataset: Dataset, *, fallback: bool = True) -> Engine:
    """Build the engine for `config.impl`; without MXNet, use NumPy when `fallback` is true.

    Raises:
        MXNetUnavailable: MXNet cannot load and `fallback` is false.
    """
    from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet
    from d2l_tui.training.impl_numpy import NumpyEngine

    if config.impl == "numpy":
        return NumpyEngine(config, dataset)
    try:
        load_mxnet()
    except MXNetUnavailable as error:
        if not fallback:
            raise
        return NumpyEngine(config, dataset, fallback_reason=error.reason)
    if config.impl == "gluon":
        from d2l_tui.training.impl_gluon import GluonEngine

        return GluonEngine(config, dataset)
    from d2l_tui.training.impl_scratch import ScratchEngine

    return ScratchEngine(config, dataset)
