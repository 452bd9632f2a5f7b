"""Events of a softmax, MLP, poly or high-dim run, beside the linear-regression ones in `events.py`.

The stream is the same shape: `ModelStarted`, then `ModelProgress` (throttled) and `ModelEpochEnd`,
then one final event. `Diverged`, `Stopped` and `Failed` are the ones from `training.events`
(their `record.w` is empty and `record.b` None); `ModelFinished` replaces `Finished`.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2l_tui.datasets import Said
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.history import RunRecord


@dataclass(frozen=True, slots=True)
class Measures:
    """A model measured on its training and test sets (accuracies only for classifiers)."""

    train_loss: float
    test_loss: float
    train_acc: float | None = None
    test_acc: float | None = None
    predictions: tuple[int, ...] = ()
    """Classifiers: the predicted class of every test example, in the test set's order
    (with the test labels, a confusion matrix)."""
    misclassified: tuple[int, ...] = ()
    """Classifiers: the first few (at most `MISCLASSIFIED`) test indices predicted wrongly."""
    weight_norm: float = 0.0
    """‖w‖ (L2 norm of every weight, biases left out), as §3.12 prints it."""
    coefficients: tuple[float, ...] = ()
    """Regressors (poly, high-dim): the learned b, w₁, w₂, …, so a poly run's fitted
    polynomial from x⁰ up, drawn over its data each epoch."""


MISCLASSIFIED = 8
"""How many misclassified test indices an epoch reports."""


@dataclass(frozen=True, slots=True)
class ModelStarted:
    """The model and its data are ready; `before` measures the untrained model (epoch 0)."""

    config: TrainConfig
    engine: str
    """What the learner sees, e.g. "MXNet nd, from scratch"."""
    impl: str
    dataset: str
    """Classifiers: the dataset actually used (`digits` when Fashion-MNIST was missing), else ""."""
    fallback: Said | None
    """Why the asked-for dataset was replaced by digits (`fallback.words(lang)`), else None."""
    train_examples: int
    test_examples: int
    test_labels: tuple[int, ...]
    """Classifiers: the true class of every test example (with `predictions`, a confusion matrix)."""
    total_steps: int
    steps_per_epoch: int
    before: Measures


@dataclass(frozen=True, slots=True)
class ModelProgress:
    """Throttled (about 20 a second): the minibatch losses since the previous ModelProgress."""

    epoch: int
    step: int
    total_steps: int
    losses: tuple[float, ...]
    """Minibatch losses of steps `step - len(losses) + 1` to `step`."""
    steps_per_second: float
    eta_seconds: float


@dataclass(frozen=True, slots=True)
class ModelEpochEnd:
    """An epoch finished; `loss` is the mean training loss over the whole training set."""

    epoch: int
    loss: float
    measures: Measures

    @property
    def train_acc(self) -> float | None:
        """Accuracy on the training set (classifiers), else None."""
        return self.measures.train_acc

    @property
    def test_acc(self) -> float | None:
        """Accuracy on the test set (classifiers), else None."""
        return self.measures.test_acc

    @property
    def test_loss(self) -> float:
        """Mean loss on the test set."""
        return self.measures.test_loss


@dataclass(frozen=True, slots=True)
class ModelFinished:
    """Every epoch ran."""

    epochs: tuple[ModelEpochEnd, ...]
    steps_per_second: float
    seconds: float
    """Time spent training (epoch-end measuring included), pauses excluded."""
    record: RunRecord
