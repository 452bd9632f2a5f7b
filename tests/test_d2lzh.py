"""`d2l_tui.d2lzh`, the book's helpers offline: real MXNet, the shipped digits, the real kernel."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.datasets import load_digits
from d2l_tui.export.notebook import PRELUDE
from d2l_tui.kernel import Kernel

mx = mxnet_or_skip()
from mxnet import autograd, gluon, init, nd

from d2l_tui import d2lzh as d2l  # after the skip: importing it loads MXNet

EPOCH_LINE = re.compile(r"epoch (\d+), loss (\d+\.\d{4}), train acc (\d\.\d{3}), test acc (\d\.\d{3})")


def test_digits_loaders_give_the_books_shapes_and_types_over_the_whole_split() -> None:
    train_iter, test_iter = d2l.load_data_digits(256)
    batches = list(train_iter)
    X, y = batches[0]
    assert X.shape == (256, 1, 8, 8) and X.dtype == np.float32 and y.dtype == np.int32
    assert sum(len(y) for _, y in batches) == 1438
    assert sum(len(y) for _, y in test_iter) == 359
    assert 0.0 <= X.min().asscalar() and X.max().asscalar() <= 1.0
    # the test loader keeps the split's order; the train loader shuffles with NumPy's RNG
    test_y = np.concatenate([y.asnumpy() for _, y in test_iter])
    assert np.array_equal(test_y, load_digits().test_y)
    np.random.seed(0)
    first = next(iter(train_iter))[1].asnumpy()
    np.random.seed(0)
    assert np.array_equal(first, next(iter(train_iter))[1].asnumpy())
    assert not np.array_equal(first, load_digits().train_y[:256])


def softmax_scratch() -> tuple[object, list[nd.NDArray]]:
    """§3.6's softmax regression from scratch, for 8×8 inputs."""
    W = nd.random.normal(scale=0.01, shape=(64, 10))
    b = nd.zeros(10)
    for param in (W, b):
        param.attach_grad()

    def net(X: nd.NDArray) -> nd.NDArray:
        scores = nd.dot(X.reshape((-1, 64)), W) + b
        exp = scores.exp()
        return exp / exp.sum(axis=1, keepdims=True)

    return net, [W, b]


def cross_entropy(y_hat: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
    return -nd.pick(y_hat, y).log()


def test_train_ch3_prints_the_books_line_per_epoch_and_learns_digits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mx.random.seed(0)
    np.random.seed(0)
    train_iter, test_iter = d2l.load_data_digits(256)
    net, params = softmax_scratch()
    assert d2l.evaluate_accuracy(test_iter, net) < 0.3  # untrained: about one in ten
    d2l.train_ch3(net, train_iter, test_iter, cross_entropy, 2, 256, params, 0.5)
    lines = capsys.readouterr().out.splitlines()
    epochs = [EPOCH_LINE.fullmatch(line) for line in lines]
    assert len(lines) == 2 and all(epochs), lines
    assert [int(m.group(1)) for m in epochs if m] == [1, 2]
    test_accs = [float(m.group(4)) for m in epochs if m]
    assert test_accs[-1] > 0.5 and test_accs[-1] >= test_accs[0]
    assert abs(d2l.evaluate_accuracy(test_iter, net) - test_accs[-1]) < 1e-3


def test_train_ch3_takes_a_gluon_trainer(capsys: pytest.CaptureFixture[str]) -> None:
    mx.random.seed(0)
    np.random.seed(0)
    train_iter, test_iter = d2l.load_data_digits(256)
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(10))
    net.initialize(init.Normal(sigma=0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    d2l.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 2, 256,
                  None, None, trainer)
    last = EPOCH_LINE.fullmatch(capsys.readouterr().out.splitlines()[-1])
    assert last and float(last.group(4)) > 0.5
    with pytest.raises(ValueError, match="params and lr"):
        d2l.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 1, 256)


def test_accuracy_and_labels() -> None:
    y_hat = nd.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    assert d2l.accuracy(y_hat, nd.array([0, 2])) == 0.5
    assert d2l.get_digits_labels(nd.array([7, 0])) == ["7", "0"]
    assert d2l.get_fashion_mnist_labels([0, 9]) == ["t-shirt", "ankle boot"]


def test_linear_regression_helpers_fit_a_line() -> None:
    mx.random.seed(0)
    np.random.seed(0)
    features = nd.random.normal(shape=(100, 2))
    labels = nd.dot(features, nd.array([2, -3.4])) + 4.2
    seen = np.concatenate([y.asnumpy() for _, y in d2l.data_iter(30, features, labels)])
    assert len(seen) == 100 and np.allclose(np.sort(seen), np.sort(labels.asnumpy()))
    w, b = nd.zeros((2, 1)), nd.zeros(1)
    w.attach_grad()
    b.attach_grad()
    for _ in range(20):
        for X, y in d2l.data_iter(10, features, labels):
            with autograd.record():
                loss = d2l.squared_loss(d2l.linreg(X, w, b), y)
            loss.backward()
            d2l.sgd([w, b], 0.03, 10)
    assert np.allclose(w.asnumpy().ravel(), [2, -3.4], atol=0.01)
    assert abs(b.asscalar() - 4.2) < 0.01


def test_fashion_mnist_missing_says_the_command_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "mxnet"))
    with pytest.raises(d2l.FashionMNISTMissing) as missing:
        d2l.load_data_fashion_mnist(256)
    message = str(missing.value)
    assert "\n" not in message and "d2l-tui data fetch fashion-mnist" in message
    assert "not downloaded" in message and "还没有" in message
    fake = tmp_path / "fake"
    fake.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (fake / name).write_bytes(b"not the official file")
    # other files than the official ones: an error, never gluon's download behind the learner's back
    with pytest.raises(d2l.FashionMNISTMissing, match="not the official one"):
        d2l.load_data_fashion_mnist(256, root=fake)


def test_semilogy_prints_a_log_chart_that_fits_a_cell_at_60_columns(capsys: pytest.CaptureFixture[str]) -> None:
    epochs = list(range(1, 101))
    d2l.semilogy(epochs, [10 * 0.95**i for i in epochs], "epochs", "loss",
                 epochs, [10 * 0.97**i + 0.5 for i in epochs], ["train", "test"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "loss (log scale)" and lines[-1] == "* train  o test"
    assert max(len(line) for line in lines) <= 50  # a cell's output is ~51 columns wide at 60
    plot = lines[1:1 + d2l.CHART_HEIGHT]
    assert plot[0].lstrip().startswith(f"{10 * 0.97 + 0.5:.3g} |")
    assert plot[-1].lstrip().startswith(f"{10 * 0.95**100:.3g} |")
    # the train curve falls from the top left to the bottom right, the test curve ends higher
    assert plot[0].split("|")[1][0] in "o@" and plot[-1].rstrip().endswith("*")
    assert any(row.rstrip().endswith("o") for row in plot[1:-1])
    assert "epochs" in lines[-2] and lines[-3].split() == ["1", "100"]


def test_a_kernel_cell_imports_d2lzh_and_trains() -> None:
    code = (
        "from d2l_tui import d2lzh as d2l\nimport mxnet as mx\nmx.random.seed(0)\nnp.random.seed(0)\n"
        "train_iter, test_iter = d2l.load_data_digits(256)\n"
        "net = gluon.nn.Sequential()\nnet.add(gluon.nn.Dense(10))\nnet.initialize(init.Normal(sigma=0.01))\n"
        "trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})\n"
        "d2l.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 1, 256,"
        " None, None, trainer)"
    )
    with Kernel() as kernel:
        result = kernel.run(code, timeout=60)
    assert result.ok, result.error
    assert EPOCH_LINE.fullmatch(result.output.strip()), result.output


def test_an_exported_notebooks_import_works_where_the_package_is_installed(tmp_path: Path) -> None:
    """The notebook's prelude, then the cell's import, in a fresh Python outside the checkout."""
    code = PRELUDE + (
        "from d2l_tui import d2lzh as d2l\nimport sys\n"
        "print(len(d2l.load_data_digits(64)[1]), 'textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["6", "False"]  # 359 test images in batches of 64; no Textual
