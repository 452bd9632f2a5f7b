"""`d2l-tui train --model ...` end to end: the real command, real MXNet, JSON a script can read."""

from __future__ import annotations

import json

import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.training.command import main
from d2l_tui.training.config import TrainConfig

mxnet_or_skip()


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_softmax_prints_accuracies_per_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_json(
        capsys, "--model", "softmax", "--impl", "gluon", "--dataset", "digits", "--epochs", "3"
    )
    assert code == 0 and result["status"] == "finished" and result["dataset"] == "digits"
    epochs = result["epochs"]
    assert isinstance(epochs, list) and len(epochs) == 3
    assert {"loss", "train_acc", "test_acc"} <= set(epochs[-1])
    assert epochs[-1]["test_acc"] > 0.9


def test_mlp_takes_its_settings_by_their_directive_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, result, _ = run_json(
        capsys,
        "--model",
        "mlp",
        "--num-hidden",
        "32",
        "--dropout",
        "0.5",
        "--activation",
        "sigmoid",
        "--weight-decay",
        "0.001",
        "--epochs",
        "1",
    )
    assert code == 0
    settings = result["settings"]
    assert isinstance(settings, dict)
    assert (settings["num_hidden"], settings["dropout"], settings["activation"]) == (
        32,
        0.5,
        "sigmoid",
    )


def test_poly_prints_train_and_test_loss(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_json(capsys, "--model", "poly", "--degree", "3", "--examples", "2")
    assert code == 0
    last = result["epochs"][-1]  # type: ignore[index]
    assert last["test_loss"] >= 10 * last["train_loss"]
    assert result["settings"]["batch_size"] == 2  # type: ignore[index]  # min(10, n_train)


def test_high_dim_with_weight_decay(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_json(
        capsys, "--model", "high-dim", "--weight-decay", "3", "--epochs", "20"
    )
    assert code == 0 and len(result["epochs"]) == 20  # type: ignore[arg-type]
    assert {"train_loss", "test_loss", "weight_norm"} <= set(result["epochs"][-1])  # type: ignore[index]


def test_divergence_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, err = run_json(capsys, "--model", "softmax", "--lr", "100000", "--epochs", "1")
    assert code == 3 and result["status"] == "diverged" and "learning rate" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--model", "poly", "--dropout", "0.5"], "--dropout: the poly model has no such setting"),
        (["--model", "mlp", "--impl", "numpy"], "trains with MXNet only"),
        (["--model", "mlp", "--activation", "softplus"], "--activation: activation must be one of"),
        (["--model", "cnn"], "--model: model must be one of"),
        (["--degree", "3"], "--degree: the linear-regression model has no such setting"),
        (["--model", "poly", "--examples", "5", "--batch-size", "10"], "--batch-size"),
    ],
)
def test_bad_options_are_named_with_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(argv) == 2
    assert says in capsys.readouterr().err


def test_linear_regression_settings_are_unchanged() -> None:
    assert list(TrainConfig().settings()) == [
        "model",
        "impl",
        "lr",
        "batch_size",
        "epochs",
        "examples",
        "noise",
        "true_w",
        "true_b",
        "seed",
    ]
    config, problems = TrainConfig.from_mapping({"model": "poly", "examples": 2})
    assert problems == [] and (config.batch_size, config.epochs, config.lr) == (2, 100, 0.01)


def test_fashion_mnist_missing_trains_on_digits_and_says_why(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("D2L_TUI_DATA_DIR", str(tmp_path))
    code, result, err = run_json(capsys, "--model", "softmax", "--dataset", "fashion-mnist", "--epochs", "1")
    assert code == 0 and result["dataset"] == "digits"
    assert "fashion-mnist" in err and "d2l-tui data fetch fashion-mnist" in err
