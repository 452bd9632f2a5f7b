"""The classification panel in the real app: real MXNet softmax regression on the shipped digits."""

from __future__ import annotations

import os
import re
from pathlib import Path

from test_app import settle
from test_training_panel import ended, send_key, type_setting, until

from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.classify_chart import AccuracyChart
from d2l_tui.ui.widgets.classify_confusion import ConfusionMatrix
from d2l_tui.ui.widgets.classify_panel import ClassifyPanel
from d2l_tui.ui.widgets.image_view import Gallery

# Relative, so a snapshot does not depend on where the repository is checked out.
COURSE = Path(os.path.relpath(Path(__file__).parent / "fixtures" / "classify_course"))
TEST_IMAGES = 359
"""The digits' test split."""


def new_app(data_dir: Path, lang: str = "en") -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang=lang, open_lesson="classify")


async def open_panel(pilot, app: TutorApp) -> ClassifyPanel:
    """Wait for the lesson and MXNet; focus the panel and scroll it into view."""
    await until(
        pilot, lambda: app.mxnet_ready and list(app.screen.query(ClassifyPanel)), what="the panel"
    )
    panel = app.screen.query_one(ClassifyPanel)
    panel.focus()
    app.screen.query_one("#content").scroll_to_widget(panel, animate=False, top=True)
    await pilot.pause()
    return panel


def text_of(widget) -> str:
    return "\n".join(
        "".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height)
    )


async def train(pilot, app: TutorApp, panel: ClassifyPanel) -> None:
    """Start a run and wait for it (not the previous one) to end."""
    runs = len(panel.history)
    send_key(app, "s")
    await until(
        pilot, lambda: ended(panel) and len(panel.history) > runs, timeout=120, what="the run"
    )
    assert panel.view.phase == "finished", panel.view.message
    await pilot.pause(0.3)  # the last repaint of the charts


async def test_a_softmax_run_fills_chart_matrix_and_gallery(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        assert "press s" in text_of(panel.query_one(AccuracyChart))
        await train(pilot, app, panel)
        state = panel.state
        assert len(state.test_acc) == len(state.train_acc) == 3
        assert state.test_acc[-1] > 0.85, state.test_acc  # the book's softmax learns digits well
        assert len(state.predictions) == TEST_IMAGES
        matrix = panel.query_one(ConfusionMatrix)
        assert matrix.counts is not None and sum(map(sum, matrix.counts)) == TEST_IMAGES
        right = sum(matrix.counts[c][c] for c in range(10))
        assert abs(right / TEST_IMAGES - state.test_acc[-1]) < 1e-6
        gallery = panel.query_one(Gallery)
        wrong = TEST_IMAGES - right
        title = str(panel.query_one(".classify-wrong-title").render())
        assert f"({wrong} of {TEST_IMAGES}" in title
        assert gallery.pictures and all(p.label != p.second for p in gallery.pictures)
        assert panel.test is not None
        for picture, index in zip(gallery.pictures, state.wrong, strict=False):
            assert picture.second == str(state.labels[index])
            assert picture.label == str(state.predictions[index])
        # A second run draws the first faintly behind it, with its test accuracy.
        await type_setting(pilot, panel, "lr", "0.02")
        await train(pilot, app, panel)
        chart = panel.query_one(AccuracyChart)
        assert chart.ghost is not None and len(chart.ghost.test_acc) == 3
        assert "before" in text_of(chart).splitlines()[0]
        history = str(panel.query_one(".train-history").render())
        assert "1. lr=0.02" in history and "2. lr=0.1" in history


async def test_chinese_panel_has_no_english_a_learner_reads(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(pilot, app)
        await train(pilot, app, panel)
        for widget in (panel.query_one(AccuracyChart), panel.query_one(ConfusionMatrix)):
            words = re.findall(r"[A-Za-z]{3,}", text_of(widget))
            assert not words, words
        # Beside the outline at 80 columns every column of the matrix still shows, 9 included.
        matrix = panel.query_one(ConfusionMatrix)
        app.screen.query_one("#content").scroll_to_widget(matrix, animate=False, top=True)
        await pilot.pause(0.2)
        assert text_of(matrix).splitlines()[1].rstrip().endswith("9")
        title = str(panel.query_one(".classify-wrong-title").render())
        assert title.startswith("分错的测试图片") and not re.search(r"[A-Za-z]", title)
        assert panel.border_title == "手写数字上的 softmax 回归"


async def test_narrow_terminals_do_not_break_the_panel(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "epochs", "1")
        await train(pilot, app, panel)
        gallery = panel.query_one(Gallery)
        app.screen.query_one("#content").scroll_to_widget(gallery, animate=False, top=True)
        await pilot.pause(0.2)
        assert gallery.shown >= 2 and gallery.size.width <= 60
        assert (
            max(len(line) for line in text_of(panel.query_one(ConfusionMatrix)).splitlines()) <= 58
        )


def finished_panel(run_before_lang: str = "en"):
    """A run_before that trains the panel to the end and scrolls to its chart."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        panel = await open_panel(pilot, app)
        await train(pilot, app, panel)
        app.clear_notifications()
        app.screen.query_one("#content").scroll_to_widget(
            panel.query_one(AccuracyChart), animate=False, top=True
        )
        await pilot.pause(0.3)

    return run_before


def test_finished_panel_snapshot(snap_compare, isolated_data_dir: Path) -> None:
    """You should see, from the top, the chart of a 3-epoch softmax run on the digits (the loss
    falling, train and test accuracy near the top at the right, '100%' and '0%' on the right axis),
    the confusion matrix with a green diagonal of counts and few red ones off it, and the start of
    the misclassified digits' title. The status line (steps per second) is scrolled out of view."""
    app = new_app(isolated_data_dir)
    assert snap_compare(app, terminal_size=(100, 30), run_before=finished_panel())


async def test_fashion_mnist_missing_falls_back_to_digits_and_says_so(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    lesson = (COURSE / "en" / "classify.md").read_text(encoding="utf-8")
    course = tmp_path / "course"
    (course / "en").mkdir(parents=True)
    (course / "en" / "classify.md").write_text(
        lesson.replace("dataset: digits", "dataset: fashion-mnist"), encoding="utf-8"
    )
    app = make_app(
        lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="classify"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "epochs", "1")
        await train(pilot, app, panel)
        note = str(panel.query_one(".train-message").render())
        assert "fashion-mnist" in note and "digits" in note
        assert panel.state.dataset == "digits" and panel.names[0] == "0"
        matrix = panel.query_one(ConfusionMatrix)
        assert matrix.names == [str(c) for c in range(10)]


async def test_one_step_at_a_time(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        send_key(app, "full_stop", ".")
        await until(pilot, lambda: panel.view.step == 1, what="one step")
        assert panel.view.phase == "paused" and panel.state.losses.count == 1
        send_key(app, "full_stop", ".")
        await until(pilot, lambda: panel.view.step == 2, what="a second step")
        assert panel.view.phase == "paused" and panel.state.losses.count == 2
        send_key(app, "x")
        await until(pilot, lambda: ended(panel), what="the stop")
        assert panel.view.phase == "stopped" and len(panel.history) == 1
