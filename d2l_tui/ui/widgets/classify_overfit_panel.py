"""The `train` block for the book's over- and underfitting models (`poly` §3.11, `high-dim` §3.12):
train and test loss per epoch on a log scale, beside the training points and the true polynomial."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.widgets.classify_overfit import LossPairChart, PolyFitPlot
from d2l_tui.ui.widgets.classify_panel import ClassifyPanel
from d2l_tui.ui.widgets.classify_view import PolySample, TestImages
from d2l_tui.ui.widgets.classify_words import classify_labels
from d2l_tui.ui.widgets.loss_chart import short_number
from d2l_tui.ui.widgets.run_list import RunList
from d2l_tui.ui.widgets.training_parts import StatusLine

if TYPE_CHECKING:
    from d2l_tui.training.history import RunRecord

SIDE_BY_SIDE = 64
"""From this width on, the loss chart and the fit stand side by side."""


class OverfitPanel(ClassifyPanel):
    """A classification panel's settings, keys, run and history, drawing losses and the fit instead."""

    DEFAULT_CSS = """
    OverfitPanel .overfit-charts { height: auto; layout: vertical; margin: 1 0 0 0; }
    OverfitPanel.-wide .overfit-charts { layout: horizontal; }
    OverfitPanel.-wide .overfit-charts > * { width: 1fr; }
    OverfitPanel.-high-dim PolyFitPlot { display: none; }
    OverfitPanel .overfit-norm { height: auto; color: $text-muted; }
    """

    sample: PolySample | None = None

    def compose(self) -> ComposeResult:
        self.lang = lang = lang_of(self)
        self.set_class(self.config.model == "high-dim", "-high-dim")
        yield from self.compose_head(classify_labels(lang)["overfit-title"])
        with Horizontal(classes="overfit-charts"):
            yield LossPairChart(lang=lang)
            yield PolyFitPlot(lang=lang)
        yield Static("", classes="overfit-norm")
        yield RunList()

    @on(events.Mount)
    def _mount_charts(self, event: events.Mount) -> None:
        """Find this panel's charts and show its history (in place of the other panels' handlers)."""
        event.prevent_default()
        self.history = self._load_history()
        self._status = self.query_one(StatusLine)
        self._pair, self._fit = self.query_one(LossPairChart), self.query_one(PolyFitPlot)
        self._ghost = self.history.latest
        self._show_history()
        self._show_view()

    @on(events.Resize)
    def _resized(self, event: events.Resize) -> None:
        """Side by side from SIDE_BY_SIDE columns (the training panel's own width is for its charts)."""
        event.prevent_default()
        self.set_class(self.size.width >= SIDE_BY_SIDE, "-wide")

    def drawn_ghost(self) -> RunRecord | None:
        """None: these charts draw no earlier run, so no run in the list is marked as a faint curve."""
        return None

    def take_picture(self, picture: TestImages | PolySample) -> None:
        if isinstance(picture, PolySample):
            self.sample = picture

    def _paint_charts(self) -> None:
        measures = self.state.measures
        train = [m.train_loss for m in measures]
        test = [m.test_loss for m in measures]
        self._pair.show(train, test, self.config.epochs)
        sample = self.sample
        if sample is not None:
            fitted = measures[-1].coefficients if measures else ()
            self._fit.show(sample.xs, sample.ys, sample.true, fitted, span=sample.span)
        norm = Text("")
        if measures:
            words = classify_labels(self.lang)
            norm = Text(words["norm"].format(norm=short_number(measures[-1].weight_norm)))
        self.query_one(".overfit-norm", Static).update(norm)
