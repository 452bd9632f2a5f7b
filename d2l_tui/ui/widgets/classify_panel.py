"""The `train` block for classifiers: the settings and run keys of a training panel, with one chart
of loss and accuracies, a confusion matrix and a gallery of misclassified test images."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Static

from d2l_tui.course.model import Block
from d2l_tui.datasets import class_names
from d2l_tui.training.config import CLASSIFIERS, TrainConfig
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.widgets.classify_chart import AccuracyChart, Curves
from d2l_tui.ui.widgets.classify_confusion import ConfusionMatrix
from d2l_tui.ui.widgets.classify_view import ClassifyRun, PolySample, TestImages
from d2l_tui.ui.widgets.classify_words import classify_labels
from d2l_tui.ui.widgets.classify_worker import train_classifier
from d2l_tui.ui.widgets.image_pixels import make_gallery
from d2l_tui.ui.widgets.run_list import RunList
from d2l_tui.ui.widgets.training_panel import TrainingPanel
from d2l_tui.ui.widgets.training_parts import StatusLine
from d2l_tui.ui.widgets.training_view import RunView, fixed_settings

if TYPE_CHECKING:
    from d2l_tui.training.history import RunRecord

MODEL_KEYS = ("dataset", "num_hidden", "activation", "dropout", "weight_decay", "degree")
"""The models' own settings, listed after the training panel's when the learner cannot change them."""


def model_settings(config: TrainConfig, lang: str) -> list[str]:
    """The settings the learner cannot change: the training panel's, then the model's own."""
    from d2l_tui.datasets import title
    from d2l_tui.training.config import MODEL_SETTINGS, format_setting

    words = classify_labels(lang)
    used = set(MODEL_SETTINGS.get(config.model, ())) - set(config.editable)
    items = fixed_settings(config, lang)
    for name in MODEL_KEYS:
        if name in used:
            value = getattr(config, name)
            shown = title(value, lang) if name == "dataset" else format_setting(value)
            items.append(words[f"fixed-{name}"].format(value=shown))
    return items


KEYS = ("key-start", "key-pause", "key-step", "key-stop", "key-reset")
TRAIN_IMAGES = {"digits": 1438, "fashion-mnist": 60000}
"""Training images of each dataset, for the plan a classifier's panel shows before its first run
(the config's `examples` is linear regression's; the run's ModelStarted then says what it used)."""


def plan_on_images(view: RunView, config: TrainConfig) -> None:
    """Plan an idle classifier's steps on its dataset's training images, not on `examples`."""
    per_epoch = math.ceil(TRAIN_IMAGES.get(config.dataset, TRAIN_IMAGES["digits"]) / config.batch_size)
    view.steps_per_epoch, view.total_steps = per_epoch, per_epoch * config.epochs
"""The keys listed under the settings: a training panel's, less the loss chart's own."""


class ClassifyPanel(TrainingPanel):
    """A training panel for softmax regression and MLPs on images.

    It keeps the training panel's settings, keys, worker, history and predict-quiz hooks, and
    draws its own parts from a `ClassifyRun`, fed by the same events the status line reads.
    """

    DEFAULT_CSS = """
    ClassifyPanel .classify-wrong-title { height: auto; margin: 1 0 0 0; }
    ClassifyPanel ConfusionMatrix { margin: 1 0 0 0; }
    ClassifyPanel AccuracyChart { margin: 1 0 0 0; }
    """
    KEY_HINTS = KEYS

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__(block, ref)
        self.state = ClassifyRun()
        self.test: TestImages | None = None
        self.accuracies: dict[int, list[float]] = {}
        """Test accuracies per epoch of this panel's earlier runs, by `id` of their record."""

    @property
    def names(self) -> tuple[str, ...]:
        """The class names in the lesson's language, of the dataset the run really uses."""
        return class_names(self.state.dataset or self.config.dataset, self.lang)

    def fixed_line(self) -> list[str]:
        """The training panel's fixed settings, then the model's own."""
        return model_settings(self.config, self.lang)

    def compose(self) -> ComposeResult:
        self.lang = lang = lang_of(self)
        yield from self.compose_head(classify_labels(lang)["title"])
        yield AccuracyChart(lang=lang)
        yield ConfusionMatrix(self.names, lang=lang)
        yield Static("", classes="classify-wrong-title")
        self._gallery = make_gallery(tutor_app(self).graphics, empty=classify_labels(lang)["wrong-none"])
        yield self._gallery
        yield RunList()

    @on(events.Mount)
    def _mount_parts(self, event: events.Mount) -> None:
        """Find this panel's parts and show its history; in place of the training panel's on_mount."""
        event.prevent_default()  # the training panel's on_mount looks for its own charts
        self.history = self._load_history()
        self._status = self.query_one(StatusLine)
        self._chart, self._matrix = self.query_one(AccuracyChart), self.query_one(ConfusionMatrix)
        self._ghost = self.history.latest
        self._show_history()
        self._show_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_log", "toggle_surface"):
            return False  # a linear-regression panel's views
        return super().check_action(action, parameters)

    # Running --------------------------------------------------------------------------------

    def _begin(self, *, paused: bool = False) -> None:
        """Start a new run of the current settings in a worker thread (the training panel's way)."""
        from d2l_tui.training.control import RunControl

        self._run += 1
        self._control = RunControl(paused=paused)
        self._start_when_stopped = False
        self.view = RunView(self.config, phase="paused" if paused else "starting", lang=self.lang)
        self.state = ClassifyRun()
        self._ghost = self.history.latest
        self._show_view()
        post = partial(self._post_from_worker, self._run)
        data_dir = tutor_app(self).data_dir
        work = partial(train_classifier, self.config, post, self._control, data_dir)
        self.worker = self.run_worker(
            work,
            name=f"train {self.key} #{self._run}",
            group=self.worker_group,
            thread=True,
            exit_on_error=False,
        )

    def action_reset(self) -> None:
        self.state = ClassifyRun()
        super().action_reset()

    def on_training_panel_run_update(self, message: TrainingPanel.RunUpdate) -> None:
        """Take a batch of the model's events (in place of the training panel's handler)."""
        from d2l_tui.training.events import FinalEvent
        from d2l_tui.training.models.events import ModelFinished

        message.prevent_default()  # the training panel's handler knows linear regression's events only
        current = message.run == self._run
        for event in message.events:
            final = isinstance(event, (ModelFinished, FinalEvent))
            if isinstance(event, (ModelFinished, FinalEvent)):
                self._remember(event.record)
            if not current:
                continue
            if isinstance(event, (TestImages, PolySample)):
                self.take_picture(event)
                continue
            before = self.view.phase
            self.state.apply(event, self.view)
            if before in ("stopping", "paused") and not final:
                self.view.phase = before  # a run started with "." stays paused; a stop stays asked
            if isinstance(event, (ModelFinished, FinalEvent)):
                self._ended(event)  # type: ignore[arg-type]  # ModelFinished: FinalEvent predates the models
                return
        if current:
            self._repaint_live()

    def _paint_live_charts(self) -> None:
        """The charts during a run (this panel has no results box)."""
        self._paint_charts()

    def take_picture(self, picture: TestImages | PolySample) -> None:
        """What the worker sent to draw beside the curves (here: the test images)."""
        if isinstance(picture, TestImages):
            self.test = picture

    def _remember(self, record: RunRecord) -> None:
        if record.steps > 0:
            self.accuracies[id(record)] = list(self.state.test_acc)
        super()._remember(record)

    # Painting -------------------------------------------------------------------------------

    def ghost_curves(self) -> Curves | None:
        """The previous run, drawn faintly: its loss curve, and its test accuracy when known."""
        from d2l_tui.ui.widgets.training_view import curve_points

        ghost = self._ghost
        if ghost is None or ghost is self.view.record or not ghost.curve:
            return None
        steps = max(1, ghost.steps)
        epochs = int(ghost.settings.get("epochs") or 1)
        return Curves(
            curve_points(list(ghost.curve), steps),
            test_acc=self.accuracies.get(id(ghost), []),
            steps_per_epoch=max(1, self.state.steps_per_epoch),
            total_steps=max(steps, epochs * self.state.steps_per_epoch),
        )

    def drawn_ghost(self) -> RunRecord | None:
        """The earlier run the chart draws faintly now (its losses give the chart its axis)."""
        from d2l_tui.ui.widgets.braille_canvas import finite_range

        ghost = self._chart.ghost
        if self._ghost is None or ghost is None or finite_range([y for _, y in ghost.losses]) is None:
            return None
        return self._ghost

    def _paint_charts(self) -> None:
        state, words = self.state, classify_labels(self.lang)
        self._chart.show(state.curves(), self.ghost_curves())
        self._matrix.show(state.confusion(len(self.names)), self.names)
        title = Text(words["wrong"], style="bold")
        if state.predictions:
            title.append(
                words["wrong-count"].format(count=state.wrong_count(), total=len(state.labels))
            )
        self.query_one(".classify-wrong-title", Static).update(title)
        self._gallery.show(state.mistakes(self.test, self.names))

    def _show_view(self) -> None:
        if self.view.phase == "idle" and self.config.model in CLASSIFIERS:
            plan_on_images(self.view, self.config)
        self._status.view = self.view
        self._status.repaint()
        self._paint_charts()
        self._show_notes()
        self._show_history()
        self.refresh_bindings()

    def _show_notes(self) -> None:
        super()._show_notes()
        fallback = self.state.fallback.words(self.lang) if self.state.fallback else ""
        if fallback:  # the lesson's dataset is missing: say which one is used, above the rest
            box = self.query_one(".train-message", Static)
            box.update(Text("\n".join(filter(None, [fallback, self._notes]))))
            box.set_class(True, "-shown")
