"""The `train` block: the book's linear regression trained live by real MXNet in a worker thread."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalGroup
from textual.message import Message
from textual.widgets import Input, Static, TextArea
from textual.worker import Worker, WorkerState

from d2l_tui.course.model import Block
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.training.history import RunHistory, RunRecord
from d2l_tui.ui.reach import lang_of, lesson_of, session, tutor_app
from d2l_tui.ui.widgets.fit_plot import FitPlot, feature_of
from d2l_tui.ui.widgets.loss_chart import LossChart
from d2l_tui.ui.widgets.loss_surface import LossSurface
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.ui.widgets.run_list import RunList
from d2l_tui.ui.widgets.training_parts import ItemLine, ResultsView, StatusLine
from d2l_tui.ui.widgets.training_settings import SettingsBox
from d2l_tui.ui.widgets.training_view import (
    RunView,
    curve_points,
    fixed_settings,
    history_entries,
    setting_changes,
)
from d2l_tui.ui.widgets.training_words import engine_name, labels
from d2l_tui.ui.widgets.training_worker import train

if TYPE_CHECKING:  # the events module imports NumPy, which the app does not load to start
    from d2l_tui.training.events import FinalEvent

CHART_INTERVAL = 0.25
"""Least seconds between repaints of the charts and results while training (the status line
repaints with every batch of events, 4 a second); each repaint holds the GIL the trainer needs."""
HISTORY_RUNS = 5
KEYS = ("key-start", "key-pause", "key-step", "key-stop", "key-reset", "key-log", "key-surface")
"""The keys listed under the settings (their words are in training_words)."""


class TrainingPanel(ItemWidget):
    """Settings, keys, a live loss chart, the data with the fitted line, and a run's results."""

    DEFAULT_CSS = """
    TrainingPanel {
        layout: vertical; height: auto; padding: 0 1; margin: 0 0 1 0; border: round $primary;
    }
    TrainingPanel:focus-within { border: round $accent; }
    TrainingPanel .train-settings, TrainingPanel .train-keys { color: $text-muted; height: auto; }
    TrainingPanel .train-fields { height: auto; }
    TrainingPanel .train-keys { margin: 0 0 1 0; }
    TrainingPanel .train-message { color: $warning; height: auto; display: none; }
    TrainingPanel .train-message.-shown { display: block; }
    TrainingPanel .train-charts { height: auto; layout: vertical; margin: 1 0 0 0; }
    TrainingPanel.-wide .train-charts { layout: horizontal; }
    TrainingPanel.-wide .train-charts > * { width: 1fr; }
    TrainingPanel .train-history { color: $text-muted; height: auto; margin: 1 0 0 0; }
    TrainingPanel LossSurface { display: none; }
    TrainingPanel.-surface LossSurface { display: block; }
    """
    BINDINGS = [
        Binding("s,enter", "start", "Train", id="train-start"),
        Binding("space", "pause", "Pause/resume", id="train-pause"),
        # The panel lists all its keys on its own key line; the Footer (which overflows at 100
        # columns with every one of them) shows the two that start and pause a run.
        Binding("full_stop", "step", "One step", show=False, id="train-step"),
        Binding("x", "stop", "Stop", show=False, id="train-stop"),
        Binding("r", "reset", "Reset", show=False, id="train-reset"),
        Binding("y", "toggle_log", "Log/linear", show=False, id="train-log"),
        Binding("v", "toggle_surface", "Loss surface", show=False, id="train-surface"),
    ]
    can_focus = True
    KEY_HINTS: ClassVar[tuple[str, ...]] = KEYS
    """The keys the panel's key line names (plus the settings key where the lesson allows edits)."""

    @dataclass
    class RunUpdate(Message, bubble=False):
        """A batch of events of run number `run` from the worker (training events, data sample)."""

        run: int
        events: tuple[object, ...]

    @dataclass
    class RunEnded(Message):
        """A run ended (finished, diverged, stopped or failed); bubbles up to who keeps score."""

        panel: TrainingPanel
        final: FinalEvent

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        self.key = str(block.data.get("id") or f"s{ref[0]}-i{ref[1]}")
        super().__init__("", ref, id="train-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.key))
        self.block = block
        self.lang = "en"
        """The lesson's language, read from the app when composed; every word drawn follows it."""
        self.lesson_config, _ = TrainConfig.from_mapping(block.data)
        self._settings = SettingsBox(self.lesson_config)
        self.view = RunView(self.lesson_config)
        self.history = RunHistory(HISTORY_RUNS)
        self.worker: Worker[None] | None = None
        self._control: RunControl | None = None
        self._run = 0
        self._start_when_stopped = False
        self._charts_at = 0.0
        self._notes = ""
        self._ghost: RunRecord | None = None
        """The run drawn faintly behind the current one: the newest run before it."""
        shown = block.data.get("show")
        self.set_class(isinstance(shown, list) and "surface" in shown, "-surface")

    @property
    def config(self) -> TrainConfig:
        """The settings the next run uses: the lesson's, with the learner's good edits."""
        return self._settings.config

    @property
    def worker_group(self) -> str:
        """The worker group of this panel's runs; "run:" makes the app ask before quitting."""
        return f"run:train-{self.key}"

    def fixed_line(self) -> list[str]:
        """The settings the learner cannot change, for the panel's first line."""
        return fixed_settings(self.config, self.lang)

    def compose_head(self, title: str) -> ComposeResult:
        """What every training panel starts with: title, settings, key line, status and message."""
        lang = self.lang
        words = labels(lang)
        self.border_title = str(self.block.data.get("title") or title)
        self._settings.lang = lang
        self.view = RunView(self.config, lang=lang)
        keys = [*self.KEY_HINTS, *["key-settings"] * bool(self.config.editable)]
        yield ItemLine(self.fixed_line(), classes="train-settings")
        yield self._settings
        yield ItemLine([words[key] for key in keys], classes="train-keys")
        yield StatusLine(self.view)
        yield Static("", classes="train-message")

    def compose(self) -> ComposeResult:
        self.lang = lang = lang_of(self)
        yield from self.compose_head(labels(lang)["title"])
        with VerticalGroup(classes="train-charts"):
            yield LossChart(lang=lang)
            yield FitPlot(lang=lang)
            yield LossSurface(lang=lang)
        yield ResultsView(self.view)
        yield RunList()

    def on_mount(self) -> None:
        self.history = self._load_history()
        self._status, self._results = self.query_one(StatusLine), self.query_one(ResultsView)
        self._loss_chart, self._fit_plot = self.query_one(LossChart), self.query_one(FitPlot)
        self._surface = self.query_one(LossSurface)
        self._ghost = self.history.latest
        self._show_history()
        self._show_view()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 110, "-wide")

    def on_unmount(self) -> None:
        # Leaving the lesson or quitting: the worker must end, or Python waits for it at exit.
        if self._control is not None:
            self._control.stop()

    # Keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed in a setting's box are text: none of the panel's keys fires from there (Enter
        # in a box trains through the box's own Submitted message).
        if isinstance(self.app.focused, (Input, TextArea)):
            return False
        # Space and x only mean something during a run; otherwise space pages down as usual.
        if action in ("pause", "stop"):
            return self.view.active
        return True

    def action_start(self) -> None:
        """Train with the current settings; a running run is stopped first."""
        if self.view.active and self._control is not None:
            self._start_when_stopped = True
            self._control.stop()
            self._set_phase("stopping")
        else:
            self._begin()

    def action_pause(self) -> None:
        """Pause a running run, or resume a paused one."""
        control = self._control
        if control is None or not self.view.active:
            return
        if control.paused:
            control.resume()
            self._set_phase("running")
        else:
            control.pause()
            self._set_phase("paused")

    def action_step(self) -> None:
        """Train exactly one more minibatch (starting a paused run when none is going)."""
        if not self.view.active:
            self._begin(paused=True)
        assert self._control is not None
        self._control.step_once()
        if self.view.phase == "running":
            self._set_phase("paused")

    def action_stop(self) -> None:
        """Stop the run; it ends within one minibatch."""
        if self._control is not None and self.view.active:
            self._control.stop()
            self._start_when_stopped = False
            self._set_phase("stopping")

    def action_reset(self) -> None:
        """Stop any run, clear the charts and go back to the lesson's settings."""
        if self._control is not None:
            self._control.stop()
        self._control, self._start_when_stopped = None, False
        self._run += 1  # whatever the old worker still sends is not shown
        self._settings.reset()
        self.view = RunView(self.config, lang=self.lang)
        self._ghost = self.history.latest
        self._show_view()

    def take_settings(self, values: Mapping[str, Any]) -> None:
        """Show the lesson's settings plus `values` (a committed prediction's run), unless a run is going."""
        if not self.view.active:
            self._settings.show_settings(values)

    def action_toggle_log(self) -> None:
        """Switch the loss chart between log and linear scales."""
        self._loss_chart.toggle_log()

    @property
    def surface_shown(self) -> bool:
        """True while the loss-surface view is on (the lesson's `show: [surface]`, or the v key)."""
        return self.has_class("-surface")

    def action_toggle_surface(self) -> None:
        """Show or hide the loss surface with the run's path on it."""
        self.set_class(not self.surface_shown, "-surface")
        self._paint_charts()

    def _set_phase(self, phase: str) -> None:
        self.view.phase = phase
        self._status.repaint()

    def on_settings_box_changed(self) -> None:
        """Before any run, the plan under the settings (steps, epochs) follows what they now say."""
        if self.view.phase == "idle":
            self.view = RunView(self.config, lang=self.lang)
            self._show_view()

    def on_settings_box_submitted(self) -> None:
        """Enter in a setting with a good value: train with it."""
        self.focus()
        self.action_start()

    # Running --------------------------------------------------------------------------------

    def _begin(self, *, paused: bool = False) -> None:
        """Start a new run of the current settings in a worker thread."""
        self._run += 1
        self._control = RunControl(paused=paused)
        self._start_when_stopped = False
        self.view = RunView(self.config, phase="paused" if paused else "starting", lang=self.lang)
        self._ghost = self.history.latest
        self._show_view()
        post = partial(self._post_from_worker, self._run)
        # Every run traces its path, so the surface can be shown at any time during it.
        work = partial(train, self.config, post, self._control, trace=True)
        name = f"train {self.key} #{self._run}"
        self.worker = self.run_worker(
            work, name=name, group=self.worker_group, thread=True, exit_on_error=False
        )

    def _post_from_worker(self, run: int, events: tuple[object, ...]) -> None:
        """Called in the worker thread: hand a batch of events to the UI thread as a message."""
        self.post_message(self.RunUpdate(run, events))

    def on_training_panel_run_update(self, message: TrainingPanel.RunUpdate) -> None:
        """Take a batch of events from the worker and repaint what changed."""
        from d2l_tui.training.events import FinalEvent, Started

        current = message.run == self._run
        for event in message.events:
            if isinstance(event, FinalEvent):
                self._remember(event.record)
            if not current:
                continue
            phase = self.view.phase
            self.view.apply(event)
            if isinstance(event, Started) and self._control is not None and self._control.paused:
                self.view.phase = "paused"
            elif phase == "stopping" and not isinstance(event, FinalEvent):
                self.view.phase = "stopping"
            if isinstance(event, FinalEvent):
                self._ended(event)
                return
        if current:
            self._repaint_live()

    def _repaint_live(self) -> None:
        """After a batch of events: the status, the charts at most every CHART_INTERVAL, the notes."""
        self._status.repaint()
        now = time.monotonic()
        if now - self._charts_at >= CHART_INTERVAL or self.view.phase == "paused":
            self._charts_at = now
            self._paint_live_charts()
        self._show_notes()

    def _paint_live_charts(self) -> None:
        """The charts during a run, with the results (they change with every step)."""
        self._results.invalidate()
        self._paint_charts()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that crashed (a bug, not a training problem) must not leave a run hanging."""
        if event.worker is self.worker and event.state == WorkerState.ERROR and self.view.active:
            self.view.phase = "failed"
            error = repr(event.worker.error)
            self.view.message = labels(self.lang)["crashed"].format(error=error)
            self._show_view()

    def _ended(self, final: FinalEvent) -> None:
        self._show_view()
        self.post_message(self.RunEnded(self, final))
        if self._start_when_stopped:
            self._begin()

    def _remember(self, record: RunRecord) -> None:
        if record.steps > 0:
            self.history.add(record)
            self._show_history()
            self._save_history()

    # Kept across restarts ---------------------------------------------------------------------

    @property
    def saved_key(self) -> str:
        """Where this panel's runs are kept: its lesson and its id."""
        lesson = lesson_of(self)
        return f"{lesson.id if lesson else ''}/{self.key}"

    def _load_history(self) -> RunHistory:
        """The session's history of this panel; on its first mount, the runs saved in the data folder."""
        lesson = lesson_of(self)
        key = (lesson.id if lesson else "", self.key)
        state = session(self)
        # The history outlives the panel (leaving and reopening a lesson): the session keeps it.
        if key not in state.histories:
            saved = state.runs_file(tutor_app(self).data_dir)
            history = RunHistory(HISTORY_RUNS)
            for record in saved.runs(self.saved_key, HISTORY_RUNS):
                history.add(record)
            state.histories[key] = history
            if saved.problem is not None:
                self._note_once("saved-unreadable", why=saved.problem, path=str(saved.moved_to or saved.path))
        return state.histories[key]

    def _save_history(self) -> None:
        saved = session(self).runs_file(tutor_app(self).data_dir)
        try:
            saved.save(self.saved_key, self.history, HISTORY_RUNS)
        except OSError as error:
            self._note_once("saved-failed", error=error.strerror or str(error))

    def _note_once(self, what: str, **values: str) -> None:
        """Warn once per session (a full disk would otherwise warn after every run)."""
        said = session(self).notes_said
        if f"training-{what}" not in said:
            said.add(f"training-{what}")
            self.notify(labels(self.lang)[what].format(**values), severity="warning", timeout=8)

    # Painting -------------------------------------------------------------------------------

    def _show_history(self) -> None:
        """The run list, naming the panel's editable settings; the faint mark only on a drawn curve."""
        runs, current, editable = list(self.history), self.view.record, self.config.editable
        entries = history_entries(runs, self.lang, current, self.drawn_ghost(), editable)
        self.query_one(RunList).show(entries, self.lang)

    def drawn_ghost(self) -> RunRecord | None:
        """The earlier run whose curve the loss chart draws faintly now; None when it draws none."""
        ghost, chart = self._ghost, self._loss_chart
        if ghost is None or ghost is self.view.record or not chart.ghost or chart.span() is None:
            return None
        return ghost

    def _paint_charts(self) -> None:
        view, ghost = self.view, self._ghost
        ghost_points = curve_points(list(ghost.curve), ghost.steps) if ghost and ghost.curve else []
        label = setting_changes(ghost.settings, view.config, lang=self.lang) if ghost else ""
        x_max = max(view.total_steps, ghost.steps if ghost else 0)
        self._loss_chart.show(view.points(), ghost_points, x_max, label, raw=view.curve.values())
        j = view.sample.feature if view.sample else feature_of(view.config)
        true_line = (view.config.true_w[j], view.config.true_b)
        fitted = (view.w[j], view.b) if view.w and view.b is not None else None
        self._fit_plot.show(view.sample, true_line, fitted, j)
        if self.surface_shown:
            self._surface.show(view.bowl, view.surface_path())

    def _show_view(self) -> None:
        """Show a new or finished run in full."""
        self._status.view = self.view
        self._results.show(self.view)
        self._status.repaint()
        self._paint_charts()
        self._show_notes()
        self._show_history()
        self.refresh_bindings()  # the Footer offers pause only while a run goes on

    def _show_notes(self) -> None:
        notes = self.view.notes()
        if notes != self._notes:
            self._notes = notes
            box = self.query_one(".train-message", Static)
            box.update(Text(notes))  # not markup: MXNet's errors hold [brackets]
            box.set_class(bool(notes), "-shown")
        self.border_subtitle = engine_name(self.view.engine, self.lang)
