"""§3.11's polynomial fits and §3.12's high-dimensional regression reproduce the book with real MXNet."""

from __future__ import annotations

import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models import ModelFinished, run_model
from d2l_tui.training.models.high_dim import high_dim_data
from d2l_tui.training.models.poly import poly_data

mxnet_or_skip()


def final_losses(model: str, **values: object) -> tuple[float, float, float]:
    final = run_model(TrainConfig.for_model(model, values), lambda e: None)
    assert isinstance(final, ModelFinished), final
    m = final.epochs[-1].measures
    return m.train_loss, m.test_loss, m.weight_norm


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_poly_degree_3_from_100_examples_fits(impl: str) -> None:
    train, test, _ = final_losses("poly", impl=impl, degree=3, examples=100)
    assert test <= 3 * train
    assert train < 0.05  # near the noise floor 0.1² / 2


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_poly_from_2_examples_overfits(impl: str) -> None:
    train, test, _ = final_losses("poly", impl=impl, degree=3, examples=2)
    assert test >= 10 * train


def test_poly_degree_1_underfits() -> None:
    train, test, _ = final_losses("poly", degree=1, examples=100)
    assert train > 10 and test > 10


def test_poly_data_columns_are_the_powers() -> None:
    train_x, train_y, test_x, _ = poly_data(
        TrainConfig.for_model("poly", {"degree": 4, "examples": 7})
    )
    assert train_x.shape == (7, 4) and test_x.shape == (100, 4) and train_y.shape == (7,)
    assert train_x[:, 3] == pytest.approx(train_x[:, 0] ** 4, rel=1e-4)


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_high_dim_weight_decay_closes_the_gap(impl: str) -> None:
    train, test, norm = final_losses("high-dim", impl=impl)
    _, d_test, d_norm = final_losses("high-dim", impl=impl, weight_decay=3)
    assert test > 100 * train  # 200 weights from 20 examples: memorised
    assert d_test < test / 100
    assert d_norm < norm / 50  # the book: ‖w‖ about 13 without, 0.04 with λ = 3


def test_high_dim_has_200_features() -> None:
    train_x, _, test_x, _ = high_dim_data(TrainConfig.for_model("high-dim", {}))
    assert train_x.shape == (20, 200) and test_x.shape == (100, 200)


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_poly_sends_the_fitted_polynomial_close_to_the_true_one(impl: str) -> None:
    final = run_model(TrainConfig.for_model("poly", {"impl": impl, "degree": 3}), lambda e: None)
    assert isinstance(final, ModelFinished), final
    m = final.epochs[-1].measures
    assert m.coefficients == pytest.approx((5.0, 1.2, -3.4, 5.6), abs=0.1)  # the book's 3.11.4.3
    assert sum(w * w for w in m.coefficients[1:]) ** 0.5 == pytest.approx(m.weight_norm, rel=1e-5)


def test_poly_degree_1_sends_a_line() -> None:
    final = run_model(TrainConfig.for_model("poly", {"degree": 1, "epochs": 2}), lambda e: None)
    assert isinstance(final, ModelFinished), final
    assert [len(e.measures.coefficients) for e in final.epochs] == [2, 2]
