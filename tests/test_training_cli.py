"""`d2l-tui train`, the headless training command, through its argparse wiring."""

from __future__ import annotations

import argparse
import json

import pytest

from d2l_tui.training import command


def train(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="d2l-tui train")
    command.configure(parser)
    return command.run(parser.parse_args(argv))


def test_json_output_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = train(["--examples", "200", "--epochs", "2", "--lr", "0.1", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [e["epoch"] for e in out["epochs"]] == [1, 2]
    assert out["epochs"][1]["loss"] < out["epochs"][0]["loss"] < 1
    assert out["impl"] == "scratch" and out["true_w"] == [2.0, -3.4] and out["true_b"] == 4.2
    assert len(out["w"]) == 2 and abs(out["b"] - 4.2) < 0.1
    assert out["closed_form"]["w"] == pytest.approx([2.0, -3.4], abs=0.01)
    assert abs(out["closed_form"]["b"] - 4.2) < 0.01 and out["steps_per_second"] > 0


def test_text_output_lists_epochs_and_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert train(["--impl", "gluon", "--examples", "100", "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "MXNet Gluon" in out and "epoch 1, loss " in out and "epoch 2, loss " in out
    assert "w = [" in out and "closed form" in out


def test_divergence_exits_with_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert train(["--lr", "5", "--format", "json"]) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out)["status"] == "diverged"
    assert "diverged at step" in captured.err and "(lr=5)" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lr", "fast"], "--lr: learning rate must be a number from 1e-30 to 1e+06, e.g. 0.03"),
        # Values MXNet cannot take are refused before a run, never as an MXNetError.
        (["--lr", "1e-320"], "--lr: learning rate must be a number from 1e-30 to 1e+06"),
        (["--lr", "1e308"], "--lr: learning rate must be a number from 1e-30 to 1e+06"),
        (["--lr", "nan"], "--lr: learning rate must be a number"),
        (["--lr=-inf"], "--lr: learning rate must be a number"),
        (["--epochs", "1000000000"], "--epochs: epochs must be a whole number from 1 to 100000"),
        (["--batch-size", "1e12"], "--batch-size: batch size must be a whole number"),
        (["--noise", "1e308"], "--noise: noise must be a number from 0 to 1e+06"),
        (
            ["--epochs", "100000", "--examples", "1000000", "--batch-size", "1"],
            "that is 100,000,000,000 steps (epochs × examples / batch size); at most 10,000,000",
        ),
        (["--batch-size", "0"], "--batch-size: batch size must be a whole number"),
        (
            ["--examples", "5"],
            "--batch-size: batch size must be a whole number between 1 and the number of examples (5)",
        ),
        (["--impl", "torch"], "--impl: impl must be one of: scratch, gluon, numpy"),
    ],
)
def test_bad_values_exit_with_2_and_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert train(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"d2l-tui train: {message}") and err.count("\n") == 1
