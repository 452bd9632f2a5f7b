"""Bounded loss curves for long runs, EMA smoothing, and records of a panel's last few runs."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from d2l_tui.training.words import say


class LossHistory:
    """A loss curve that keeps at most `capacity` points: when full, neighbouring pairs merge.

    Each kept point is the mean of `stride` consecutive losses, and `stride` doubles at every merge,
    so memory stays bounded however long the run, and the curve keeps its overall shape.
    """

    def __init__(self, capacity: int = 512) -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 2")
        self.capacity = capacity
        self.stride = 1
        """How many raw losses each kept point averages."""
        self.count = 0
        """How many losses were appended in all."""
        self._points: list[float] = []
        self._pending_sum = 0.0
        self._pending = 0

    def append(self, loss: float) -> None:
        """Add one minibatch loss."""
        self.count += 1
        self._pending_sum += loss
        self._pending += 1
        if self._pending < self.stride:
            return
        self._points.append(self._pending_sum / self._pending)
        self._pending_sum, self._pending = 0.0, 0
        if len(self._points) >= self.capacity:
            pts = self._points
            self._points = [(pts[i] + pts[i + 1]) / 2 for i in range(0, len(pts), 2)]
            self.stride *= 2

    def extend(self, losses: Iterable[float]) -> None:
        """Add several minibatch losses."""
        for loss in losses:
            self.append(loss)

    def values(self) -> list[float]:
        """Return the kept points, plus the mean of a not yet complete last group."""
        if self._pending:
            return [*self._points, self._pending_sum / self._pending]
        return list(self._points)

    def __len__(self) -> int:
        return len(self._points) + (1 if self._pending else 0)


def ema(values: Iterable[float], alpha: float = 0.1) -> list[float]:
    """Smooth a curve with an exponential moving average (alpha = weight of the newest value)."""
    if not 0 < alpha <= 1:
        raise ValueError("alpha must be in (0, 1]")
    smoothed: list[float] = []
    for value in values:
        smoothed.append(value if not smoothed else smoothed[-1] + alpha * (value - smoothed[-1]))
    return smoothed


@dataclass(frozen=True)
class RunRecord:
    """What a panel remembers of one run: its settings, downsampled curve and result."""

    settings: dict[str, Any]
    engine: str
    outcome: str
    """"finished", "diverged", "stopped" or "failed"."""
    steps: int
    curve: tuple[float, ...]
    """Minibatch losses, downsampled to at most the history's capacity."""
    epoch_losses: tuple[float, ...] = ()
    w: tuple[float, ...] = ()
    b: float | None = None
    message: str = ""
    """Why it diverged or failed: a `Phrase` when the doctor wrote it, else the error's own text."""
    test_loss: float | None = None
    """The mean loss on the test set after the last epoch (softmax, mlp, poly, high-dim), else None."""
    test_acc: float | None = None
    """The test accuracy after the last epoch (softmax, mlp), else None."""

    def summary(self, lang: str = "en", head: str | None = None, *, epochs: bool = True) -> str:
        """One line for a list of past runs, e.g. "lr=0.03 batch_size=10: loss 4.8e-05 (3 epochs)".

        Args:
            head: the settings to name first (lr and batch_size when None; "" names none).
            epochs: whether a finished run says how many epochs it trained (a panel's run list
                leaves it out: it is the epochs setting, on the panel's line or in `head`).
        """
        s = self.settings
        if head is None:
            head = f"lr={s.get('lr', 0):g} batch_size={s.get('batch_size')}"
        result = self.result(lang, epochs=epochs)
        return say(lang, "summary", head=head, result=result) if head else result

    def result(self, lang: str = "en", *, epochs: bool = True) -> str:
        """How the run ended: its final losses (and test accuracy), or why and when it stopped."""
        if self.outcome != "finished" or not self.epoch_losses:
            outcome = say(lang, f"outcome-{self.outcome}")
            return say(lang, "summary-ended", outcome=outcome, steps=self.steps)
        loss = self.epoch_losses[-1]
        if self.test_loss is None:
            said = say(lang, "summary-loss", loss=loss)
        else:
            said = say(lang, "summary-losses", loss=loss, test=self.test_loss)
        if self.test_acc is not None:
            said += say(lang, "summary-acc", acc=self.test_acc)
        return said + (say(lang, "summary-epochs", epochs=len(self.epoch_losses)) if epochs else "")


@dataclass
class RunHistory:
    """The last few runs of one panel, newest last."""

    limit: int = 5
    _records: deque[RunRecord] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._records = deque(maxlen=self.limit)

    def add(self, record: RunRecord) -> None:
        """Remember a run, forgetting the oldest beyond `limit`."""
        self._records.append(record)

    @property
    def latest(self) -> RunRecord | None:
        """The most recent run, if any."""
        return self._records[-1] if self._records else None

    def __iter__(self) -> Iterator[RunRecord]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)
