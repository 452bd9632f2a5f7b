"""Training with real MXNet (both of the book's implementations), driven as a UI would drive it."""

from __future__ import annotations

import itertools
import queue
import threading
import time

import numpy as np
import pytest

from d2l_tui.mxnet_env import MXNetUnavailable
from d2l_tui.training import (
    Diverged,
    EpochEnd,
    Failed,
    Finished,
    Progress,
    RunControl,
    Started,
    Stopped,
    TrainConfig,
    TrainingRun,
    run,
)

SMALL = {"examples": 200, "epochs": 2, "lr": 0.1}
LONG = TrainConfig(examples=100_000, batch_size=10, epochs=100)  # far longer than any test waits


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_small_run_learns(impl: str) -> None:
    events: list[object] = []
    final = run(TrainConfig(impl=impl, **SMALL), events.append)
    assert isinstance(final, Finished), final
    started = events[0]
    assert isinstance(started, Started) and started.impl == impl and "MXNet" in started.engine
    first, second = final.epoch_losses
    assert started.initial_loss > 10 * first > 10 * second
    assert np.allclose(final.w, (2, -3.4), atol=0.1) and abs(final.b - 4.2) < 0.1
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [1, 2]
    steps = sum(len(e.losses) for e in events if isinstance(e, Progress))
    assert steps == started.total_steps == 40 == final.record.steps


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_book_defaults_reproduce_the_book(impl: str) -> None:
    final = run(TrainConfig(impl=impl), lambda event: None)
    assert isinstance(final, Finished), final
    one, two, three = final.epoch_losses
    assert 0.02 < one < 0.06 and two < 3e-4 and three < 1e-4  # book: 0.035, 1.3e-4, 5e-5
    assert np.allclose(final.w, (2, -3.4), atol=0.01) and abs(final.b - 4.2) < 0.01


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_same_seed_replays_and_reset_starts_over(impl: str) -> None:
    config = TrainConfig(impl=impl, examples=50, epochs=1)
    a, b = TrainingRun(config), TrainingRun(config)
    first = [a.step().loss for _ in range(5)]
    assert [b.step().loss for _ in range(5)] == first
    other = TrainingRun(TrainConfig(impl=impl, examples=50, epochs=1, seed=1))
    assert [other.step().loss for _ in range(5)] != first
    a.reset()
    assert [a.step().loss for _ in range(5)] == first


def test_steps_mark_epoch_ends_and_a_short_last_batch() -> None:
    training = TrainingRun(TrainConfig(examples=25, batch_size=10, epochs=2))
    results = [training.step() for _ in range(6)]
    assert training.steps_per_epoch == 3 and training.done
    assert [r.epoch_loss is not None for r in results] == [False, False, True] * 2
    assert [(r.epoch, r.batch, r.step) for r in results[2:4]] == [(1, 3, 3), (2, 1, 4)]
    with pytest.raises(RuntimeError):
        training.step()


def test_scratch_and_numpy_engines_agree() -> None:
    scratch = run(TrainConfig(impl="scratch", **SMALL), lambda e: None)
    numpy = run(TrainConfig(impl="numpy", **SMALL), lambda e: None)
    assert isinstance(scratch, Finished) and isinstance(numpy, Finished)
    assert np.allclose(scratch.epoch_losses, numpy.epoch_losses, rtol=1e-3)


@pytest.mark.parametrize("impl", ["scratch", "gluon"])
def test_large_learning_rate_is_diagnosed(impl: str) -> None:
    events: list[object] = []
    final = run(TrainConfig(impl=impl, lr=5), events.append)
    assert isinstance(final, Diverged), final
    assert 1 < final.step < 20 and events[-1] is final
    assert final.message == (
        f"diverged at step {final.step}: the learning rate is probably too large (lr=5)"
    )
    assert final.record.outcome == "diverged" and len(final.record.curve) == final.step


def test_tiny_learning_rate_gets_a_hint() -> None:
    events: list[object] = []
    run(TrainConfig(impl="numpy", lr=1e-6, epochs=1), events.append)
    (end,) = [e for e in events if isinstance(e, EpochEnd)]
    assert end.hint is not None and "larger learning rate" in end.hint


def test_without_mxnet_it_trains_with_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> None:
        raise MXNetUnavailable("no wheel here", "pip install mxnet")

    monkeypatch.setattr("d2l_tui.mxnet_env.load_mxnet", unavailable)
    events: list[object] = []
    final = run(TrainConfig(impl="gluon", **SMALL), events.append)
    started = events[0]
    assert isinstance(started, Started)
    assert started.impl == "numpy" and started.engine == "NumPy (MXNet unavailable)"
    assert started.fallback_reason == "no wheel here" and isinstance(final, Finished)


class Worker:
    """Runs `run()` in a thread the way the TrainingPanel will, collecting events in a queue."""

    def __init__(self, config: TrainConfig, control: RunControl) -> None:
        self.events: queue.Queue[object] = queue.Queue()
        self.thread = threading.Thread(target=run, args=(config, self.events.put, control))
        self.thread.start()

    def next_of(self, kind: type, timeout: float = 10.0) -> object:
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            if isinstance(event, kind):
                return event

    def drain(self) -> list[object]:
        items = []
        while not self.events.empty():
            items.append(self.events.get())
        return items


def _stop_and_time(worker: Worker, control: RunControl) -> float:
    began = time.monotonic()
    control.stop()
    worker.thread.join(timeout=2)
    return time.monotonic() - began


def test_stop_takes_effect_within_half_a_second_while_running() -> None:
    control = RunControl()
    worker = Worker(LONG, control)
    worker.next_of(Progress)
    assert _stop_and_time(worker, control) < 0.5
    assert not worker.thread.is_alive()
    stopped = [e for e in worker.drain() if isinstance(e, Stopped)]
    assert len(stopped) == 1 and stopped[0].step > 0 and stopped[0].record.outcome == "stopped"


def test_stop_takes_effect_within_half_a_second_while_paused() -> None:
    control = RunControl(paused=True)
    worker = Worker(LONG, control)
    worker.next_of(Started)
    time.sleep(0.2)
    assert _stop_and_time(worker, control) < 0.5
    events = worker.drain()
    assert not any(isinstance(e, Progress) for e in events)  # paused: not one step was taken
    assert isinstance(events[-1], Stopped) and events[-1].step == 0


def test_pause_step_once_and_resume() -> None:
    control = RunControl(paused=True)
    worker = Worker(TrainConfig(examples=100, epochs=1), control)
    worker.next_of(Started)
    for expected in (1, 2, 3):
        control.step_once()
        progress = worker.next_of(Progress)
        assert progress.step == expected and len(progress.losses) == 1
    time.sleep(0.1)
    assert worker.drain() == []  # still paused after the three single steps
    control.resume()
    final = worker.next_of(Finished)
    assert final.record.steps == 10
    worker.thread.join(timeout=2)
    control_running = RunControl()
    control_running.step_once()  # pressing "step" on a running run pauses it after one step
    assert control_running.paused and control_running.wait_for_turn(timeout=0.1)
    assert not control_running.wait_for_turn(timeout=0.1)


def test_progress_is_throttled_and_loses_no_loss() -> None:
    ticks = itertools.count()
    clock = lambda: next(ticks) * 0.001
    events: list[object] = []
    config = TrainConfig(impl="numpy", examples=2000, batch_size=1, epochs=1)
    run(config, events.append, clock=clock)
    progress = [e for e in events if isinstance(e, Progress)]
    elapsed = next(ticks) * 0.001
    assert 1 < len(progress) <= elapsed * 20 + 2
    assert [x for p in progress for x in p.losses] == list(_losses(config))
    steps = [p.step for p in progress]
    assert steps == sorted(steps) and steps[-1] == 2000
    assert progress[0].eta_seconds > progress[-1].eta_seconds == 0


def _losses(config: TrainConfig) -> list[float]:
    training = TrainingRun(config)
    return [training.step().loss for _ in range(training.total_steps)]


def test_without_fallback_a_missing_mxnet_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable() -> None:
        raise MXNetUnavailable("no wheel here", "pip install mxnet")

    monkeypatch.setattr("d2l_tui.mxnet_env.load_mxnet", unavailable)
    final = run(TrainConfig(**SMALL), lambda e: None, fallback=False)
    assert isinstance(final, Failed) and (final.message, final.fix) == (
        "no wheel here",
        "pip install mxnet",
    )
