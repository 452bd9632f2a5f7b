"""How fast the app answers a key while a training panel trains, against the same app idle.

Run: python benchmarks/ui_latency.py [--presses N]

d2l-tui runs in a pseudo-terminal with a training panel focused. The key is `y` (the panel's
log/linear toggle, which also repaints the loss chart); its latency is the time from writing
the key to the terminal until the panel's action runs (the app logs that moment). It is
measured with the app idle, then while the panel trains the book's model (the run is long
enough to outlast the presses). Prints `latency_ratio=X` last: p95 while training / p95 idle.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _train_app import AppInPty  # noqa: E402

SETTINGS = {"impl": "scratch", "epochs": 200}
"""The book's settings, with epochs enough for about 20 s of training."""
GAP = 0.1
"""Seconds between presses: the app settles in between, as it does for a learner."""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def press_many(app: AppInPty, count: int) -> list[float]:
    """Press `y` `count` times; return each press's latency in seconds."""
    before = len([line for line in app.lines() if line["kind"] == "key"])
    sent = []
    for _ in range(count):
        sent.append(app.press(b"y"))
        app.drain(GAP)
    handled = app.wait_for("key", before + count, timeout=30)
    assert handled
    times = [line["t"] for line in app.lines() if line["kind"] == "key"][before : before + count]
    return [done - start for start, done in zip(sent, times, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()
    app = AppInPty(SETTINGS)
    try:
        app.wait_for("ready", timeout=60)
        app.drain(1.0)
        idle = press_many(app, args.presses)
        app.press(b"s")
        app.drain(1.5)  # the run starts and reaches its steady speed
        started = time.monotonic()
        training = press_many(app, args.presses)
        ended = [line for line in app.lines() if line["kind"] == "ended"]
        assert not ended, (
            f"the run ended during the presses ({time.monotonic() - started:.1f} s): make it longer"
        )
        app.press(b"x")
        app.wait_for("ended", timeout=10)
    finally:
        app.close()
    for name, values in (("idle", idle), ("training", training)):
        ms = [1000 * v for v in values]
        print(
            f"{name}: median {statistics.median(ms):.1f} ms, p95 {p95(ms):.1f} ms,"
            f" max {max(ms):.1f} ms ({len(ms)} presses)"
        )
    print(f"training p95 {1000 * p95(training):.1f} ms (target under 50 ms)")
    print(f"latency_ratio={p95(training) / p95(idle):.2f}")


if __name__ == "__main__":
    main()
