"""The small immutable events a training worker sends to whoever shows the run.

The doctor's words in them (`Diverged.reason` and `.message`, `EpochEnd.hint`) are `Phrase`s:
English text, as `d2l-tui train` prints it, that a panel can ask for in the lesson's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import Solution
from d2l_tui.training.history import RunRecord


@dataclass(frozen=True, slots=True)
class Started:
    """The engine is ready and the first step is about to run."""

    config: TrainConfig
    engine: str
    """The engine's name for the learner, e.g. "MXNet nd, from scratch" or "NumPy (MXNet unavailable)"."""
    impl: str
    """The implementation actually used (`numpy` when MXNet could not load)."""
    fallback_reason: str | None
    total_steps: int
    steps_per_epoch: int
    initial_loss: float
    """Mean loss over the dataset before training (epoch 0)."""
    closed_form: Solution
    """The exact least-squares solution on the same data."""


@dataclass(frozen=True, slots=True)
class Progress:
    """Throttled (about 20 a second): the minibatch losses since the previous Progress."""

    epoch: int
    """The epoch the last step belongs to (1-based)."""
    step: int
    """The last step taken (1-based, counted over the whole run)."""
    total_steps: int
    losses: tuple[float, ...]
    """Minibatch losses of steps `step - len(losses) + 1` to `step`."""
    w: tuple[float, ...]
    b: float
    steps_per_second: float
    eta_seconds: float
    """Seconds left at the current speed, not counting pauses."""
    path: tuple[tuple[float, float], ...] = ()
    """(θ₀, θ₁) after the traced steps since the previous Progress (see `loss_surface.traced`);
    empty unless the run was asked to trace."""


@dataclass(frozen=True, slots=True)
class EpochEnd:
    """An epoch finished; `loss` is the mean over the whole dataset, as the book prints."""

    epoch: int
    loss: float
    w: tuple[float, ...]
    b: float
    hint: str | None = None
    """Advice from the training doctor, e.g. "the loss is barely moving: ..." (a `Phrase`)."""


@dataclass(frozen=True, slots=True)
class Finished:
    """Every epoch ran."""

    epoch_losses: tuple[float, ...]
    w: tuple[float, ...]
    b: float
    steps_per_second: float
    seconds: float
    """Time spent training, pauses excluded."""
    record: RunRecord


@dataclass(frozen=True, slots=True)
class Diverged:
    """The training doctor stopped a run whose loss blew up."""

    step: int
    epoch: int
    loss: float
    lr: float
    reason: str
    """What was seen, e.g. "the loss became infinite" (a `Phrase`)."""
    message: str
    """"diverged at step N: the learning rate is probably too large (lr=...)" (a `Phrase`)."""
    record: RunRecord


@dataclass(frozen=True, slots=True)
class Stopped:
    """The run was stopped through its `RunControl`."""

    step: int
    epoch: int
    record: RunRecord


@dataclass(frozen=True, slots=True)
class Failed:
    """The run could not start or crashed; `fix` is a command to run, when one is known."""

    message: str
    fix: str | None
    record: RunRecord


TrainingEvent = Started | Progress | EpochEnd | Finished | Diverged | Stopped | Failed
FinalEvent = Finished | Diverged | Stopped | Failed
