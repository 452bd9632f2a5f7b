"""`d2l-tui train --model softmax|mlp|poly|high-dim`: run headless, print per-epoch measures."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from d2l_tui.training.config import CLASSIFIERS, TrainConfig
from d2l_tui.training.ending import EXIT_OK, run_to_end


def epoch_row(event: Any, classifier: bool) -> dict[str, Any]:
    """One epoch as `--format json` prints it."""
    m = event.measures
    row: dict[str, Any] = {"epoch": event.epoch, "loss": event.loss}
    if classifier:
        row.update(train_acc=m.train_acc, test_acc=m.test_acc, test_loss=m.test_loss)
    else:
        row.update(train_loss=m.train_loss, test_loss=m.test_loss)
    row["weight_norm"] = m.weight_norm
    return row


def _epoch_line(row: dict[str, Any]) -> str:
    if "train_acc" in row:
        return (
            f"epoch {row['epoch']}, loss {row['loss']:.4f}, train acc {row['train_acc']:.3f}, "
            f"test acc {row['test_acc']:.3f}"
        )
    return (
        f"epoch {row['epoch']}, train loss {row['train_loss']:.6g}, test loss {row['test_loss']:.6g}, "
        f"|w| {row['weight_norm']:.4g}"
    )


def run_model_command(config: TrainConfig, as_json: bool, data_dir: Path | None) -> int:
    """Train `config` (not linear regression), print the result, and return the exit code."""
    from d2l_tui.training.models import ModelEpochEnd, ModelFinished, ModelStarted, run_model

    classifier = config.model in CLASSIFIERS
    started: list[ModelStarted] = []

    def on_event(event: Any) -> None:
        if isinstance(event, ModelStarted):
            started.append(event)
            if event.fallback is not None:
                print(event.fallback.words("en"), file=sys.stderr)
            if not as_json:
                where = f" on {event.dataset}" if event.dataset else ""
                print(
                    f"{config.model}, {event.engine}{where}: {event.train_examples} training and "
                    f"{event.test_examples} test examples, {event.total_steps} steps",
                    flush=True,
                )
        elif isinstance(event, ModelEpochEnd) and not as_json:
            print(_epoch_line(epoch_row(event, classifier)), flush=True)

    code, final = run_to_end(lambda: run_model(config, on_event, data_dir=data_dir), as_json)
    if code != EXIT_OK:
        return code
    assert isinstance(final, ModelFinished) and started
    _print_result(config, started[0], final, classifier, as_json)
    return EXIT_OK


def _print_result(
    config: TrainConfig, started: Any, final: Any, classifier: bool, as_json: bool
) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "status": "finished",
                    "model": config.model,
                    "impl": started.impl,
                    "engine": started.engine,
                    "dataset": started.dataset or None,
                    "settings": config.settings(),
                    "epochs": [epoch_row(e, classifier) for e in final.epochs],
                    "misclassified": list(final.epochs[-1].measures.misclassified)
                    if classifier
                    else [],
                    "steps_per_second": final.steps_per_second,
                }
            )
        )
        return
    print(f"{final.steps_per_second:,.0f} steps/s")
