"""The training doctor: pure checks that turn a loss curve into advice a learner can act on."""

from __future__ import annotations

import math

from d2l_tui.training.words import Phrase

DIVERGENCE_FACTOR = 1000.0
"""A loss this many times the best loss seen so far means the run is diverging."""
REFERENCE_FLOOR = 1e-6
"""Fraction of the first loss below which `best` stops counting: float32 round-off on noiseless
data makes tiny losses jump by orders of magnitude without anything going wrong."""
STALL_DROP = 0.01
"""An epoch that lowers the loss by less than this fraction counts as barely moving."""
SMOOTHING = 0.1
"""EMA weight of the newest minibatch loss in the level that growth is measured against."""
FAR_ABOVE_FLOOR = 10.0
"""A loss this many times the noise floor (noise^2 / 2) is still far from done."""


def divergence_reason(loss: float, best: float, first: float) -> Phrase | None:
    """Say why a minibatch loss shows divergence ("NaN", "infinite", "grew 1000-fold"), or None.

    Args:
        loss: the newest minibatch loss.
        best: the lowest level seen before it (`LossWatch` passes the lowest EMA).
        first: the first loss of the run.
    """
    if math.isnan(loss):
        return Phrase("loss-nan")
    if math.isinf(loss):
        return Phrase("loss-inf")
    reference = max(best, abs(first) * REFERENCE_FLOOR)
    if reference > 0 and loss > DIVERGENCE_FACTOR * reference:
        return Phrase("loss-grew", factor=DIVERGENCE_FACTOR, best=best, loss=loss)
    return None


class LossWatch:
    """Watches a run's minibatch losses for divergence.

    Growth is measured against the best exponential moving average, not the best single loss:
    with small batches one minibatch loss can be near zero by chance (batch size 1 near the
    optimum), and a normal loss after it would look like a 1000-fold jump.
    """

    def __init__(self, alpha: float = SMOOTHING) -> None:
        self.alpha = alpha
        self.first = math.nan
        self.best = math.inf
        self.level = math.nan
        """The EMA of the losses so far."""

    def check(self, loss: float) -> Phrase | None:
        """Take the next minibatch loss; return why the run diverged, or None."""
        if math.isnan(self.first):
            self.first = loss
        reason = divergence_reason(loss, self.best, self.first)
        if reason is None:
            self.level = (
                loss if math.isnan(self.level) else self.level + self.alpha * (loss - self.level)
            )
            self.best = min(self.best, self.level)
        return reason


def divergence_message(step: int, lr: float) -> Phrase:
    """Explain a divergence in words a learner can act on."""
    return Phrase("diverged", step=step, lr=lr)


def noise_floor(noise: float) -> float:
    """The lowest mean loss possible: the label noise variance over 2."""
    return noise * noise / 2


def epoch_hint(
    before: float, after: float, *, start: float, noise: float, lr: float
) -> Phrase | None:
    """Advise after an epoch whose mean loss went from `before` to `after`, or return None.

    A loss that rose suggests a smaller learning rate; one that barely fell while still far above
    the noise floor suggests a larger one.

    Args:
        start: the loss before training, which scales "done" on noiseless data.
    """
    if not (math.isfinite(before) and math.isfinite(after)) or before <= 0:
        return None
    done = max(FAR_ABOVE_FLOOR * noise_floor(noise), abs(start) * REFERENCE_FLOOR)
    if after <= done:
        return None
    if after > before * (1 + STALL_DROP):
        return Phrase("hint-rising", lr=lr)
    if before - after < STALL_DROP * before:
        return Phrase("hint-stalled", lr=lr)
    return None
