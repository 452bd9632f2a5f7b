"""Measure training speed in a plain loop, a worker thread beside a busy UI thread, and a process.

Run: python benchmarks/train_engine_modes.py [--quick]

It answers: should the TrainingPanel train in a thread or a process, and does
MXNET_ENGINE_TYPE=NaiveEngine help? Each engine type is measured in its own subprocess, because
MXNet reads the variable once, at import.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.events import Finished, Progress
from d2l_tui.training.loop import run

UI_FPS = 60

CONFIGS = {
    # The book's scratch settings, with more epochs so the timing is not all start-up.
    "book (1000 ex, batch 10)": TrainConfig(impl="scratch", epochs=10),
    "100k ex, batch 100": TrainConfig(impl="scratch", examples=100_000, batch_size=100, epochs=1),
}


class FakeUI:
    """Ticks 60 times a second doing a little Python work, like a Textual app repainting a sparkline."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self.points: list[float] = []
        self._stop = threading.Event()

    def tick(self) -> None:
        # About what a Sparkline repaint costs in Python: scale and bucket the recent points.
        recent = self.points[-200:] or [0.0]
        top = max(recent) or 1.0
        "".join("▁▂▃▄▅▆▇█"[min(7, int(7 * v / top))] for v in recent)

    def run_until(self, done: threading.Event | None = None, poll: Any = None) -> None:
        """Tick until `done` is set (or `poll()` returns True), recording how late each tick was."""
        period = 1 / UI_FPS
        next_tick = time.perf_counter() + period
        while not (done and done.is_set()) and not (poll and poll()):
            time.sleep(max(0.0, next_tick - time.perf_counter()))
            self.lateness.append(time.perf_counter() - next_tick)
            self.tick()
            next_tick += period

    def summary(self) -> dict[str, float]:
        late = sorted(self.lateness) or [0.0]
        return {
            "ui_late_ms_median": 1000 * statistics.median(late),
            "ui_late_ms_p95": 1000 * late[int(0.95 * (len(late) - 1))],
        }


def plain(config: TrainConfig) -> dict[str, float]:
    """Train in this thread with nothing else going on."""
    start = time.perf_counter()
    final = run(config, lambda event: None)
    assert isinstance(final, Finished), final
    return {"steps_per_s": final.steps_per_second, "wall_s": time.perf_counter() - start}


def threaded(config: TrainConfig) -> dict[str, float]:
    """Train in a worker thread while the main thread plays a 60 fps UI fed by Progress events."""
    ui, done, result = FakeUI(), threading.Event(), {}

    def on_event(event: Any) -> None:
        if isinstance(event, Progress):
            ui.points.extend(event.losses)  # list.extend is atomic under the GIL

    def worker() -> None:
        result["final"] = run(config, on_event)
        done.set()

    start = time.perf_counter()
    threading.Thread(target=worker, daemon=True).start()
    ui.run_until(done)
    final = result["final"]
    assert isinstance(final, Finished), final
    return {
        "steps_per_s": final.steps_per_second,
        "wall_s": time.perf_counter() - start,
        **ui.summary(),
    }


def _child(config: TrainConfig, queue: Any) -> None:
    """Process body: train and forward only the small, throttled events (pickled)."""

    def on_event(event: Any) -> None:
        if isinstance(event, Progress):
            queue.put(("progress", event.losses))

    final = run(config, on_event)
    queue.put(("final", final.steps_per_second if isinstance(final, Finished) else None))


def process(config: TrainConfig) -> dict[str, float]:
    """Train in a spawned process while the main thread plays the UI, reading a queue each tick."""
    ctx = mp.get_context("spawn")
    queue, ui, out = ctx.Queue(), FakeUI(), {}

    def poll() -> bool:
        while not queue.empty():
            kind, payload = queue.get()
            if kind == "progress":
                ui.points.extend(payload)
            else:
                out["steps_per_s"] = payload
        return "steps_per_s" in out

    start = time.perf_counter()
    child = ctx.Process(target=_child, args=(config, queue), daemon=True)
    child.start()
    ui.run_until(poll=poll)
    child.join()
    return {
        "steps_per_s": out["steps_per_s"],
        "wall_s": time.perf_counter() - start,
        **ui.summary(),
    }


def measure(quick: bool, repeat: int) -> dict[str, dict[str, dict[str, float]]]:
    """Measure every mode on every configuration, in this process's MXNet engine."""
    from d2l_tui.mxnet_env import load_mxnet

    load_mxnet()  # import cost is not training speed
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, config in CONFIGS.items():
        if quick:
            config = TrainConfig(**{**config.settings(), "epochs": 1})
        run(TrainConfig(epochs=1, examples=200), lambda e: None)  # warm up MXNet's operators
        results[name] = {
            mode.__name__: best_of(repeat, mode, config) for mode in (plain, threaded, process)
        }
    return results


def best_of(repeat: int, mode: Any, config: TrainConfig) -> dict[str, float]:
    """Keep the fastest of `repeat` runs: on a shared machine, slower ones measure the neighbours."""
    return max((mode(config) for _ in range(repeat)), key=lambda r: r["steps_per_s"])


def measure_in_subprocess(engine_type: str | None, quick: bool, repeat: int) -> dict[str, Any]:
    """Run `measure` in a fresh interpreter with MXNET_ENGINE_TYPE set (or unset)."""
    env = dict(os.environ)
    env.pop("MXNET_ENGINE_TYPE", None)
    if engine_type:
        env["MXNET_ENGINE_TYPE"] = engine_type
    argv = [sys.executable, __file__, "--measure", "--repeat", str(repeat)]
    argv += ["--quick"] if quick else []
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(all_results: dict[str, dict[str, Any]]) -> None:
    """Print a table and a recommendation."""
    print(
        f"{'engine':<16}{'config':<28}{'mode':<9}{'steps/s':>9}{'wall s':>8}"
        f"{'UI late ms (median/p95)':>26}"
    )
    for engine, results in all_results.items():
        for config, modes in results.items():
            for mode, r in modes.items():
                late = (
                    f"{r['ui_late_ms_median']:.1f} / {r['ui_late_ms_p95']:.1f}"
                    if "ui_late_ms_median" in r
                    else "-"
                )
                print(
                    f"{engine:<16}{config:<28}{mode:<9}{r['steps_per_s']:>9.0f}"
                    f"{r['wall_s']:>8.2f}{late:>26}"
                )
    default = all_results["ThreadedEngine"]
    naive = all_results.get("NaiveEngine", {})
    print()
    for config, modes in default.items():
        thread, proc = modes["threaded"], modes["process"]
        ratio = thread["steps_per_s"] / modes["plain"]["steps_per_s"]
        print(
            f"{config}: thread keeps {ratio:.0%} of plain speed; process start-up adds "
            f"{proc['wall_s'] - thread['wall_s']:+.2f} s wall."
        )
        if naive:
            gain = naive[config]["threaded"]["steps_per_s"] / thread["steps_per_s"] - 1
            print(f"{config}: NaiveEngine changes thread speed by {gain:+.0%}.")
    print()
    print(recommend(default, naive))


def recommend(default: dict[str, Any], naive: dict[str, Any]) -> str:
    """Turn the numbers into the advice for the TrainingPanel."""
    frame_ms = 1000 / UI_FPS
    smooth = all(m["threaded"]["ui_late_ms_p95"] < frame_ms for m in default.values())
    keeps = min(m["threaded"]["steps_per_s"] / m["plain"]["steps_per_s"] for m in default.values())
    if smooth and keeps >= 0.8:
        where = (
            f"Recommendation: train in a worker thread (keeps >= {keeps:.0%} of plain speed, "
            f"UI ticks stay within a frame); a process only adds ~1 s of start-up "
            f"(spawn + MXNet import) and pickling."
        )
    else:
        where = "Recommendation: train in a separate process: the thread slows the UI or training."
    gains = (
        [
            naive[c]["threaded"]["steps_per_s"] / m["threaded"]["steps_per_s"] - 1
            for c, m in default.items()
        ]
        if naive
        else []
    )
    # NaiveEngine runs every operator synchronously: errors surface at the failing line, but
    # lessons timing asynchronous execution would show nothing, and it has a history of crashes
    # with several client threads (apache/mxnet#12128); only a large, steady gain is worth that.
    if gains and min(gains) > 0.5:
        engine = f" Set MXNET_ENGINE_TYPE=NaiveEngine before importing MXNet (+{min(gains):.0%})."
    else:
        shown = ", ".join(f"{g:+.0%}" for g in gains) or "not measured"
        engine = (
            f" Keep MXNet's default engine: NaiveEngine's gain ({shown}) is small for "
            "the book's runs (well under a second) and it makes every operator synchronous."
        )
    return where + engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--measure", action="store_true", help="(internal) measure and print JSON")
    parser.add_argument("--quick", action="store_true", help="one epoch per configuration")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode; the fastest counts")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.quick, args.repeat)))
        return
    all_results = {
        "ThreadedEngine": measure_in_subprocess(None, args.quick, args.repeat),
        "NaiveEngine": measure_in_subprocess("NaiveEngine", args.quick, args.repeat),
    }
    report(all_results)


if __name__ == "__main__":
    main()
