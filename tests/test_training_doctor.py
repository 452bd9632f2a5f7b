"""Pure parts of training: the doctor, the data and closed form, bounded histories."""

from __future__ import annotations

import math

import numpy as np
import pytest

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import closed_form, make_dataset
from d2l_tui.training.doctor import (
    LossWatch,
    divergence_message,
    divergence_reason,
    epoch_hint,
)
from d2l_tui.training.history import LossHistory, RunHistory, RunRecord, ema


def test_nan_and_infinity_are_divergence() -> None:
    assert "NaN" in divergence_reason(math.nan, 1.0, 10.0)
    assert "infinite" in divergence_reason(math.inf, 1.0, 10.0)


def test_thousandfold_growth_over_the_best_loss_is_divergence() -> None:
    assert divergence_reason(1001.0, 1.0, 10.0) is not None
    assert divergence_reason(999.0, 1.0, 10.0) is None
    assert divergence_reason(1e9, math.inf, 10.0) is None  # no best yet: the first step


def test_round_off_jumps_on_noiseless_data_are_not_divergence() -> None:
    # float32 losses near 1e-13 jump by orders of magnitude; relative to the start they are nothing
    assert divergence_reason(1e-9, 1e-13, 16.0) is None
    assert divergence_reason(1.0, 1e-13, 16.0) is not None


def test_divergence_message_names_step_and_learning_rate() -> None:
    assert divergence_message(7, 5.0) == (
        "diverged at step 7: the learning rate is probably too large (lr=5)"
    )


def test_epoch_hints() -> None:
    barely = epoch_hint(16.0, 15.95, start=16.0, noise=0.01, lr=1e-5)
    assert barely is not None and "barely moving" in barely and "larger" in barely
    rising = epoch_hint(1.0, 2.0, start=16.0, noise=0.01, lr=1.9)
    assert rising is not None and "smaller" in rising
    assert epoch_hint(16.0, 0.035, start=16.0, noise=0.01, lr=0.03) is None  # good progress
    assert epoch_hint(5.1e-5, 5.0e-5, start=16.0, noise=0.01, lr=0.03) is None  # at the floor
    assert epoch_hint(1e-13, 1e-13, start=16.0, noise=0.0, lr=0.03) is None  # noiseless, done


def test_same_seed_gives_same_data_whatever_the_batch_size() -> None:
    a = make_dataset(TrainConfig(seed=3, examples=50))
    b = make_dataset(TrainConfig(seed=3, examples=50, batch_size=7, lr=1.0))
    c = make_dataset(TrainConfig(seed=4, examples=50))
    assert np.array_equal(a.features, b.features) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.features, c.features)
    assert a.features.shape == (50, 2) and a.labels.shape == (50,)


def test_closed_form_recovers_true_parameters_on_low_noise_data() -> None:
    config = TrainConfig(true_w=(1.5, -2.0, 0.5), true_b=-0.7, noise=1e-4, examples=500, seed=1)
    exact = closed_form(make_dataset(config))
    assert np.allclose(exact.w, config.true_w, atol=1e-4)
    assert exact.b == pytest.approx(-0.7, abs=1e-4)
    noisy = closed_form(make_dataset(TrainConfig(noise=3.0, examples=20, seed=1)))
    assert not np.allclose(noisy.w, (2.0, -3.4), atol=1e-2)  # noise moves the exact solution


def test_loss_history_stays_bounded_over_many_steps() -> None:
    history = LossHistory(capacity=64)
    longest = 0
    for i in range(200_000):
        history.append(float(i))
        longest = max(longest, len(history))
    assert longest <= 65  # 64 kept points plus one partial group
    assert history.count == 200_000
    assert history.stride & (history.stride - 1) == 0 and history.stride >= 200_000 // 64
    values = history.values()
    assert values == sorted(values)  # a rising curve stays rising
    assert values[0] < 200_000 * 0.05 and values[-1] > 200_000 * 0.95


def test_loss_history_keeps_each_point_until_full() -> None:
    history = LossHistory(capacity=8)
    history.extend([4.0, 2.0, 1.0])
    assert history.values() == [4.0, 2.0, 1.0] and history.stride == 1
    history.extend([1.0] * 5)
    assert history.values() == [3.0, 1.0, 1.0, 1.0] and history.stride == 2
    with pytest.raises(ValueError):
        LossHistory(capacity=3)


def test_ema_smooths() -> None:
    assert ema([0.0, 10.0, 10.0], alpha=0.5) == [0.0, 5.0, 7.5]
    assert ema([2.0] * 4) == [2.0] * 4
    with pytest.raises(ValueError):
        ema([1.0], alpha=0)


def test_run_history_keeps_the_last_runs() -> None:
    runs = RunHistory(limit=2)
    assert runs.latest is None
    for lr in (0.1, 0.2, 0.3):
        runs.add(RunRecord({"lr": lr, "batch_size": 10}, "NumPy", "finished", 3, (1.0,), (0.5,)))
    assert [r.settings["lr"] for r in runs] == [0.2, 0.3] and len(runs) == 2
    assert runs.latest.summary() == "lr=0.3 batch_size=10: loss 0.5 (1 epochs)"
    stopped = RunRecord({"lr": 5, "batch_size": 10}, "NumPy", "diverged", 4, ())
    assert stopped.summary() == "lr=5 batch_size=10: diverged after 4 steps"


def test_loss_watch_ignores_a_lucky_minibatch_but_catches_an_explosion() -> None:
    calm = LossWatch()
    # batch size 1 near the optimum: one example fits almost exactly, the next one does not
    assert [calm.check(x) for x in [16.0, 8.0, 1e-3, 1e-4, 1e-9, 5e-2, 1e-4]] == [None] * 7
    exploding = LossWatch()
    reasons = [exploding.check(16.0 * 16**i) for i in range(6)]
    assert reasons[:3] == [None] * 3 and reasons[3] is not None and "1000-fold" in reasons[3]
    assert LossWatch().check(math.nan) == "the loss became NaN"
