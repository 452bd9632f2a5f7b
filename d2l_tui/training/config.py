"""Training settings: the book's defaults and learner-facing validation of typed or YAML values."""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from d2l_tui.training.words import Phrase, in_language

IMPLS = ("scratch", "gluon", "numpy")
MODELS = ("linear-regression", "softmax", "mlp", "poly", "high-dim")
CLASSIFIERS = ("softmax", "mlp")
"""Models that classify images from a dataset (`dataset`) rather than fit synthetic numbers."""
DATASETS = ("digits", "fashion-mnist")
ACTIVATIONS = ("relu", "sigmoid", "tanh")
MAX_HIDDEN = 4096
MAX_DEGREE = 19
"""The book's §3.11 generates 20 powers x⁰..x¹⁹; degree d fits the first d + 1 of them."""
MAX_DROPOUT = 0.95
MAX_WEIGHT_DECAY = 1e3
MAX_EXAMPLES = 1_000_000
MAX_EPOCHS = 100_000
MAX_FEATURES = 10
MIN_LR, MAX_LR = 1e-30, 1e6
"""MXNet trains in float32: a smaller rate rounds to 0 or a denormal (1e-320 is refused by MXNet's own
scalar check with an MXNetError), a larger one overflows at the first step."""
MAX_MAGNITUDE = 1e6
"""The largest true weight, bias or noise: the labels and losses must stay finite in float32."""
MAX_STEPS = 10_000_000
"""The most minibatch steps a run may take (epochs × minibatches per epoch): hours of training."""
PANEL_KEYS = frozenset({"id", "title", "show"})
"""Directive keys that belong to the panel, not to training; accepted and ignored here."""
SHOW_PARTS = ("surface",)
"""The optional parts a panel's `show:` list may name (the loss surface with the SGD path)."""


class SettingError(ValueError):
    """A setting value a learner typed is not usable; the message says what is expected."""

    def words(self, lang: str) -> str:
        """The message in `lang` (a message built from plain text stays as it is)."""
        return str(in_language(self.args[0], lang))


@dataclass(frozen=True)
class SettingProblem:
    """One bad key or value in a lesson's training directive, in English for the course's author.

    The message is plain text, not a `Phrase`: problems are pickled in the lesson cache.
    """

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def _number(text: str) -> float:
    # Full-width digits typed through a Chinese IME are accepted by float() already.
    value = float(text.strip().replace("，", ",").replace("_", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _whole(text: str) -> int:
    value = _number(text)
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def _numbers(text: str) -> tuple[float, ...]:
    cleaned = text.replace("，", ",").strip().strip("[]()")
    parts = [p for p in cleaned.replace(",", " ").split() if p]
    return tuple(_number(p) for p in parts)


def _in(low: float, high: float, parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        value = parse(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return check


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def check(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise ValueError(text)
        return value

    return check


def _weights(text: str) -> tuple[float, ...]:
    values = _numbers(text)
    if not 1 <= len(values) <= MAX_FEATURES or any(abs(v) > MAX_MAGNITUDE for v in values):
        raise ValueError(text)
    return values


# name -> (parser raising ValueError, the message a learner sees when it fails)
_SETTINGS: dict[str, tuple[Callable[[str], Any], Phrase]] = {
    "model": (_choice(MODELS), Phrase("bad-model", options=", ".join(MODELS))),
    "impl": (_choice(IMPLS), Phrase("bad-impl", options=", ".join(IMPLS))),
    "lr": (_in(MIN_LR, MAX_LR, _number), Phrase("bad-lr", low=MIN_LR, high=MAX_LR)),
    "batch_size": (_in(1, MAX_EXAMPLES, _whole), Phrase("bad-batch_size")),
    "epochs": (_in(1, MAX_EPOCHS, _whole), Phrase("bad-epochs", most=MAX_EPOCHS)),
    "examples": (_in(1, MAX_EXAMPLES, _whole), Phrase("bad-examples", most=MAX_EXAMPLES)),
    "noise": (_in(0, MAX_MAGNITUDE, _number), Phrase("bad-noise", high=MAX_MAGNITUDE)),
    "true_w": (_weights, Phrase("bad-true_w", most=MAX_FEATURES, high=MAX_MAGNITUDE)),
    "true_b": (_in(-MAX_MAGNITUDE, MAX_MAGNITUDE, _number), Phrase("bad-true_b", high=MAX_MAGNITUDE)),
    "seed": (_in(0, 2**32 - 1, _whole), Phrase("bad-seed")),
    "dataset": (_choice(DATASETS), Phrase("bad-dataset", options=", ".join(DATASETS))),
    "num_hidden": (_in(1, MAX_HIDDEN, _whole), Phrase("bad-num_hidden", most=MAX_HIDDEN)),
    "activation": (_choice(ACTIVATIONS), Phrase("bad-activation", options=", ".join(ACTIVATIONS))),
    "weight_decay": (_in(0, MAX_WEIGHT_DECAY, _number), Phrase("bad-weight_decay", high=MAX_WEIGHT_DECAY)),
    "dropout": (_in(0, MAX_DROPOUT, _number), Phrase("bad-dropout", high=MAX_DROPOUT)),
    "degree": (_in(1, MAX_DEGREE, _whole), Phrase("bad-degree", most=MAX_DEGREE)),
}
SETTING_NAMES = tuple(_SETTINGS)
EDITABLE_NAMES = tuple(n for n in SETTING_NAMES if n != "model")
_COMMON = ("model", "impl", "lr", "batch_size", "epochs")
MODEL_SETTINGS: dict[str, tuple[str, ...]] = {
    "linear-regression": SETTING_NAMES[:10],
    "softmax": (*_COMMON, "dataset", "weight_decay", "seed"),
    "mlp": (*_COMMON, "dataset", "num_hidden", "activation", "weight_decay", "dropout", "seed"),
    "poly": (*_COMMON, "examples", "degree", "weight_decay", "noise", "seed"),
    "high-dim": (*_COMMON, "examples", "weight_decay", "noise", "seed"),
}
"""The settings each model uses, in the order a panel or `d2l-tui train` shows them."""
MODEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "linear-regression": {},
    # The book's lr 0.1 / 0.5 and batch 256 are for 60,000 Fashion-MNIST images; the 1,438
    # digits need smaller batches to take enough steps in a few epochs.
    "softmax": {"lr": 0.5, "batch_size": 32, "epochs": 10},
    "mlp": {"lr": 0.5, "batch_size": 32, "epochs": 10},
    # §3.11: 100 training examples, noise 0.1, lr 0.01, batch min(10, n), 100 epochs.
    "poly": {"lr": 0.01, "batch_size": 10, "epochs": 100, "examples": 100, "noise": 0.1},
    # §3.12: 20 training examples of 200 features, noise 0.01, lr 0.003, batch 1, 100 epochs.
    "high-dim": {"lr": 0.003, "batch_size": 1, "epochs": 100, "examples": 20, "noise": 0.01},
}
"""Each model's own defaults for the settings a lesson or the command line leaves out."""


def parse_setting(name: str, text: str, config: TrainConfig | None = None) -> Any:
    """Parse what a learner typed for setting `name`, or raise `SettingError` saying what is expected.

    Args:
        config: when given, cross-checks against it (batch size at most the number of examples).
    """
    if name not in _SETTINGS:
        raise SettingError(_unknown(name, SETTING_NAMES))
    parse, message = _SETTINGS[name]
    try:
        value = parse(str(text))
    except (ValueError, TypeError):
        raise SettingError(message) from None
    if config is not None:
        _cross_check(dataclasses.replace(config, **{name: value}))
    return value


def _cross_check(config: TrainConfig) -> None:
    if config.model in CLASSIFIERS:
        return  # the dataset decides the examples; a batch larger than it is one batch an epoch
    if config.batch_size > config.examples:
        raise SettingError(Phrase("bad-batch-examples", examples=config.examples))
    steps = config.epochs * math.ceil(config.examples / config.batch_size)
    if steps > MAX_STEPS:
        raise SettingError(Phrase("bad-steps", steps=steps, most=MAX_STEPS))


def format_setting(value: Any) -> str:
    """Show a setting value the way a learner would type it back."""
    if isinstance(value, tuple):
        return ", ".join(format_setting(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _unknown(name: str, known: tuple[str, ...]) -> Phrase:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        hint = Phrase("did-you-mean", name=close[0])
    else:
        hint = Phrase("known", names=", ".join(known))
    return Phrase("unknown-setting", name=name, hint=hint)


def _yaml_text(value: Any) -> str:
    # YAML gives native numbers and lists; booleans must not pass as 1/0.
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return ", ".join("x" if isinstance(v, bool) else str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; same settings (seed included) give the same run."""

    model: str = "linear-regression"
    """The model to train; only the book's linear regression so far."""
    impl: str = "scratch"
    """`scratch` (nd + autograd), `gluon` (Dense + Trainer) or `numpy` (fallback without MXNet)."""
    lr: float = 0.03
    """Learning rate of minibatch SGD."""
    batch_size: int = 10
    """Examples per minibatch."""
    epochs: int = 3
    """Passes over the dataset."""
    examples: int = 1000
    """Number of synthetic examples."""
    noise: float = 0.01
    """Standard deviation of the label noise; the loss cannot go below noise**2 / 2."""
    true_w: tuple[float, ...] = (2.0, -3.4)
    """The weights that generate the labels (one per input feature)."""
    true_b: float = 4.2
    """The bias that generates the labels."""
    seed: int = 0
    """Seeds the data, the initial weights and the shuffling."""
    editable: tuple[str, ...] = ()
    """Settings the learner may change in the panel."""
    dataset: str = "digits"
    """softmax, mlp: the images to classify (`digits` ships with the app)."""
    num_hidden: int = 256
    """mlp: units in the hidden layer."""
    activation: str = "relu"
    """mlp: the hidden layer's activation function."""
    weight_decay: float = 0.0
    """softmax, mlp, poly, high-dim: the L2 penalty's λ (loss + λ/2 · ‖w‖², biases not decayed)."""
    dropout: float = 0.0
    """mlp: the probability of dropping a hidden unit while training."""
    degree: int = 3
    """poly: the highest power of x fitted."""

    def settings(self) -> dict[str, Any]:
        """Return the model's training settings as a plain dict (for run records and JSON)."""
        return {name: getattr(self, name) for name in MODEL_SETTINGS.get(self.model, SETTING_NAMES)}

    @classmethod
    def for_model(cls, model: str, values: Mapping[str, Any]) -> TrainConfig:
        """A config for `model` with its own defaults under `values` (already parsed).

        Where the batch size is left out, it shrinks to the examples (the book's `min(10, n_train)`).
        """
        merged = {**MODEL_DEFAULTS.get(model, {}), **values, "model": model}
        config = cls(**merged)
        if "batch_size" not in values and model not in CLASSIFIERS:
            config = dataclasses.replace(config, batch_size=min(config.batch_size, config.examples))
        return config

    def with_setting(self, name: str, text: str) -> TrainConfig:
        """Return a copy with one setting parsed from text, or raise `SettingError`."""
        return self.with_settings({name: text})

    def with_settings(self, texts: Mapping[str, str]) -> TrainConfig:
        """Return a copy with several settings parsed from text, checked together, or raise `SettingError`.

        Checked together, not one by one: 2 examples with a batch of 2 is a valid run even though
        2 examples beside the old batch of 10 is not.
        """
        config = dataclasses.replace(self, **{name: parse_setting(name, text) for name, text in texts.items()})
        _cross_check(config)
        return config

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> tuple[TrainConfig, list[SettingProblem]]:
        """Build a config from a directive's YAML body; bad values keep their defaults.

        Returns:
            The config and every problem found (unknown keys, bad values), empty when all is well.
        """
        problems: list[SettingProblem] = []
        values: dict[str, Any] = {}
        for key, raw in data.items():
            key = str(key)
            if key == "show" and raw is not None:
                problems.extend(_show_problems(raw))
            if key in PANEL_KEYS or raw is None:
                continue
            if key == "editable":
                values["editable"] = _editable(raw, problems)
            elif key not in _SETTINGS:
                known = (*SETTING_NAMES, "editable", *sorted(PANEL_KEYS))
                problems.append(SettingProblem(key, str(_unknown(key, known))))
            else:
                try:
                    values[key] = parse_setting(key, _yaml_text(raw))
                except SettingError as error:
                    problems.append(SettingProblem(key, str(error)))
        config = cls.for_model(values.get("model", "linear-regression"), values)
        try:
            _cross_check(config)
        except SettingError as error:
            problems.append(SettingProblem("batch_size", str(error)))
            config = dataclasses.replace(config, batch_size=min(config.batch_size, config.examples))
        return config, problems


def _show_problems(raw: Any) -> list[SettingProblem]:
    """What is wrong with a panel's `show:` list (it must name parts from SHOW_PARTS)."""
    if not isinstance(raw, list):
        return [SettingProblem("show", f"expected a list of parts to show, from: {', '.join(SHOW_PARTS)}")]
    known = ", ".join(SHOW_PARTS)
    return [SettingProblem("show", f"unknown part {str(item)!r} (a panel can show: {known})")
            for item in raw if str(item) not in SHOW_PARTS]


def _editable(raw: Any, problems: list[SettingProblem]) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)):
        problems.append(SettingProblem("editable", str(Phrase("bad-editable"))))
        return ()
    names: list[str] = []
    for item in raw:
        if str(item) in EDITABLE_NAMES:
            names.append(str(item))
        else:
            problems.append(SettingProblem("editable", str(_unknown(str(item), EDITABLE_NAMES))))
    return tuple(dict.fromkeys(names))
