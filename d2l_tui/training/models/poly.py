"""§3.11's polynomial fitting: y = 1.2x − 3.4x² + 5.6x³ + 5 + noise, fitted with the powers x..x^degree.

Degree 3 from 100 examples fits well, degree 1 underfits, and degree 3 from 2 examples overfits
(the book's three figures). The test set is always 100 fresh examples.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models.base import DATA, ModelEngine, rng
from d2l_tui.training.models.regressor import GluonRegressor, ScratchRegressor

TRUE_W, TRUE_B = (1.2, -3.4, 5.6), 5.0
TEST_EXAMPLES = 100


def poly_data(config: TrainConfig) -> tuple[NDArray[Any], ...]:
    """(train_x, train_y, test_x, test_y): columns x, x², ..., x^degree; the same seed, the same data.

    The labels come from x, x², x³ whatever the degree; training examples come first, as in the book.
    """
    draw = rng(config, DATA)
    n = config.examples + TEST_EXAMPLES
    x = draw.normal(0.0, 1.0, size=(n, 1))
    cubic = np.hstack([x, x**2, x**3])
    labels = cubic @ np.asarray(TRUE_W) + TRUE_B + draw.normal(0.0, config.noise, size=n)
    powers = np.hstack([x**i for i in range(1, config.degree + 1)]).astype(np.float32)
    labels = labels.astype(np.float32)
    m = config.examples
    return powers[:m], labels[:m], powers[m:], labels[m:]


def make_poly(config: TrainConfig) -> ModelEngine:
    """The scratch or Gluon engine for a poly run (Gluon: `net.initialize()` as the book does)."""
    data = poly_data(config)
    if config.impl == "gluon":
        from mxnet import init

        return GluonRegressor(config, data, init.Uniform())
    return ScratchRegressor(config, data, init_sigma=0.01)
