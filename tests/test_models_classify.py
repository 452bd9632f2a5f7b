"""Softmax regression and the MLP train real MXNet on the shipped digits to the book's accuracies."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.datasets import dataset_status
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.training.events import Stopped
from d2l_tui.training.models import (
    ModelEpochEnd,
    ModelFinished,
    ModelProgress,
    ModelStarted,
    run_model,
)

mxnet_or_skip()


def train(model: str, **values: object) -> tuple[list[object], object]:
    events: list[object] = []
    final = run_model(TrainConfig.for_model(model, values), events.append)
    return events, final


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_softmax_on_digits_passes_90_percent(impl: str) -> None:
    events, final = train("softmax", impl=impl, epochs=10)
    assert isinstance(final, ModelFinished), final
    assert len(final.epochs) == 10
    assert final.epochs[-1].test_acc is not None and final.epochs[-1].test_acc > 0.90
    started = events[0]
    assert isinstance(started, ModelStarted) and started.dataset == "digits"
    assert started.before.test_acc is not None and started.before.test_acc < 0.5  # it learned


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_mlp_on_digits_passes_95_percent_within_10_epochs(impl: str) -> None:
    _, final = train("mlp", impl=impl, epochs=10)
    assert isinstance(final, ModelFinished), final
    assert max(e.test_acc or 0 for e in final.epochs) > 0.95


def test_mlp_settings_change_the_network() -> None:
    _, plain = train("mlp", impl="gluon", epochs=2, num_hidden=16, activation="tanh")
    _, decayed = train(
        "mlp",
        impl="gluon",
        epochs=2,
        num_hidden=16,
        activation="tanh",
        weight_decay=0.1,
        dropout=0.5,
    )
    assert isinstance(plain, ModelFinished) and isinstance(decayed, ModelFinished)
    assert decayed.epochs[-1].measures.weight_norm < plain.epochs[-1].measures.weight_norm


def test_epoch_events_carry_predictions_for_a_confusion_matrix() -> None:
    events, final = train("softmax", epochs=2)
    started = events[0]
    assert isinstance(started, ModelStarted) and isinstance(final, ModelFinished)
    labels = np.array(started.test_labels)
    ends = [e for e in events if isinstance(e, ModelEpochEnd)]
    assert [e.epoch for e in ends] == [1, 2]
    for end in ends:
        predicted = np.array(end.measures.predictions)
        assert len(predicted) == started.test_examples == len(labels)
        assert end.test_acc == pytest.approx(float(np.mean(predicted == labels)))
        wrong = np.flatnonzero(predicted != labels)
        assert list(end.measures.misclassified) == list(wrong[: len(end.measures.misclassified)])
        assert 0 < len(end.measures.misclassified) <= 8
    steps = [s for e in events if isinstance(e, ModelProgress) for s in e.losses]
    assert len(steps) == started.total_steps == 2 * started.steps_per_epoch


def test_the_same_seed_gives_the_same_run() -> None:
    _, first = train("mlp", epochs=1, seed=3, dropout=0.2)
    _, again = train("mlp", epochs=1, seed=3, dropout=0.2)
    assert isinstance(first, ModelFinished) and isinstance(again, ModelFinished)
    assert first.epochs[0].loss == again.epochs[0].loss


def test_stop_ends_the_run_within_a_step() -> None:
    control = RunControl(paused=True)
    events: list[object] = []
    worker = threading.Thread(
        target=lambda: events.append(
            run_model(TrainConfig.for_model("mlp", {}), lambda e: None, control)
        )
    )
    worker.start()
    control.step_once()
    control.stop()
    worker.join(60)
    assert isinstance(events[0], Stopped) and events[0].step <= 1


@pytest.mark.skipif(
    dataset_status("fashion-mnist").state != "present", reason="Fashion-MNIST not fetched"
)
def test_book_figures_on_fashion_mnist() -> None:
    # §3.6: softmax from scratch, lr 0.1, batch 256, 5 epochs: test acc about 0.85; §3.9 MLP about 0.86.
    _, softmax = train("softmax", dataset="fashion-mnist", lr=0.1, batch_size=256, epochs=5)
    _, mlp = train("mlp", dataset="fashion-mnist", lr=0.5, batch_size=256, epochs=5)
    assert isinstance(softmax, ModelFinished) and isinstance(mlp, ModelFinished)
    assert softmax.epochs[-1].test_acc is not None and softmax.epochs[-1].test_acc > 0.82
    assert mlp.epochs[-1].test_acc is not None and mlp.epochs[-1].test_acc > 0.84
