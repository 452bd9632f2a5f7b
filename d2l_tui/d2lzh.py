"""The book's helper package `d2lzh`, working offline: `from d2l_tui import d2lzh as d2l` in a cell.

Why it exists: the book's own `d2lzh` (pip install d2lzh) cannot be installed without a network,
pulls in matplotlib (a cell shows text only), and its data helpers need Fashion-MNIST, which
is not shipped. This module keeps the book's names and signatures for what chapter 3 uses, so a
lesson's cells read as the book's do, and adds `load_data_digits`, the same kind of loaders over
the shipped UCI digits (8×8, 1,438 train / 359 test), which every lesson trains on.

- Data: `load_data_digits(batch_size)`, `load_data_fashion_mnist(batch_size, resize=None,
  root=None)` (needs `d2l-tui data fetch fashion-mnist` first), `get_digits_labels`,
  `get_fashion_mnist_labels`, `data_iter` (§3.2).
- Models and training: `linreg`, `squared_loss`, `sgd` (§3.2), `accuracy`, `evaluate_accuracy`,
  `train_ch3` (§3.6, the packaged versions, printing one line per epoch as the book does).
- Plots: `semilogy` prints a small text chart (log-scale y), ~60 columns wide.

Shuffling uses NumPy's RNG (gluon's sampler does, and `data_iter` here does too, where the book
used Python's `random`), so `np.random.seed` in a cell's setup makes every printed number repeat.
Pure core: MXNet comes through `mxnet_env.load_mxnet()` (NumPy 1.26 on Python 3.12 needs it);
nothing here imports Textual.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from d2l_tui.datasets.catalog import DIGITS, FASHION_MNIST, class_names, dataset_root, mxnet_root
from d2l_tui.datasets.digits import load_digits
from d2l_tui.datasets.fashion import missing_files, mxnet_can_read
from d2l_tui.mxnet_env import load_mxnet

mx = load_mxnet()
# Only after load_mxnet: it restores the NumPy aliases MXNet 1.9.1 imports with.
from mxnet import autograd, gluon, nd

__all__ = [
    "FashionMNISTMissing",
    "accuracy",
    "data_iter",
    "evaluate_accuracy",
    "get_digits_labels",
    "get_fashion_mnist_labels",
    "linreg",
    "load_data_digits",
    "load_data_fashion_mnist",
    "semilogy",
    "sgd",
    "squared_loss",
    "train_ch3",
]

FETCH_COMMAND = "d2l-tui data fetch fashion-mnist"


class FashionMNISTMissing(FileNotFoundError):
    """Fashion-MNIST is not on this machine (or not the official files); the message says the fix."""


# -- data ------------------------------------------------------------------------------------


def load_data_digits(batch_size: int) -> tuple[gluon.data.DataLoader, gluon.data.DataLoader]:
    """The shipped digits as (train_iter, test_iter): X (b, 1, 8, 8) float32 in [0, 1], y int32.

    The train loader shuffles with NumPy's RNG each epoch; the test loader keeps its order.
    """
    train_x, train_y, test_x, test_y = load_digits()
    train = gluon.data.ArrayDataset(train_x[:, None, :, :], train_y)
    test = gluon.data.ArrayDataset(test_x[:, None, :, :], test_y)
    return (
        gluon.data.DataLoader(train, batch_size, shuffle=True, num_workers=0),
        gluon.data.DataLoader(test, batch_size, shuffle=False, num_workers=0),
    )


def _fashion_root(root: str | Path | None) -> Path:
    """The folder holding the official Fashion-MNIST files, or FashionMNISTMissing saying the fix."""
    if root is not None:
        candidates = [Path(root).expanduser()]
    else:  # where `d2l-tui data fetch` puts them, then where the book's gluon keeps them
        candidates = [dataset_root(FASHION_MNIST), mxnet_root(FASHION_MNIST)]
    for folder in candidates:
        if not missing_files(folder) and mxnet_can_read(folder):
            return folder
    where = candidates[0]
    # Given other files than the official ones, gluon would go and download those: never here.
    state = "is not downloaded yet" if missing_files(where) else "there is not the official one"
    raise FashionMNISTMissing(
        f"Fashion-MNIST {state} ({where}); run: {FETCH_COMMAND}"
        f"  ·  Fashion-MNIST 还没有准备好，请先运行：{FETCH_COMMAND}"
    )


def load_data_fashion_mnist(
    batch_size: int, resize: int | None = None, root: str | Path | None = None
) -> tuple[gluon.data.DataLoader, gluon.data.DataLoader]:
    """The book's loaders: Fashion-MNIST through ToTensor (and Resize), (train_iter, test_iter).

    `root` None looks in d2l-tui's data folder (`d2l-tui data fetch fashion-mnist` puts the files
    there; $D2L_TUI_DATA_DIR when set), then in MXNet's own (~/.mxnet/datasets/fashion-mnist).
    """
    folder = _fashion_root(root)
    vision = gluon.data.vision
    steps: list[Any] = [vision.transforms.Resize(resize)] if resize else []
    transformer = vision.transforms.Compose([*steps, vision.transforms.ToTensor()])
    mnist_train = vision.FashionMNIST(root=str(folder), train=True)
    mnist_test = vision.FashionMNIST(root=str(folder), train=False)
    return (
        gluon.data.DataLoader(mnist_train.transform_first(transformer), batch_size,
                              shuffle=True, num_workers=0),
        gluon.data.DataLoader(mnist_test.transform_first(transformer), batch_size,
                              shuffle=False, num_workers=0),
    )


def get_digits_labels(labels: Iterable[Any]) -> list[str]:
    """The digits' class names ('0' .. '9') for numeric labels (ints, floats or an NDArray)."""
    names = class_names(DIGITS)
    return [names[int(label)] for label in _scalars(labels)]


def get_fashion_mnist_labels(labels: Iterable[Any]) -> list[str]:
    """The book's English Fashion-MNIST class names ('t-shirt', ...) for numeric labels."""
    names = class_names(FASHION_MNIST, "en")
    return [names[int(label)] for label in _scalars(labels)]


def _scalars(labels: Iterable[Any]) -> Iterable[Any]:
    """Labels as plain numbers: an NDArray's elements are read once, not one `asscalar` each."""
    return labels.asnumpy().ravel() if isinstance(labels, nd.NDArray) else labels


def data_iter(
    batch_size: int, features: nd.NDArray, labels: nd.NDArray
) -> Iterator[tuple[nd.NDArray, nd.NDArray]]:
    """§3.2's minibatches of (features, labels) in a random order (NumPy's RNG), the last one shorter."""
    num_examples = len(features)
    indices = np.arange(num_examples)
    np.random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)


# -- models, losses, optimisation --------------------------------------------------------------


def linreg(X: nd.NDArray, w: nd.NDArray, b: nd.NDArray) -> nd.NDArray:
    """§3.2's linear regression model, X w + b."""
    return nd.dot(X, w) + b


def squared_loss(y_hat: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
    """§3.2's squared loss, (ŷ - y)² / 2, with y reshaped like ŷ."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: Sequence[nd.NDArray], lr: float, batch_size: int) -> None:
    """§3.2's minibatch SGD: each parameter steps against its gradient, averaged over the batch."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def accuracy(y_hat: nd.NDArray, y: nd.NDArray) -> float:
    """§3.6: the share of rows whose largest score is at the true class."""
    return float((y_hat.argmax(axis=1) == y.astype("float32")).mean().asscalar())


def evaluate_accuracy(data_iter: Iterable[Any], net: Any) -> float:
    """§3.6: `net`'s accuracy over every batch of `data_iter`."""
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        y = y.astype("float32")
        acc_sum += (net(X).argmax(axis=1) == y).sum().asscalar()
        n += y.size
    return acc_sum / n


def train_ch3(
    net: Any,
    train_iter: Iterable[Any],
    test_iter: Iterable[Any],
    loss: Any,
    num_epochs: int,
    batch_size: int,
    params: Sequence[nd.NDArray] | None = None,
    lr: float | None = None,
    trainer: Any = None,
) -> None:
    """§3.6's training loop: `sgd(params, lr, ...)` or `trainer.step`, one printed line per epoch."""
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            if trainer is None:
                if params is None or lr is None:
                    raise ValueError("train_ch3 needs params and lr, or a trainer")
                sgd(params, lr, batch_size)
            else:
                trainer.step(batch_size)
            y = y.astype("float32")
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        test_acc = evaluate_accuracy(test_iter, net)
        print(f"epoch {epoch + 1}, loss {train_l_sum / n:.4f}, "
              f"train acc {train_acc_sum / n:.3f}, test acc {test_acc:.3f}")


# -- plots -------------------------------------------------------------------------------------

CHART_WIDTH = 40
"""Plot columns; with the y labels (8 at most) the chart is 50 characters wide: a code cell's output
is about 51 columns wide in a 60-column terminal (measured in tmux), so nothing wraps there."""
CHART_HEIGHT = 10
MARKS = ("*", "o")
BOTH = "@"
"""Where the two curves meet in one character."""


def semilogy(
    x_vals: Sequence[float],
    y_vals: Sequence[float],
    x_label: str,
    y_label: str,
    x2_vals: Sequence[float] | None = None,
    y2_vals: Sequence[float] | None = None,
    legend: Sequence[str] | None = None,
    figsize: Any = None,
) -> None:
    """Print the book's `semilogy` figure as text: y on a log scale, a second curve in `o`.

    `figsize` is accepted for the book's calls and ignored (a cell shows text, not pictures).
    """
    print("\n".join(semilogy_lines(x_vals, y_vals, x_label, y_label, x2_vals, y2_vals, legend)))


def semilogy_lines(
    x_vals: Sequence[float],
    y_vals: Sequence[float],
    x_label: str,
    y_label: str,
    x2_vals: Sequence[float] | None = None,
    y2_vals: Sequence[float] | None = None,
    legend: Sequence[str] | None = None,
) -> list[str]:
    """The lines `semilogy` prints: a grid of marks, the y range on the left, x's ends below."""
    curves = [_points(x_vals, y_vals)]
    if x2_vals is not None and y2_vals is not None:
        curves.append(_points(x2_vals, y2_vals))
    every = [p for curve in curves for p in curve]
    if not every:
        return [f"{y_label}: nothing to plot (no finite, positive values)"]
    xs = (min(p[0] for p in every), max(p[0] for p in every))
    ys = (min(p[1] for p in every), max(p[1] for p in every))
    lines = [f"{y_label} (log scale)", *_framed(_grid(curves, xs, ys), ys, xs, x_label)]
    if legend:
        lines.append("  ".join(f"{mark} {name}" for mark, name in zip(MARKS, legend)))
    return lines


def _grid(
    curves: list[list[tuple[float, float]]], xs: tuple[float, float], ys: tuple[float, float]
) -> list[str]:
    """The plot's rows: each curve's mark in the cells it passes, `BOTH` where they share one."""
    grid = [[" "] * CHART_WIDTH for _ in range(CHART_HEIGHT)]
    for mark, curve in zip(MARKS, curves):
        for col, row in _cells(curve, xs, ys):
            grid[row][col] = BOTH if grid[row][col] not in (" ", mark) else mark
    return ["".join(cells).rstrip() for cells in grid]


def _framed(rows: list[str], ys: tuple[float, float], xs: tuple[float, float], x_label: str) -> list[str]:
    """The rows with the y range on the left, an x axis, x's ends and its label below."""
    top, bottom = f"{10 ** ys[1]:.3g}", f"{10 ** ys[0]:.3g}"
    pad = max(len(top), len(bottom))
    ticks = [top, *[""] * (len(rows) - 2), bottom]
    lines = [f"{tick:>{pad}} |{row}" for tick, row in zip(ticks, rows)]
    left, right = f"{xs[0]:g}", f"{xs[1]:g}"
    indent = " " * (pad + 2)
    return [
        *lines,
        " " * pad + " +" + "-" * CHART_WIDTH,
        indent + left + right.rjust(CHART_WIDTH - len(left)),
        indent + x_label.center(CHART_WIDTH).rstrip(),
    ]


def _points(xs: Sequence[float], ys: Sequence[float]) -> list[tuple[float, float]]:
    """(x, log10 y) for the finite, positive values, in x order (log scale drops y <= 0)."""
    pairs = [(float(x), float(y)) for x, y in zip(_plain(xs), _plain(ys))]
    return sorted((x, math.log10(y)) for x, y in pairs if math.isfinite(x) and y > 0 and math.isfinite(y))


def _plain(values: Any) -> Any:
    """NDArrays as NumPy values; anything else as it is."""
    return values.asnumpy() if isinstance(values, nd.NDArray) else values


def _cells(
    curve: list[tuple[float, float]], xs: tuple[float, float], ys: tuple[float, float]
) -> Iterator[tuple[int, int]]:
    """The (column, row) of the curve in every column it spans, joining its points by straight lines."""
    def col(x: float) -> float:
        return 0.0 if xs[1] == xs[0] else (x - xs[0]) / (xs[1] - xs[0]) * (CHART_WIDTH - 1)

    def row(y: float) -> int:
        up = 0.5 if ys[1] == ys[0] else (y - ys[0]) / (ys[1] - ys[0])
        return CHART_HEIGHT - 1 - round(up * (CHART_HEIGHT - 1))

    if len(curve) == 1:
        yield round(col(curve[0][0])), row(curve[0][1])
    for (x0, y0), (x1, y1) in itertools.pairwise(curve):
        c0, c1 = col(x0), col(x1)
        for c in range(math.ceil(c0), math.floor(c1) + 1):
            t = 0.0 if c1 == c0 else (c - c0) / (c1 - c0)
            yield c, row(y0 + (y1 - y0) * t)
