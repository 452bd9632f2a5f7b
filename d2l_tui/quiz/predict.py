"""The `predict` quiz kind: the learner commits to what a training run will do, and the run decides.

A predict quiz names a `train` panel of the same lesson and, optionally, the settings the run
must use. Each option carries an `outcome`: `converges`, `diverges`, `stalls`, or a threshold
`{final_loss_below: x}` / `{final_loss_above: x}` on the last epoch's mean loss, or
`{path_bending_below: x}` / `{path_bending_above: x}` on how much longer the run's path over
(w₁, w₂) was than a straight line (1 is straight; see `training.loss_surface.path_bending`),
or `{test_acc_below: x}` / `{test_acc_above: x}` on a classifier's test accuracy after its last
epoch (a fraction: 0.9 is 90%), or `{test_loss_below: x}` / `{test_loss_above: x}` on the mean loss
over the test set after the last epoch (softmax, MLP, poly and high-dim panels): what overfitting
and weight decay are about, where the training loss alone says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KeyPath = tuple[str, ...]
Finding = tuple[KeyPath, str]

WORD_OUTCOMES = ("converges", "diverges", "stalls")
THRESHOLDS = (
    "final_loss_below", "final_loss_above", "path_bending_below", "path_bending_above",
    "test_acc_below", "test_acc_above", "test_loss_below", "test_loss_above",
)
CONVERGED_BELOW = 1e-3
"""A finished run whose last epoch loss is under this has converged (the book's runs end near 5e-5)."""


@dataclass(frozen=True)
class RunSummary:
    """What a finished, stopped or diverged training run did, as a predict quiz needs it."""

    panel: str
    settings: dict[str, Any]
    diverged: bool
    final_loss: float | None
    """The last epoch's mean loss; None when no epoch finished."""
    completed: bool
    """True when the run trained every epoch (a stopped run settles nothing)."""
    path_bending: float | None = None
    """The path's length over the straight line's, start to end; None when the run traced no path."""
    test_acc: float | None = None
    """A classifier's test accuracy after its last epoch (0 to 1); None for other models."""
    test_loss: float | None = None
    """The mean test loss after the last epoch (models with a test set); None for linear regression."""


def outcome_of(summary: RunSummary) -> str:
    """Name what a run did: diverges, converges or stalls."""
    if summary.diverged:
        return "diverges"
    if summary.final_loss is not None and summary.final_loss < CONVERGED_BELOW:
        return "converges"
    return "stalls"


def option_holds(outcome: Any, summary: RunSummary) -> bool:
    """Whether an option's outcome describes what the run did."""
    if isinstance(outcome, str):
        return outcome == outcome_of(summary)
    (name, limit), = outcome.items()
    if name.startswith("path_bending"):
        bending = summary.path_bending
        return bending is not None and (bending < limit if name == "path_bending_below" else bending > limit)
    if name.startswith("test_loss"):
        if summary.diverged:
            return name == "test_loss_above"  # as the training loss: a diverged run is above any limit
        loss = summary.test_loss
        return loss is not None and (loss < limit if name == "test_loss_below" else loss > limit)
    if name.startswith("test_acc"):
        acc = None if summary.diverged else summary.test_acc  # a diverged run is above no accuracy
        return name == "test_acc_below" if acc is None else (acc < limit if name == "test_acc_below" else acc > limit)
    if summary.diverged or summary.final_loss is None:
        return name == "final_loss_above"  # a diverged run's loss is above any limit
    return summary.final_loss < limit if name == "final_loss_below" else summary.final_loss > limit


def required_settings(data: dict[str, Any], panel: dict[str, Any] | None) -> dict[str, Any]:
    """The settings a run must use to grade the quiz: the panel's lesson settings, then the quiz's own.

    Every setting the learner may change on the panel is pinned, so a value left over from an earlier
    run never grades a prediction whose prompt assumes the lesson's value.
    """
    wanted = dict(data.get("settings") or {})
    if panel is None:
        return wanted
    from d2l_tui.training.config import TrainConfig  # pure, but keep quiz imports light

    lesson, _problems = TrainConfig.from_mapping(panel)
    return {name: getattr(lesson, name) for name in lesson.editable} | wanted


def settles(data: dict[str, Any], summary: RunSummary) -> bool:
    """Whether this run may grade the quiz: its panel, every required setting, a finished run."""
    if summary.panel != data.get("panel") or not (summary.completed or summary.diverged):
        return False
    wanted = data.get("settings") or {}
    return all(_same(summary.settings.get(name), value) for name, value in wanted.items())


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, (int, float)) and isinstance(actual, (int, float)):
        return abs(float(actual) - float(wanted)) <= 1e-12 * max(1.0, abs(float(wanted)))
    return actual == wanted


def option_texts(data: dict[str, Any]) -> tuple[str, ...]:
    """The options as the learner reads them."""
    return tuple(str(option.get("text", "")) if isinstance(option, dict) else str(option) for option in data.get("options") or ())


def check_predict(data: dict[str, Any]) -> list[Finding]:
    """Problems in a predict quiz's body (the panel's existence is checked per lesson)."""
    findings: list[Finding] = []
    if not isinstance(data.get("panel"), str) or not data["panel"].strip():
        findings.append(((), "a predict quiz needs 'panel': the id of a train block in this lesson"))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        findings.append((("settings",), "'settings' must be a mapping such as {lr: 3}"))
    else:
        findings += _check_settings(settings)
    options = data.get("options")
    if not isinstance(options, list) or len(options) < 2:
        return findings + [(("options",), "a predict quiz needs at least two 'options', each {text: …, outcome: …}")]
    for number, option in enumerate(options, 1):
        if not isinstance(option, dict) or not str(option.get("text", "")).strip():
            findings.append((("options",), f"option {number} must be {{text: …, outcome: …}}"))
            continue
        problem = _outcome_problem(option.get("outcome"))
        if problem:
            findings.append((("options",), f"option {number}: {problem}"))
        # `{text: a, b, outcome: x}` is valid YAML that cuts the text at the comma: say so.
        extra = sorted(str(key) for key in option if key not in ("text", "outcome"))
        if extra:
            findings.append((("options",), f"option {number} has unknown keys {', '.join(extra)} "
                             "(a comma inside an unquoted text? quote it: {text: \"a, b\", outcome: …})"))
    return findings


def _check_settings(settings: dict[str, Any]) -> list[Finding]:
    """Each required setting must be a real training setting with a valid value."""
    from d2l_tui.training.config import SettingError, parse_setting

    findings: list[Finding] = []
    for name, value in settings.items():
        try:
            parse_setting(str(name), str(value))
        except SettingError as error:
            findings.append((("settings",), f"settings: {error}"))
    return findings


def _outcome_problem(outcome: Any) -> str | None:
    """Say what is wrong with an option's outcome, or None."""
    allowed = (f"one of {', '.join(WORD_OUTCOMES)}, or {{final_loss_below: x}} / {{final_loss_above: x}}"
               " / {path_bending_below: x} / {path_bending_above: x} / {test_acc_below: x} / {test_acc_above: x}"
               " / {test_loss_below: x} / {test_loss_above: x}")
    if isinstance(outcome, str):
        return None if outcome in WORD_OUTCOMES else f"outcome '{outcome}' is not {allowed}"
    if isinstance(outcome, dict) and len(outcome) == 1:
        (name, limit), = outcome.items()
        if name in THRESHOLDS and isinstance(limit, (int, float)) and not isinstance(limit, bool) and limit > 0:
            return None
    return f"'outcome' must be {allowed}"
