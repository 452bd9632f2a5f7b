"""The book's classification and generalisation models for `train` panels and `d2l-tui train`.

`run_model(config, on_event, control=None, data_dir=None)` trains `config.model`:

- `softmax` (§3.6 scratch: `softmax`, `cross_entropy` with `nd.pick`, `sgd`; §3.7 Gluon:
  `nn.Dense(10)`, `SoftmaxCrossEntropyLoss`, `Trainer`) and `mlp` (§3.9/§3.10: W1, b1, W2, b2 or
  `Dense(num_hidden, activation)` + `Dense(10)`, with `dropout` and `weight_decay`) on
  `dataset` (digits, or Fashion-MNIST when fetched; digits with `ModelStarted.fallback` otherwise);
- `poly` (§3.11: degree 1/3/… fitted from `examples`) and `high-dim` (§3.12: 200 features from 20
  examples, `weight_decay`, ‖w‖).

Events (`models.events`): ModelStarted (`before`: the untrained model's `Measures`; `test_labels`),
ModelProgress (minibatch losses, about 20 a second), ModelEpochEnd (`loss` = mean training loss;
`measures`: train_loss, test_loss, train_acc and test_acc for classifiers, `predictions` of every
test example for a confusion matrix, the first few `misclassified` test indices, `weight_norm`;
for poly and high-dim the learned `coefficients` b, w₁, w₂, …),
then ModelFinished, or `training.events`' Diverged, Stopped or Failed. Pause, step and stop go
through `training.control.RunControl` exactly as for linear regression. Nothing here imports
Textual; MXNet loads when a run starts.
"""

from __future__ import annotations

from d2l_tui.training.models.events import (
    Measures,
    ModelEpochEnd,
    ModelFinished,
    ModelProgress,
    ModelStarted,
)
from d2l_tui.training.models.loop import ModelEvent, ModelFinal, run_model

__all__ = [
    "Measures",
    "ModelEpochEnd",
    "ModelEvent",
    "ModelFinal",
    "ModelFinished",
    "ModelProgress",
    "ModelStarted",
    "run_model",
]
