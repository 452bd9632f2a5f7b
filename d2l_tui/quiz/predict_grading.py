"""Grade a committed prediction by a training run, say what the run did, and keep it in a record.

A predict quiz's record keeps its answer as `{"option": i}` while the prediction waits for a run,
and as `{"option": i, "run": {...}}` once a run graded it, so both survive a restart.
"""

from __future__ import annotations

from typing import Any

from d2l_tui.quiz.grading import Grade
from d2l_tui.quiz.messages import say
from d2l_tui.quiz.predict import RunSummary, option_holds, settles


def settings_said(settings: dict[str, Any]) -> str:
    """Settings the way a learner types them: `lr = 3, batch_size = 5`."""
    from d2l_tui.training.config import format_setting  # pure, but keep quiz imports light

    return ", ".join(f"{name} = {format_setting(_plain(value))}" for name, value in settings.items())


def _plain(value: Any) -> Any:
    # YAML gives lists where the training settings hold tuples; both print the same way.
    return tuple(value) if isinstance(value, list) else value


def run_said(summary: RunSummary, lang: str, step: int | None = None) -> str:
    """What the run did: `The run diverged at step 4.` or `The final loss was 4.8e-05.`"""
    if summary.diverged:
        return say(lang, "predict-diverged-at", step=step) if step else say(lang, "predict-diverged")
    if summary.final_loss is None:
        return say(lang, "predict-no-epoch")
    # A model with a test set has two losses: name the one this is.
    final = "predict-final" if summary.test_loss is None else "predict-final-train"
    return say(lang, final, loss=f"{summary.final_loss:.2g}")


def outcome_of_option(data: dict[str, Any], option: int) -> Any:
    """The outcome an option stands for (None for an option that is not in the quiz)."""
    options = data.get("options") or []
    return options[option].get("outcome") if 0 <= option < len(options) and isinstance(options[option], dict) else None


def grade_prediction(
    data: dict[str, Any], option: int, summary: RunSummary, lang: str, step: int | None = None
) -> Grade:
    """Right when the chosen option describes what the run did; the message says what it did."""
    outcome = outcome_of_option(data, option)
    said = run_said(summary, lang, step)
    if _names(outcome, "path_bending"):
        bending = summary.path_bending
        said = say(lang, "predict-path", bending=f"{bending:.3f}") if bending is not None else said
    finished = not summary.diverged and summary.final_loss is not None
    if finished and summary.test_loss is not None and _names(outcome, "test_loss"):
        # What the question asked about first; the training loss beside it is the contrast.
        said = say(lang, "predict-test-loss", loss=f"{summary.test_loss:.3g}", train=f"{summary.final_loss:.2g}")
    if summary.test_acc is not None and not summary.diverged:
        # Chinese sentences follow each other without a space.
        said += ("" if lang == "zh" else " ") + say(lang, "predict-accuracy", acc=f"{summary.test_acc:.1%}")
    if outcome is not None and option_holds(outcome, summary):
        return Grade("right", said, 1.0)
    return Grade("wrong", said)


def _names(outcome: Any, measure: str) -> bool:
    """Whether an option's outcome is a threshold on `measure` (path_bending, test_loss, ...)."""
    return isinstance(outcome, dict) and any(str(name).startswith(measure) for name in outcome)


def why_unsettled(data: dict[str, Any], summary: RunSummary, ended: str, lang: str) -> str | None:
    """Why a run of the quiz's panel does not grade it, or None when it does (or is another panel's)."""
    if summary.panel != data.get("panel") or settles(data, summary):
        return None
    finished = _finished(summary)
    differ = {
        name: value for name, value in (data.get("settings") or {}).items()
        if not settles({"panel": summary.panel, "settings": {name: value}}, finished)
    }
    if differ:
        used = {name: summary.settings.get(name) for name in differ}
        return say(lang, "predict-other-settings", used=settings_said(used), wanted=settings_said(differ))
    return say(lang, "predict-failed" if ended == "failed" else "predict-stopped")


def _finished(summary: RunSummary) -> RunSummary:
    """The same run as if it had finished, so that only its settings are compared."""
    return RunSummary(summary.panel, summary.settings, summary.diverged, summary.final_loss, True)


def committed_answer(option: int) -> dict[str, Any]:
    """A prediction waiting for its run, as stored in the record."""
    return {"option": option}


def graded_answer(option: int, summary: RunSummary, step: int | None) -> dict[str, Any]:
    """A prediction with the run that graded it, as stored in the record."""
    run = {"diverged": summary.diverged, "final_loss": summary.final_loss, "step": step,
           "path_bending": summary.path_bending, "test_acc": summary.test_acc, "test_loss": summary.test_loss}
    return {"option": option, "run": run}


def read_answer(data: dict[str, Any], answer: Any) -> tuple[int, RunSummary | None, int | None] | None:
    """A stored answer: (option, the run's summary or None while waiting, divergence step); None if unusable."""
    count = len(data.get("options") or [])
    if not isinstance(answer, dict):
        return None
    option = answer.get("option")
    if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < count:
        return None
    run = answer.get("run")
    if not isinstance(run, dict):
        return option, None, None
    step = run.get("step")
    step = step if isinstance(step, int) and not isinstance(step, bool) else None
    diverged = run.get("diverged") is True
    loss, bending, acc, test_loss = (
        _number(run.get(key)) for key in ("final_loss", "path_bending", "test_acc", "test_loss")
    )
    summary = RunSummary(
        str(data.get("panel")), dict(data.get("settings") or {}), diverged, loss, not diverged, bending, acc,
        test_loss,
    )
    return option, summary, step


def _number(value: Any) -> float | None:
    """A stored number, or None for anything else (a hand-edited record may hold anything)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
