"""What a training panel shows of a run: state built from the engine's events, and its rendering."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from d2l_tui.training.config import TrainConfig, format_setting
from d2l_tui.training.doctor import noise_floor
from d2l_tui.training.history import LossHistory, RunRecord
from d2l_tui.training.loss_surface import LossBowl, Point, pick
from d2l_tui.training.words import in_language
from d2l_tui.ui.widgets.fit_plot import SUBSCRIPTS, DataSample
from d2l_tui.ui.widgets.training_words import labels, setting_names

if TYPE_CHECKING:  # the events module imports NumPy, which the app does not load to start
    from d2l_tui.training.data import Solution
    from d2l_tui.training.events import Diverged, Failed, Finished, Stopped

Row = list[tuple[str, Style]]
PLAIN, BOLD, DIM = Style(), Style(bold=True), Style(dim=True)
CURVE_POINTS = 512
"""Points kept of the live loss curve, however long the run (neighbours merge when full)."""
SMOOTHING = 0.1
"""EMA weight of the newest minibatch loss in the drawn curve."""
EPOCH_ROWS = 4
"""The last epochs listed in the results (the whole list is in the run record)."""

MARKS = {
    "idle": "○",
    "starting": "◌",
    "running": "▶",
    "paused": "⏸",
    "stopping": "■",
    "finished": "✔",
    "stopped": "■",
    "diverged": "✘",
    "failed": "✘",
}
"""Each phase's mark; its word is the phase's label in training_words."""


def rjust_cells(text: str, width: int) -> str:
    """Right-align in `width` terminal cells (a Chinese character takes two)."""
    return " " * max(0, width - cell_len(text)) + text


def setting_changes(
    before: dict[str, object], now: TrainConfig, limit: int = 2, lang: str = "en"
) -> str:
    """Name the settings of an earlier run that differ from `now`, e.g. "lr=0.03"."""
    current = now.settings()
    changed = [
        f"{name}={format_setting(value)}"
        for name, value in before.items()
        if name in current and current[name] != value
    ]
    if not changed:
        return labels(lang)["same-settings"]
    return " ".join(changed[:limit]) + (" …" if len(changed) > limit else "")


FIXED_ORDER = (
    "impl", "epochs", "examples", "batch_size", "lr", "noise", "true_w", "true_b", "seed"
)
"""The order the fixed settings are listed in."""


def fixed_settings(config: TrainConfig, lang: str = "en") -> list[str]:
    """The settings the learner cannot change in the panel, in one short line."""
    fixed, words = set(config.settings()) - set(config.editable), labels(lang)
    return [
        words[f"fixed-{name}"].format(value=format_setting(getattr(config, name)))
        for name in FIXED_ORDER
        if name in fixed
    ]


def shown_settings(editable: Sequence[str], runs: Sequence[RunRecord]) -> list[str]:
    """The settings a run list names: the panel's editable ones, then any other the runs differ in."""
    differ = [
        name
        for name in dict.fromkeys(name for run in runs for name in run.settings)
        if name not in editable and name != "model"
        and len({repr(run.settings.get(name)) for run in runs}) > 1
    ]
    return [*editable, *differ]


def run_head(settings: dict[str, object], shown: Sequence[str], lang: str = "en") -> str:
    """A run's settings named as the panel's fields name them, e.g. "学习率 lr=0.03，批量大小 batch_size=10"."""
    words, names = labels(lang), setting_names(lang)
    return words["run-sep"].join(
        words["run-setting"].format(name=names.get(name, name), value=format_setting(settings[name]))
        for name in shown
        if name in settings
    )


Entry = tuple[Text, Text]
"""One run in a run list: its line ("1. lr=0.03: loss 5e-05") and its mark ("  ← this run", or empty)."""


def history_entries(
    runs: list[RunRecord], lang: str = "en", current: RunRecord | None = None,
    ghost: RunRecord | None = None, editable: Sequence[str] = ("lr", "batch_size"),
) -> list[Entry]:
    """The panel's runs, newest first; the run on screen and the faint one are marked.

    Args:
        ghost: the run whose curve the chart draws faintly now (None when it draws none).
        editable: the settings the learner can change on the panel, named in every entry.
    """
    words, shown = labels(lang), shown_settings(editable, runs)
    entries = []
    for index, past in enumerate(reversed(runs)):
        line = Text(f"{index + 1}. ", style="not bold")
        line.append(past.summary(lang, run_head(past.settings, shown, lang), epochs=False))
        mark = Text("")
        if past is current:
            mark = Text(words["history-current"], style="bold")
        elif past is ghost:
            mark = Text(words["history-ghost"], style="not bold")
        entries.append((line, mark))
    return entries


def history_text(entries: list[Text], lang: str = "en") -> Text:
    """The run list: its title, then each entry on its own indented line."""
    if not entries:
        return Text("")
    text = Text(labels(lang)["history"], style="bold")
    for entry in entries:
        text.append("\n  ")
        text.append_text(entry)
    return text


def curve_points(
    values: list[float], steps: int, alpha: float = SMOOTHING
) -> list[tuple[float, float]]:
    """Place a downsampled loss curve over `steps` steps and smooth it with an EMA.

    Each point averages `steps / len(values)` losses, so the EMA weight grows to match
    one step's weight of `alpha`: the look of the curve does not depend on how long the run was.
    """
    if not values:
        return []
    per_point = steps / len(values)
    weight = 1 - (1 - alpha) ** max(1.0, per_point)
    points, level = [], math.nan
    for index, value in enumerate(values):
        if not math.isfinite(value):
            level = value
        elif not math.isfinite(level):
            level = value
        else:
            level += weight * (value - level)
        points.append(((index + 0.5) * per_point, level))
    return points


class RunView:
    """The state of the run on screen, changed only on the UI thread by `apply(event)`."""

    def __init__(self, config: TrainConfig, phase: str = "idle", lang: str = "en") -> None:
        self.config = config
        self.phase = phase
        self.lang = lang
        self.words = labels(lang)
        """The panel's words in the lesson's language."""
        self.engine = ""
        self.fallback_reason: str | None = None
        self.steps_per_epoch = math.ceil(config.examples / config.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        self.step = self.epoch = 0
        self.rate, self.eta = 0.0, math.inf
        self.curve = LossHistory(CURVE_POINTS)
        self.initial_loss: float | None = None
        self.epoch_losses: list[float] = []
        self.w: tuple[float, ...] | None = None
        self.b: float | None = None
        self.closed_form: Solution | None = None
        self.sample: DataSample | None = None
        self.bowl: LossBowl | None = None
        """The loss over (w₁, w₂) of this run's data, for the surface view."""
        self.path: list[Point] = []
        """(w₁, w₂) after the traced steps, from the start on."""
        self.message: str | None = None
        """The doctor's verdict or an error, in words (in the lesson's language)."""
        self.hint: str | None = None
        self.record: RunRecord | None = None

    @property
    def active(self) -> bool:
        """True while the run's worker is training (or paused)."""
        return self.phase in ("starting", "running", "paused", "stopping")

    def apply(self, event: object) -> None:
        """Take one event from the worker."""
        from d2l_tui.training.events import EpochEnd, FinalEvent, Progress, Started

        if isinstance(event, DataSample):
            self.sample = event
        elif isinstance(event, LossBowl):
            self.bowl = event
        elif isinstance(event, Progress):
            self.curve.extend(event.losses)
            self.path.extend(event.path)
            self.step, self.epoch, self.total_steps = event.step, event.epoch, event.total_steps
            self.rate, self.eta = event.steps_per_second, event.eta_seconds
            self.w, self.b = event.w, event.b
        elif isinstance(event, EpochEnd):
            self.epoch_losses.append(event.loss)
            hint = in_language(event.hint, self.lang)
            self.w, self.b, self.hint = event.w, event.b, hint or self.hint
        elif isinstance(event, Started):
            self.engine, self.fallback_reason = event.engine, event.fallback_reason
            self.total_steps, self.steps_per_epoch = event.total_steps, event.steps_per_epoch
            self.initial_loss, self.closed_form = event.initial_loss, event.closed_form
            if self.phase == "starting":
                self.phase = "running"
        elif isinstance(event, FinalEvent):
            self._finish(event)

    def _finish(self, event: Finished | Diverged | Stopped | Failed) -> None:
        from d2l_tui.training.events import Diverged, Finished, Stopped

        self.record = event.record
        self.phase = event.record.outcome
        lang, words = self.lang, self.words
        if isinstance(event, Finished):
            self.w, self.b, self.rate = event.w, event.b, event.steps_per_second
            end = pick(event.w, event.b) if event.w else None
            if self.path and end is not None and self.path[-1] != end:
                self.path.append(end)
            self.epoch_losses = list(event.epoch_losses)
            self.step = self.total_steps
        elif isinstance(event, Diverged):
            self.step, self.epoch = event.step, event.epoch
            message, reason = in_language(event.message, lang), in_language(event.reason, lang)
            self.message = words["diverged-note"].format(message=message, reason=reason)
        elif isinstance(event, Stopped):
            self.step, self.epoch = event.step, event.epoch
        else:
            fix = words["fix"].format(fix=event.fix) if event.fix else ""
            message = in_language(event.message, lang)
            self.message = words["failed-note"].format(message=message) + fix

    def surface_path(self) -> list[Point]:
        """The path drawn on the loss surface: the traced steps, then where the run is now."""
        here = pick(self.w, self.b) if self.w and self.b is not None else None
        if here is None or not self.path or self.path[-1] == here:
            return self.path
        return [*self.path, here]

    def points(self) -> list[tuple[float, float]]:
        """The live curve as smoothed (step, loss) points."""
        return curve_points(self.curve.values(), self.curve.count)

    def notes(self) -> str:
        """What the learner must know beyond the numbers: MXNet missing, the doctor's words."""
        notes = []
        if self.fallback_reason:
            from d2l_tui.mxnet_env import fix_command

            reason = self.fallback_reason
            notes.append(self.words["no-mxnet"].format(reason=reason, fix=fix_command()))
        if self.hint:
            notes.append(self.words["hint"].format(hint=self.hint))
        if self.message:
            notes.append(self.message)
        return "\n".join(notes)

    def status(self, width: int) -> Text:
        """One status line: phase, epoch, step, speed and time left; shorter when narrow."""
        words, epochs = self.words, self.config.epochs
        mark, word = MARKS.get(self.phase, ""), words.get(self.phase, self.phase)
        rate = f"{self.rate:,.0f}" if self.rate else "–"
        duration = _duration(self.eta, words) if self.phase in ("running", "paused") else ""
        left = words["left"].format(left=duration) if duration else ""
        left_narrow = words["left-narrow"].format(left=duration) if duration else ""
        if self.phase == "idle":
            plan = words["plan"].format(
                total=self.total_steps, epochs=epochs, per_epoch=self.steps_per_epoch
            )
            return Text(f"{mark} {word}", style="bold") + Text(plan)
        text = Text(f"{mark} {word}", style="bold")
        numbers = dict(epoch=self.epoch, epochs=epochs, step=self.step, total=self.total_steps)
        text.append(words["progress"].format(rate=rate, **numbers) + left)
        if text.cell_len <= width:
            return text
        # Narrow: the mark alone says "running"; the numbers lose their thousands separators.
        text = Text(mark if self.phase == "running" else f"{mark} {word}", style="bold")
        narrow = words["progress-narrow"].format(rate=rate.replace(",", ""), **numbers)
        text.append(narrow + left_narrow)
        return text


def _duration(seconds: float, words: dict[str, str]) -> str:
    if not math.isfinite(seconds):
        return "?"
    if seconds < 60:
        return words["seconds"].format(value=seconds)
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return words["minutes"].format(minutes=minutes, seconds=secs)
    return words["hours"].format(hours=minutes // 60, minutes=minutes % 60)


def _number(value: float | None, width: int = 10) -> str:
    if value is None or not math.isfinite(value):
        return "–".rjust(width)
    return f"{value:>{width}.4f}" if abs(value) < 1e5 else f"{value:>{width}.3g}"


def params_rows(view: RunView) -> list[Row]:
    """Learned w and b beside the true ones and the exact least-squares solution."""
    config, exact, words = view.config, view.closed_form, view.words
    heads = rjust_cells(words["true"], 10) + rjust_cells(words["exact"], 10)
    rows: list[Row] = [[("   ", PLAIN), (rjust_cells(words["learned"], 10), BOLD), (heads, DIM)]]
    for index, true in enumerate(config.true_w):
        learned = view.w[index] if view.w and index < len(view.w) else None
        best = exact.w[index] if exact else None
        name = f"w{index + 1}".translate(SUBSCRIPTS)
        rows.append([(f"{name:<3}{_number(learned)}{_number(true)}{_number(best)}", PLAIN)])
    exact_b = exact.b if exact else None
    rows.append([(f"{'b':<3}{_number(view.b)}{_number(config.true_b)}{_number(exact_b)}", PLAIN)])
    return rows


def epochs_rows(view: RunView) -> list[Row]:
    """The loss over the whole dataset after each of the last epochs, as the book prints it."""
    words = view.words
    rows: list[Row] = [[(rjust_cells(words["epoch"], 5) + "  " + words["epoch-loss"], BOLD)]]
    if view.initial_loss is not None:
        rows.append([(f"{0:>5}  ", PLAIN), (f"{view.initial_loss:.3g}", DIM)])
    first = max(0, len(view.epoch_losses) - EPOCH_ROWS)
    for index, loss in enumerate(view.epoch_losses[first:], start=first + 1):
        rows.append([(f"{index:>5}  {loss:.3g}", PLAIN)])
    if view.epoch_losses:
        floor = noise_floor(view.config.noise)
        rows.append([(rjust_cells(words["floor"], 5) + f"  {floor:.2g}", DIM)])
    return rows


PARAMS_WIDTH = 3 + 3 * 10
"""Columns the w and b rows take."""


def results_rows(view: RunView, wide: bool) -> list[Row]:
    """w and b, then the epoch losses: side by side when wide, one under the other when not."""
    params, epochs = params_rows(view), epochs_rows(view)
    if not wide:
        return [*params, [], *epochs]
    rows = []
    for index in range(max(len(params), len(epochs))):
        left = params[index] if index < len(params) else []
        used = sum(cell_len(text) for text, _ in left)
        right = epochs[index] if index < len(epochs) else []
        rows.append([*left, (" " * (PARAMS_WIDTH + 4 - used), PLAIN), *right])
    return rows


def results_height(config: TrainConfig, wide: bool) -> int:
    """Rows the results take for a config, fixed for the whole run so updates never re-lay out."""
    params = len(config.true_w) + 2
    epochs = 1 + 1 + min(config.epochs, EPOCH_ROWS) + 1
    return max(params, epochs) if wide else params + 1 + epochs
