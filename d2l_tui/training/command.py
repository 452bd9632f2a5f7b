"""`d2l-tui train`: train one of the book's models headless and print what the panel would show.

`--model linear-regression` (the default) as before; `--model softmax|mlp|poly|high-dim` trains
through `training.models.run_model`, takes each of its settings as `--name value` (the directive's
own key names, `_` written `-`) and prints `epochs` with `loss` and, for classifiers, `train_acc`
and `test_acc`; for poly and high-dim `train_loss`, `test_loss` and `weight_norm`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from d2l_tui.training.config import (
    ACTIVATIONS,
    DATASETS,
    IMPLS,
    MODEL_SETTINGS,
    MODELS,
    SettingError,
    TrainConfig,
    parse_setting,
)
from d2l_tui.training.ending import EXIT_OK, EXIT_USAGE, run_to_end
from d2l_tui.training.words import Phrase


# option -> setting name; values stay text so the learner-facing messages of parse_setting apply
_OPTIONS = {
    "impl": "impl",
    "lr": "lr",
    "batch_size": "batch_size",
    "epochs": "epochs",
    "examples": "examples",
    "noise": "noise",
    "seed": "seed",
}
# The settings only the newer models have (`--model softmax|mlp|poly|high-dim`).
_MODEL_OPTIONS = ("dataset", "num_hidden", "activation", "weight_decay", "dropout", "degree")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `train` options to a (sub)parser."""
    d = TrainConfig()
    parser.add_argument(
        "--model",
        metavar="{" + ",".join(MODELS) + "}",
        help=f"the book's model to train (default {d.model}); each has its own defaults",
    )
    parser.add_argument(
        "--impl",
        metavar="{" + ",".join(IMPLS) + "}",
        help=f"scratch (nd + autograd), gluon, or numpy (default {d.impl})",
    )
    parser.add_argument("--lr", help=f"learning rate (default {d.lr})")
    parser.add_argument("--batch-size", help=f"examples per minibatch (default {d.batch_size})")
    parser.add_argument("--epochs", help=f"passes over the data (default {d.epochs})")
    parser.add_argument("--examples", help=f"synthetic examples (default {d.examples})")
    parser.add_argument("--noise", help=f"label noise standard deviation (default {d.noise})")
    parser.add_argument("--seed", help=f"seeds data, init and shuffling (default {d.seed})")
    parser.add_argument("--dataset", help=f"softmax, mlp: {' or '.join(DATASETS)} (default {d.dataset})")
    parser.add_argument("--num-hidden", help=f"mlp: hidden units (default {d.num_hidden})")
    parser.add_argument("--activation", help=f"mlp: {', '.join(ACTIVATIONS)} (default {d.activation})")
    parser.add_argument("--weight-decay", help="softmax, mlp, poly, high-dim: L2 penalty λ (default 0)")
    parser.add_argument("--dropout", help="mlp: probability of dropping a hidden unit (default 0)")
    parser.add_argument("--degree", help=f"poly: highest power of x fitted (default {d.degree})")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or one JSON object",
    )


def _model_of(args: argparse.Namespace) -> str:
    text = getattr(args, "model", None)
    if text is None:
        return "linear-regression"
    try:
        return str(parse_setting("model", text))
    except SettingError as error:
        raise SettingError(f"--model: {error}") from None


def _model_config(model: str, args: argparse.Namespace) -> TrainConfig:
    """The config of a softmax, mlp, poly or high-dim run; an option the model lacks is refused."""
    values: dict[str, Any] = {}
    for name in (*_OPTIONS.values(), *_MODEL_OPTIONS):
        text = getattr(args, name, None)
        if text is None:
            continue
        option = f"--{name.replace('_', '-')}"
        if name not in MODEL_SETTINGS[model]:
            known = ", ".join(f"--{n.replace('_', '-')}" for n in MODEL_SETTINGS[model][1:])
            raise SettingError(f"{option}: the {model} model has no such setting (it takes {known})")
        try:
            values[name] = parse_setting(name, text)
        except SettingError as error:
            raise SettingError(f"{option}: {error}") from None
    if values.get("impl") == "numpy":
        raise SettingError(f"--impl: {Phrase('bad-impl-model', model=model)}")
    config = TrainConfig.for_model(model, values)
    try:
        parse_setting("batch_size", str(config.batch_size), config)
    except SettingError as error:
        raise SettingError(f"--batch-size: {error}") from None
    return config


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """Build the config from parsed options, or raise `SettingError` naming the bad option."""
    model = _model_of(args)
    if model != "linear-regression":
        return _model_config(model, args)
    for name in _MODEL_OPTIONS:
        if getattr(args, name, None) is not None:
            option = f"--{name.replace('_', '-')}"
            raise SettingError(f"{option}: the linear-regression model has no such setting (try --model)")
    values: dict[str, Any] = {}
    for option, name in _OPTIONS.items():
        text = getattr(args, option, None)
        if text is None:
            continue
        try:
            values[name] = parse_setting(name, text)
        except SettingError as error:
            raise SettingError(f"--{option.replace('_', '-')}: {error}") from None
    config = dataclasses.replace(TrainConfig(), **values)
    # A batch larger than the examples is caught once both are known, whatever their order.
    try:
        parse_setting("batch_size", str(config.batch_size), config)
    except SettingError as error:
        # Too many steps comes from three options together: the message names them itself.
        reason = error.args[0]
        too_many = isinstance(reason, Phrase) and reason.key == "bad-steps"
        raise SettingError(str(error) if too_many else f"--batch-size: {error}") from None
    return config


def run(args: argparse.Namespace) -> int:
    """Train with the options in `args`, print the results, and return the exit code."""
    from d2l_tui.training.events import EpochEnd, Finished, Started
    from d2l_tui.training.loop import run as run_training

    try:
        config = config_from_args(args)
    except SettingError as error:
        print(f"d2l-tui train: {error}", file=sys.stderr)
        return EXIT_USAGE
    as_json = getattr(args, "format", "text") == "json"
    if config.model != "linear-regression":
        from d2l_tui.training.models.command import run_model_command

        return run_model_command(config, as_json, getattr(args, "data_dir", None))
    started: list[Started] = []

    def on_event(event: Any) -> None:
        if isinstance(event, Started):
            started.append(event)
            if event.fallback_reason:
                print(
                    f"MXNet is unavailable ({event.fallback_reason}); training with NumPy.",
                    file=sys.stderr,
                )
            if not as_json:
                print(
                    f"{event.engine}: {event.total_steps} steps, "
                    f"loss before training {event.initial_loss:.6f}",
                    flush=True,
                )
        elif isinstance(event, EpochEnd) and not as_json:
            print(f"epoch {event.epoch}, loss {event.loss:.6f}", flush=True)
            if event.hint:
                print(f"  hint: {event.hint}", flush=True)

    code, final = run_to_end(lambda: run_training(config, on_event), as_json)
    if code != EXIT_OK:
        return code
    assert isinstance(final, Finished) and started
    _print_result(config, started[0], final, as_json)
    return EXIT_OK


def _print_result(config: TrainConfig, started: Any, final: Any, as_json: bool) -> None:
    exact = started.closed_form
    if as_json:
        print(
            json.dumps(
                {
                    "status": "finished",
                    "impl": started.impl,
                    "engine": started.engine,
                    "epochs": [
                        {"epoch": i + 1, "loss": loss} for i, loss in enumerate(final.epoch_losses)
                    ],
                    "w": list(final.w),
                    "b": final.b,
                    "true_w": list(config.true_w),
                    "true_b": config.true_b,
                    "closed_form": {"w": list(exact.w), "b": exact.b},
                    "steps_per_second": final.steps_per_second,
                }
            )
        )
        return

    def vec(values: tuple[float, ...]) -> str:
        return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"

    print(f"w = {vec(final.w)}   true {vec(config.true_w)}   closed form {vec(exact.w)}")
    print(f"b = {final.b:.4f}   true {config.true_b:.4f}   closed form {exact.b:.4f}")
    print(f"{final.steps_per_second:,.0f} steps/s")


def main(argv: list[str] | None = None) -> int:
    """Run `train` on its own: `python -m d2l_tui.training.command --lr 0.1`."""
    parser = argparse.ArgumentParser(prog="d2l-tui train", description=__doc__)
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
