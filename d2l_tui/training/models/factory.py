"""Build the engine a config asks for, with the data it trains on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from d2l_tui.datasets import Said, load_dataset
from d2l_tui.training.config import CLASSIFIERS, TrainConfig
from d2l_tui.training.models.base import ModelEngine


@dataclass
class Built:
    """An engine ready to train, and which dataset it really got."""

    engine: ModelEngine
    dataset: str = ""
    fallback: Said | None = None
    test_labels: tuple[int, ...] = field(default_factory=tuple)
    test_examples: int = 0


def build(config: TrainConfig, data_dir: Path | None = None) -> Built:
    """The engine for `config.model` and `config.impl` (scratch or gluon); loads MXNet and the data.

    Raises:
        MXNetUnavailable: MXNet cannot load.
        ValueError: the model is not one of these (linear regression has `training.loop`).
    """
    if config.model in CLASSIFIERS:
        return _classifier(config, data_dir)
    if config.model == "poly":
        from d2l_tui.training.models.poly import TEST_EXAMPLES, make_poly

        return Built(make_poly(config), test_examples=TEST_EXAMPLES)
    if config.model == "high-dim":
        from d2l_tui.training.models.high_dim import TEST_EXAMPLES as HIGH_DIM_TEST
        from d2l_tui.training.models.high_dim import make_high_dim

        return Built(make_high_dim(config), test_examples=HIGH_DIM_TEST)
    raise ValueError(f"no model engine for {config.model!r}")


def _classifier(config: TrainConfig, data_dir: Path | None) -> Built:
    from d2l_tui.mxnet_env import load_mxnet

    load_mxnet()  # say MXNet is missing before reading 60,000 images
    loaded = load_dataset(config.dataset, data_dir, flat=True)
    s = loaded.split
    if config.model == "softmax":
        from d2l_tui.training.models.softmax import GluonSoftmax, ScratchSoftmax

        kind: type[ModelEngine] = GluonSoftmax if config.impl == "gluon" else ScratchSoftmax
    else:
        from d2l_tui.training.models.mlp import GluonMLP, ScratchMLP

        kind = GluonMLP if config.impl == "gluon" else ScratchMLP
    engine = kind(config, s.train_x, s.train_y, s.test_x, s.test_y)  # type: ignore[call-arg]
    labels = tuple(int(v) for v in s.test_y)
    return Built(engine, loaded.name, loaded.fallback, labels, len(labels))
