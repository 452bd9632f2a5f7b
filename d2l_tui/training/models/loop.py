"""The loop a worker thread runs for softmax, mlp, poly and high-dim: step, watch, obey, report."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from d2l_tui.mxnet_env import MXNetUnavailable
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.training.doctor import LossWatch, divergence_message
from d2l_tui.training.events import Diverged, Failed, Stopped
from d2l_tui.training.history import LossHistory, RunRecord
from d2l_tui.training.models.base import Batch
from d2l_tui.training.models.events import ModelEpochEnd, ModelFinished, ModelProgress, ModelStarted
from d2l_tui.training.models.factory import Built, build
from d2l_tui.training.words import Phrase

PROGRESS_INTERVAL = 0.05
"""Seconds between ModelProgress events, as for linear regression."""

ModelEvent = (
    ModelStarted | ModelProgress | ModelEpochEnd | ModelFinished | Diverged | Stopped | Failed
)
ModelFinal = ModelFinished | Diverged | Stopped | Failed


class _Run:
    """One `run_model()` call's state, split so each phase stays a short method."""

    def __init__(
        self,
        config: TrainConfig,
        on_event: Callable[[ModelEvent], None],
        control: RunControl,
        clock: Callable[[], float],
    ) -> None:
        self.config, self.on_event, self.control, self.clock = config, on_event, control, clock
        self.history = LossHistory(512)
        self.watch = LossWatch(alpha=1.0)
        """Fed the training loss over the whole set once an epoch (and before the first)."""
        self.epochs: list[ModelEpochEnd] = []
        self.pending: list[float] = []
        self.step, self.epoch, self.active = 0, 1, 0.0
        self.engine_name = ""
        self.total_steps = 0
        self.last_emit = clock()

    def record(self, outcome: str, message: str = "") -> RunRecord:
        last = self.epochs[-1].measures if self.epochs else None
        return RunRecord(
            settings=self.config.settings(),
            engine=self.engine_name,
            outcome=outcome,
            steps=self.step,
            curve=tuple(self.history.values()),
            epoch_losses=tuple(e.loss for e in self.epochs),
            w=(),
            b=None,
            message=message,
            test_loss=last.test_loss if last else None,
            test_acc=last.test_acc if last else None,
        )

    def fail(self, message: str, fix: str | None = None) -> Failed:
        final = Failed(message, fix, self.record("failed", message))
        self.on_event(final)
        return final

    def flush(self) -> None:
        if not self.pending:
            return
        rate = self.step / self.active if self.active > 0 else 0.0
        eta = (self.total_steps - self.step) / rate if rate > 0 else math.inf
        self.on_event(
            ModelProgress(self.epoch, self.step, self.total_steps, tuple(self.pending), rate, eta)
        )
        self.pending, self.last_emit = [], self.clock()

    def start(self, data_dir: Path | None) -> Built | Failed:
        if self.config.impl not in ("scratch", "gluon"):
            return self.fail(Phrase("bad-impl-model", model=self.config.model))
        try:
            built = build(self.config, data_dir)
        except MXNetUnavailable as error:
            return self.fail(error.reason, error.fix)
        except Exception as error:  # noqa: BLE001 - the learner sees the error, the app keeps going
            return self.fail(f"{type(error).__name__}: {error}")
        engine = built.engine
        before = engine.measure()
        self.watch.check(before.train_loss)
        per_epoch = math.ceil(engine.examples / self.config.batch_size)
        self.engine_name, self.total_steps = engine.name, per_epoch * self.config.epochs
        self.on_event(
            ModelStarted(
                self.config,
                engine.name,
                engine.impl,
                built.dataset,
                built.fallback,
                engine.examples,
                built.test_examples,
                built.test_labels,
                self.total_steps,
                per_epoch,
                before,
            )
        )
        return built

    def take_step(self, built: Built, batch: Batch) -> Diverged | None:
        began = self.clock()
        loss = built.engine.train_batch(batch)
        self.step += 1
        self.history.append(loss)
        self.pending.append(loss)
        self.active += self.clock() - began
        if not math.isfinite(loss):  # growth is judged per epoch: one example's loss jumps about
            return self.diverged(loss, Phrase("loss-nan" if math.isnan(loss) else "loss-inf"))
        if self.clock() - self.last_emit >= PROGRESS_INTERVAL:
            self.flush()
        return None

    def diverged(self, loss: float, reason: str) -> Diverged:
        self.flush()
        message = divergence_message(self.step, self.config.lr)
        final = Diverged(
            self.step,
            self.epoch,
            loss,
            self.config.lr,
            reason,
            message,
            self.record("diverged", message),
        )
        self.on_event(final)
        return final

    def end_epoch(self, built: Built) -> Diverged | None:
        self.flush()
        began = self.clock()
        measures = built.engine.measure()
        self.active += self.clock() - began
        reason = self.watch.check(measures.train_loss)
        if reason is not None or not math.isfinite(measures.train_loss):
            return self.diverged(measures.train_loss, reason or Phrase("loss-not-finite"))
        event = ModelEpochEnd(self.epoch, measures.train_loss, measures)
        self.epochs.append(event)
        self.on_event(event)
        return None

    def train(self, built: Built) -> ModelFinal:
        for epoch in range(1, self.config.epochs + 1):
            self.epoch = epoch
            batches: Iterator[Batch] = built.engine.batches()
            for batch in batches:
                if self.control.paused:
                    self.flush()
                if not self.control.wait_for_turn():
                    self.flush()
                    final = Stopped(self.step, self.epoch, self.record("stopped"))
                    self.on_event(final)
                    return final
                diverged = self.take_step(built, batch)
                if diverged:
                    return diverged
            diverged = self.end_epoch(built)
            if diverged:
                return diverged
        rate = self.step / self.active if self.active > 0 else 0.0
        done = ModelFinished(tuple(self.epochs), rate, self.active, self.record("finished"))
        self.on_event(done)
        return done


def run_model(
    config: TrainConfig,
    on_event: Callable[[ModelEvent], None],
    control: RunControl | None = None,
    *,
    data_dir: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ModelFinal:
    """Train a softmax, mlp, poly or high-dim `config` to the end, sending events; for a worker thread.

    Sends ModelStarted, then ModelProgress (throttled) and ModelEpochEnd, then exactly one final
    event (ModelFinished, Diverged, Stopped or Failed), which it also returns. Never raises for
    training problems. Needs MXNet (there is no NumPy stand-in for these models).

    Args:
        data_dir: the app's data folder, where Fashion-MNIST is looked for (None: the default).
    """
    state = _Run(config, on_event, control or RunControl(), clock)
    built = state.start(data_dir)
    if isinstance(built, Failed):
        return built
    try:
        return state.train(built)
    except Exception as error:  # noqa: BLE001 - reported to the learner, not raised
        return state.fail(f"{type(error).__name__}: {error}")
