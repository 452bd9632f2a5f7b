"""Minibatch steps per second of the app's softmax and MLP engines against the book's own loop.

Run: python benchmarks/classify_throughput.py [--rounds 3] [--epochs 5]

For softmax and the MLP, scratch and Gluon, on the shipped digits with the models' defaults
(batch 32, lr 0.5), it times:
- app: `training.models.run_model` with no UI: the engine, the events, the epoch-end measuring
  (loss and accuracy on the training and test sets, predictions for the confusion matrix);
- book: the book's `train_ch3` written out with MXNet (per batch: `l.sum().asscalar()` and the
  accuracy sum, then `evaluate_accuracy` on the test set each epoch), fed by §3.2's `data_iter`
  (`nd.take` on shuffled indices) over the same arrays, with the book's `sgd` or a `gluon.Trainer`.
Rounds alternate app and book in one process, so machine load hits both alike; medians compared.
Prints `classify_ratio=X` last: the geometric mean over the four of app steps/s / book steps/s.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from d2l_tui.datasets import load_digits
from d2l_tui.mxnet_env import load_mxnet
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models import ModelFinished, run_model


def app_rate(config: TrainConfig) -> float:
    """Steps a second of the app's engine, from its own run (epoch-end measuring included)."""
    start = time.perf_counter()
    final = run_model(config, lambda event: None)
    seconds = time.perf_counter() - start
    assert isinstance(final, ModelFinished), final
    return final.record.steps / seconds


def book_net(
    mx: Any, config: TrainConfig, inputs: int
) -> tuple[Callable[[Any], Any], list[Any], Any]:
    """The book's net, params (scratch) or Trainer (Gluon), and loss for `config`."""
    nd, gluon = mx.nd, mx.gluon
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    if config.impl == "gluon":
        net = gluon.nn.Sequential()
        if config.model == "mlp":
            net.add(gluon.nn.Dense(config.num_hidden, activation="relu"))
        net.add(gluon.nn.Dense(10))
        net.initialize(mx.init.Normal(sigma=0.01))
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": config.lr})
        return net, [trainer], loss
    if config.model == "mlp":
        W1, b1 = (
            nd.random.normal(scale=0.01, shape=(inputs, config.num_hidden)),
            nd.zeros(config.num_hidden),
        )
        W2, b2 = nd.random.normal(scale=0.01, shape=(config.num_hidden, 10)), nd.zeros(10)
        params = [W1, b1, W2, b2]

        def mlp(X: Any) -> Any:
            return nd.dot(nd.relu(nd.dot(X, W1) + b1), W2) + b2

        net: Callable[[Any], Any] = mlp
    else:
        W, b = nd.random.normal(scale=0.01, shape=(inputs, 10)), nd.zeros(10)
        params = [W, b]

        def softmax_net(X: Any) -> Any:
            X_exp = (nd.dot(X, W) + b).exp()
            return X_exp / X_exp.sum(axis=1, keepdims=True)

        net = softmax_net
        loss = lambda y_hat, y: -nd.pick(y_hat, y).log()
    for param in params:
        param.attach_grad()
    return net, params, loss


def book_rate(config: TrainConfig, data: tuple[Any, ...]) -> float:
    """Steps a second of the book's `train_ch3` on the same arrays and settings."""
    mx = load_mxnet()
    nd, autograd = mx.nd, mx.autograd
    train_x, train_y, test_x, test_y = (nd.array(a) for a in data)
    net, params, loss = book_net(mx, config, int(train_x.shape[1]))
    batch_size, n = config.batch_size, int(train_x.shape[0])

    def data_iter() -> Any:  # §3.2
        indices = list(range(n))
        random.shuffle(indices)
        for i in range(0, n, batch_size):
            j = nd.array(indices[i : min(i + batch_size, n)])
            yield train_x.take(j), train_y.take(j)

    def sgd(ps: list[Any], lr: float, size: int) -> None:
        for param in ps:
            param[:] = param - lr * param.grad / size

    steps, start = 0, time.perf_counter()
    for _ in range(config.epochs):
        train_l_sum, train_acc_sum = 0.0, 0.0
        for X, y in data_iter():
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            if config.impl == "gluon":
                params[0].step(batch_size)
            else:
                sgd(params, config.lr, batch_size)
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            steps += 1
        test_acc = (net(test_x).argmax(axis=1) == test_y).mean().asscalar()  # evaluate_accuracy
        assert math.isfinite(train_l_sum) and 0 <= test_acc <= 1
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    split = load_digits(flat=True)
    data = (
        split.train_x,
        split.train_y.astype(np.float32),
        split.test_x,
        split.test_y.astype(np.float32),
    )
    ratios = []
    print(f"{'model':>8} {'impl':>8} {'app steps/s':>12} {'book steps/s':>13} {'ratio':>6}")
    for model in ("softmax", "mlp"):
        for impl in ("scratch", "gluon"):
            config = TrainConfig.for_model(model, {"impl": impl, "epochs": args.epochs})
            app_rate(config), book_rate(config, data)  # warm-up: MXNet's first calls allocate
            pairs = [(app_rate(config), book_rate(config, data)) for _ in range(args.rounds)]
            app, book = (statistics.median(p[i] for p in pairs) for i in (0, 1))
            ratios.append(app / book)
            print(
                f"{model:>8} {impl:>8} {app:>12,.0f} {book:>13,.0f} {app / book:>6.2f}", flush=True
            )
    print(f"classify_ratio={math.exp(statistics.mean(math.log(r) for r in ratios)):.2f}")


if __name__ == "__main__":
    main()
