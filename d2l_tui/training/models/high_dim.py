"""§3.12's high-dimensional linear regression: 200 features, few examples, with and without weight decay.

y = 0.05 + Σ 0.01·xᵢ + noise over 200 features; 20 training examples (`examples`) and 100 test
examples. Without weight decay the training loss falls while the test loss stays high; with
`weight_decay` 3 the gap closes and ‖w‖ shrinks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import DATA, ModelEngine, rng
from d2l_tui.training.models.regressor import GluonRegressor, ScratchRegressor

INPUTS, TRUE_W, TRUE_B = 200, 0.01, 0.05
TEST_EXAMPLES = 100


def high_dim_data(config: TrainConfig) -> tuple[NDArray[Any], ...]:
    """(train_x, train_y, test_x, test_y) as float32; the same seed, the same data."""
    draw = rng(config, DATA)
    n = config.examples + TEST_EXAMPLES
    features = draw.normal(0.0, 1.0, size=(n, INPUTS))
    labels = features @ np.full(INPUTS, TRUE_W) + TRUE_B + draw.normal(0.0, config.noise, size=n)
    x, y, m = features.astype(np.float32), labels.astype(np.float32), config.examples
    return x[:m], y[:m], x[m:], y[m:]


def make_high_dim(config: TrainConfig) -> ModelEngine:
    """The scratch or Gluon engine, both starting from w ~ N(0, 1) as the book's `init_params`."""
    data = high_dim_data(config)
    if config.impl == "gluon":
        from mxnet import init

        return GluonRegressor(config, data, init.Normal(sigma=1))
    return ScratchRegressor(config, data, init_sigma=1.0)
