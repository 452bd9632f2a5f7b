"""The loop a worker thread runs: step, watch the loss, obey the controls, report events."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from d2l_tui.mxnet_env import MXNetUnavailable
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.training.doctor import LossWatch, divergence_message, epoch_hint
from d2l_tui.training.events import (
    Diverged,
    EpochEnd,
    Failed,
    FinalEvent,
    Finished,
    Progress,
    Started,
    Stopped,
    TrainingEvent,
)
from d2l_tui.training.history import LossHistory, RunRecord
from d2l_tui.training.loss_surface import Point, pick, traced
from d2l_tui.training.session import StepResult, TrainingRun
from d2l_tui.training.words import Phrase

PROGRESS_INTERVAL = 0.05
"""Seconds between Progress events: at most about 20 a second, whatever the step rate."""


class _Loop:
    """The state of one `run()` call, split out so each phase stays a short method."""

    def __init__(
        self,
        config: TrainConfig,
        on_event: Callable[[TrainingEvent], None],
        control: RunControl,
        clock: Callable[[], float],
        capacity: int,
        fallback: bool,
        trace: bool = False,
    ) -> None:
        self.config, self.on_event, self.control, self.clock = config, on_event, control, clock
        self.trace = trace
        self.path: list[Point] = []
        self.history = LossHistory(capacity)
        self.watch = LossWatch()
        self.training: TrainingRun | None = None
        self.pending: list[float] = []
        self.last: StepResult | None = None
        self.active = 0.0
        self.last_emit = clock()
        self.engine = ""
        self.fallback = fallback

    def rate(self) -> float:
        steps = self.last.step if self.last else 0
        return steps / self.active if self.active > 0 else 0.0

    def record(self, outcome: str, message: str = "") -> RunRecord:
        t, last = self.training, self.last
        return RunRecord(
            settings=self.config.settings(),
            engine=self.engine,
            outcome=outcome,
            steps=last.step if last else 0,
            curve=tuple(self.history.values()),
            epoch_losses=tuple(t.epoch_losses) if t else (),
            w=last.w if last else (),
            b=last.b if last else None,
            message=message,
        )

    def flush(self) -> None:
        """Send the losses gathered since the previous Progress, if any."""
        if not self.pending or self.last is None or self.training is None:
            return
        rate, last = self.rate(), self.last
        eta = (self.training.total_steps - last.step) / rate if rate > 0 else math.inf
        self.on_event(
            Progress(
                epoch=last.epoch,
                step=last.step,
                total_steps=self.training.total_steps,
                losses=tuple(self.pending),
                w=last.w,
                b=last.b,
                steps_per_second=rate,
                eta_seconds=eta,
                path=tuple(self.path),
            )
        )
        self.pending, self.path = [], []
        self.last_emit = self.clock()

    def finish(self, event: FinalEvent) -> FinalEvent:
        self.on_event(event)
        return event

    def start(self) -> FinalEvent | None:
        """Build the run and send Started; return the final event when it cannot start."""
        try:
            self.training = TrainingRun(self.config, fallback=self.fallback)
        except MXNetUnavailable as error:
            return self.finish(Failed(error.reason, error.fix, self.record("failed", error.reason)))
        except Exception as error:  # noqa: BLE001 - the learner sees the error, the app keeps going
            message = f"{type(error).__name__}: {error}"
            return self.finish(Failed(message, None, self.record("failed", message)))
        t = self.training
        self.engine = t.engine.name
        self.last_emit = self.clock()
        if self.trace:
            start = t.engine.params()
            self.path.append(pick(start.w, start.b))  # where the path begins
        self.on_event(
            Started(
                config=self.config,
                engine=t.engine.name,
                impl=t.engine.impl,
                fallback_reason=t.engine.fallback_reason,
                total_steps=t.total_steps,
                steps_per_epoch=t.steps_per_epoch,
                initial_loss=t.initial_loss,
                closed_form=t.closed_form,
            )
        )
        return None

    def after_step(self, result: StepResult) -> FinalEvent | None:
        """Watch one step's loss; return the final event when the run diverged."""
        assert self.training is not None
        self.history.append(result.loss)
        self.pending.append(result.loss)
        if self.trace and traced(result.step, self.training.total_steps):
            self.path.append(pick(result.w, result.b))  # reads the parameters: only when tracing
        reason = self.watch.check(result.loss)
        if (
            reason is None
            and result.epoch_loss is not None
            and not math.isfinite(result.epoch_loss)
        ):
            reason = Phrase("loss-not-finite")
        if reason is not None:
            self.flush()
            message = divergence_message(result.step, self.config.lr)
            return self.finish(
                Diverged(
                    step=result.step,
                    epoch=result.epoch,
                    loss=result.loss,
                    lr=self.config.lr,
                    reason=reason,
                    message=message,
                    record=self.record("diverged", message),
                )
            )
        if result.epoch_loss is not None:
            self.flush()
            losses = self.training.epoch_losses
            before = losses[-2] if len(losses) > 1 else self.training.initial_loss
            hint = epoch_hint(
                before,
                result.epoch_loss,
                start=self.training.initial_loss,
                noise=self.config.noise,
                lr=self.config.lr,
            )
            self.on_event(EpochEnd(result.epoch, result.epoch_loss, result.w, result.b, hint=hint))
        elif self.clock() - self.last_emit >= PROGRESS_INTERVAL:
            self.flush()
        return None

    def train(self) -> FinalEvent:
        """Step until done, stopped, diverged or failed."""
        assert self.training is not None
        while not self.training.done:
            if self.control.paused:
                self.flush()  # show where a paused or single-stepped run stands
            if not self.control.wait_for_turn():
                self.flush()
                step, epoch = (self.last.step, self.last.epoch) if self.last else (0, 0)
                return self.finish(Stopped(step, epoch, record=self.record("stopped")))
            began = self.clock()
            try:
                result = self.training.step()
            except Exception as error:  # noqa: BLE001 - reported to the learner, not raised
                message = f"{type(error).__name__}: {error}"
                return self.finish(Failed(message, None, self.record("failed", message)))
            self.last = result
            final = self.after_step(result)
            self.active += self.clock() - began
            if final is not None:
                return final
        self.flush()
        last = self.last
        assert last is not None
        return self.finish(
            Finished(
                epoch_losses=tuple(self.training.epoch_losses),
                w=last.w,
                b=last.b,
                steps_per_second=self.rate(),
                seconds=self.active,
                record=self.record("finished"),
            )
        )


def run(
    config: TrainConfig,
    on_event: Callable[[TrainingEvent], None],
    control: RunControl | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    history_capacity: int = 512,
    fallback: bool = True,
    trace: bool = False,
) -> FinalEvent:
    """Train `config` to the end, sending events to `on_event`; meant for a worker thread.

    Sends Started, then Progress (throttled) and EpochEnd, then exactly one final event
    (Finished, Diverged, Stopped or Failed), which it also returns. Without MXNet it trains
    with the NumPy engine and says so in Started (with `fallback=False` it sends Failed instead).
    Never raises for training problems.

    Args:
        clock: seconds, for the Progress throttle and steps/s; tests may pass a fake one.
        history_capacity: the most points kept in the run record's loss curve.
        trace: send the path of (θ₀, θ₁) in Progress, for the loss-surface view (it reads the
            parameters after the traced steps, which costs a little speed).
    """
    control = control or RunControl()
    loop = _Loop(config, on_event, control, clock, history_capacity, fallback, trace)
    return loop.start() or loop.train()
