"""Training speed inside the running app, against a plain MXNet script doing the same training.

Run: python benchmarks/train_throughput.py [--repeat N]

For the book's configuration (1000 examples, batch 10; more epochs so the timing is not all
start-up) and a larger one (100k examples, batch 100), it measures minibatch steps per second:
- plain: the book's scratch loop written out with MXNet, nothing else (a subprocess);
- engine: `d2l_tui.training.run` with no UI (a subprocess): the engine's cost, apart from the app's;
- app: d2l-tui in a pseudo-terminal, the panel training in its worker thread while the UI draws.
Runs alternate so machine load hits all three alike; medians are compared.
Prints `train_ratio=X` last: app / plain for the slower of the two configurations.

Reading the three ratios: engine/plain is how much faster d2l-tui's engine is than the book's
loop for the same minibatches and updates (it gathers each epoch's shuffled examples once and
slices minibatches as views, and updates in place with two MXNet calls instead of four: MXNet's
per-call cost, not arithmetic, bounds these tiny models); app/engine is what the running app
costs the trainer (the UI thread repainting and sharing the GIL).

With --long it instead trains 1,000,000 minibatch steps in the app (batch 1, the NumPy engine by
default: MXNet would take about 17 minutes) and prints the app's memory before and after.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _train_app import PYTHON, AppInPty  # noqa: E402

CONFIGS: dict[str, dict[str, Any]] = {
    "book (1000 examples, batch 10)": {"impl": "scratch", "epochs": 20},
    "large (100k examples, batch 100)": {
        "impl": "scratch",
        "examples": 100_000,
        "batch_size": 100,
        "epochs": 2,
    },
}


def plain_script(settings: dict[str, Any]) -> float:
    """The book's section 3.2 loop, with the same data, init and minibatch order; steps/s."""
    from d2l_tui.mxnet_env import load_mxnet
    from d2l_tui.training.config import TrainConfig
    from d2l_tui.training.data import initial_weights, make_dataset, shuffle_rng
    from d2l_tui.training.engine import epoch_order

    mx = load_mxnet()
    nd, autograd = mx.nd, mx.autograd
    config = TrainConfig(**settings)
    data = make_dataset(config)
    features, labels = nd.array(data.features), nd.array(data.labels)
    w, b = nd.array(initial_weights(config)), nd.zeros(shape=(1,))
    w.attach_grad()
    b.attach_grad()
    order, steps = shuffle_rng(config), 0
    start = time.perf_counter()
    for _ in range(config.epochs):
        for indices in epoch_order(order, config.examples, config.batch_size):
            j = nd.array(indices)
            X, y = features.take(j), labels.take(j)
            with autograd.record():
                loss = (nd.dot(X, w) + b - y.reshape((-1, 1))) ** 2 / 2
            loss.backward()
            for param in (w, b):
                param[:] = param - config.lr * param.grad / config.batch_size
            steps += 1
        train_l = ((nd.dot(features, w) + b - labels.reshape((-1, 1))) ** 2 / 2).mean()
        train_l.asscalar()  # the book prints it after every epoch
    return steps / (time.perf_counter() - start)


def engine_only(settings: dict[str, Any]) -> float:
    """d2l-tui's training loop with no UI at all; steps/s."""
    from d2l_tui.training import Finished, TrainConfig, run

    final = run(TrainConfig(**settings), lambda event: None)
    assert isinstance(final, Finished), final
    return final.steps_per_second


def in_subprocess(mode: str, settings: dict[str, Any]) -> float:
    """Run `plain` or `engine` in a fresh Python, as the app runs in its own process."""
    out = subprocess.run(
        [PYTHON, __file__, "--child", mode, json.dumps(settings)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return float(out.stdout.split()[-1])


def in_app(settings: dict[str, Any]) -> float:
    """Start the panel's run with `s` in the real app and read its speed when it ends."""
    app = AppInPty(settings)
    try:
        app.wait_for("ready", timeout=60)
        app.drain(0.3)
        app.press(b"s")
        ended = app.wait_for("ended", timeout=300)
        assert ended["outcome"] == "finished", ended
        return float(ended["steps_per_second"])
    finally:
        app.close()


def long_run(impl: str) -> None:
    """Train a million steps in the app and compare its memory before and after."""
    settings = {"impl": impl, "examples": 1000, "batch_size": 1, "epochs": 1000}
    app = AppInPty(settings)
    try:
        ready = app.wait_for("ready", timeout=60)
        app.drain(0.3)
        app.press(b"s")
        ended = app.wait_for("ended", timeout=3600)
    finally:
        app.close()
    print(
        f"long run ({impl}): {ended['steps']:,} steps at {ended['steps_per_second']:,.0f} steps/s"
        f" ({ended['outcome']})"
    )
    print(f"  app memory: {ready['rss_mb']:.1f} MB ready, {ended['rss_mb']:.1f} MB after the run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("book", "large"), help="measure one configuration")
    parser.add_argument(
        "--long",
        metavar="IMPL",
        nargs="?",
        const="numpy",
        help="a 1M-step run: memory stays bounded",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "SETTINGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, settings = args.child[0], json.loads(args.child[1])
        print(plain_script(settings) if mode == "plain" else engine_only(settings))
        return
    if args.long:
        long_run(args.long)
        return
    ratios: list[float] = []
    for name, settings in CONFIGS.items():
        if args.only and not name.startswith(args.only):
            continue
        speeds: dict[str, list[float]] = {"plain": [], "engine": [], "app": []}
        for _ in range(args.repeat):
            speeds["plain"].append(in_subprocess("plain", settings))
            speeds["engine"].append(in_subprocess("engine", settings))
            speeds["app"].append(in_app(settings))
        median = {mode: statistics.median(values) for mode, values in speeds.items()}
        ratio = median["app"] / median["plain"]
        ratios.append(ratio)
        print(
            f"{name}: "
            + ", ".join(
                f"{mode} {' '.join(f'{v:,.0f}' for v in values)} steps/s"
                for mode, values in speeds.items()
            )
        )
        print(
            f"  medians: plain {median['plain']:,.0f}, engine {median['engine']:,.0f},"
            f" app {median['app']:,.0f}"
            f"  app/plain {ratio:.3f}  app/engine {median['app'] / median['engine']:.3f}"
            f"  engine/plain {median['engine'] / median['plain']:.3f}",
            flush=True,
        )
    print(f"train_ratio={min(ratios):.3f}")


if __name__ == "__main__":
    main()
