"""Snapshots of the chapter-3 lessons' own states: a plot, a graph, an idle classifier panel and the
course's last page, in both languages and at three sizes (`--snapshot-update` to accept)."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonContent, LessonScreen
from d2l_tui.ui.widgets.classify_panel import ClassifyPanel
from d2l_tui.ui.widgets.function_plot import FunctionPlotPanel
from d2l_tui.ui.widgets.graph_panel import GraphPanel
from test_snapshots_quiz import hold_still, settle


def focused_on(kind: type[Widget]):
    """Settle, then focus the lesson's first block of `kind` (Tab would reach it the same way)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        screen._focus_block(screen.query(kind).first())
        await pilot.pause()
        await hold_still(pilot)

    return run_before


async def at_the_end(pilot) -> None:
    """Settle, then scroll to the lesson's last lines."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    await screen.mount_all_now()
    screen.query_one(LessonContent).scroll_end(animate=False)
    await pilot.pause()
    await hold_still(pilot)


def test_relu_plot(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the mlp lesson's ReLU, max(x, 0), drawn in braille with its tangent and the
    note that ← → move it, at 100x30 in English, focused (the Footer offers ← →)."""
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="mlp")
    assert snap_compare(app, terminal_size=(100, 30), run_before=focused_on(FunctionPlotPanel))


def test_backprop_graph(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the backprop lesson's first computational graph in Chinese at 100x30: boxes in
    columns from the inputs to o, their values, and the keys to step forward and backward."""
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="backprop")
    assert snap_compare(app, terminal_size=(100, 30), run_before=focused_on(GraphPanel))


def test_idle_mlp_panel(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the mlp-scratch panel before any run, in Chinese at 80x24: its fixed settings,
    the editable hidden width, activation and epochs, and the plan of steps under them."""
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="mlp-scratch")
    assert snap_compare(app, terminal_size=(80, 24), run_before=focused_on(ClassifyPanel))


def test_the_course_s_last_page(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the end of numerical-stability, the last lesson, in Chinese at 60x20: the course
    ends with chapter 3, why the house-price capstone is not a lesson, and Esc and R for what next."""
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="numerical-stability")
    assert snap_compare(app, terminal_size=(60, 20), run_before=at_the_end)
