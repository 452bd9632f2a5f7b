"""The training engine behind the live training panels and `d2l-tui train`; never imports Textual.

Names load lazily (PEP 562) so importing this package costs nothing before a panel needs it;
MXNet itself loads only when a run builds its engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "config": (
        "TrainConfig",
        "SettingError",
        "SettingProblem",
        "parse_setting",
        "format_setting",
        "SETTING_NAMES",
        "EDITABLE_NAMES",
        "IMPLS",
    ),
    "control": ("RunControl",),
    "data": ("Dataset", "Solution", "make_dataset", "closed_form"),
    "doctor": ("LossWatch", "divergence_reason", "divergence_message", "epoch_hint", "noise_floor"),
    "events": (
        "Started",
        "Progress",
        "EpochEnd",
        "Finished",
        "Diverged",
        "Stopped",
        "Failed",
        "TrainingEvent",
        "FinalEvent",
    ),
    "history": ("LossHistory", "RunHistory", "RunRecord", "ema"),
    "loop": ("run", "PROGRESS_INTERVAL"),
    "session": ("TrainingRun", "StepResult"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)  # the names in `_EXPORTS`; the TYPE_CHECKING imports mirror them for mypy

if TYPE_CHECKING:
    from d2l_tui.training.config import (
        EDITABLE_NAMES,
        IMPLS,
        SETTING_NAMES,
        SettingError,
        SettingProblem,
        TrainConfig,
        format_setting,
        parse_setting,
    )
    from d2l_tui.training.control import RunControl
    from d2l_tui.training.data import Dataset, Solution, closed_form, make_dataset
    from d2l_tui.training.doctor import (
        LossWatch,
        divergence_message,
        divergence_reason,
        epoch_hint,
        noise_floor,
    )
    from d2l_tui.training.events import (
        Diverged,
        EpochEnd,
        Failed,
        FinalEvent,
        Finished,
        Progress,
        Started,
        Stopped,
        TrainingEvent,
    )
    from d2l_tui.training.history import LossHistory, RunHistory, RunRecord, ema
    from d2l_tui.training.loop import PROGRESS_INTERVAL, run
    from d2l_tui.training.session import StepResult, TrainingRun


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
