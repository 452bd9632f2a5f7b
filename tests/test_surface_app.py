"""The `surface` panel in the real app: stepping, run-all, reset, the learning rate by key and by
typing, moving the start, Chinese words, narrow terminals, and snapshots at 80 and 100 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.surface_panel import LrInput, SurfacePanel
from test_snapshots import settle

COURSE = Path(__file__).parent / "fixtures" / "surface_course"


async def open_bowl(pilot) -> SurfacePanel:
    """Settle the lesson and focus its first surface (the bowl, x² + 2y²)."""
    await settle(pilot)
    panel = pilot.app.screen.query(SurfacePanel).first()
    panel.focus()
    await pilot.pause()
    return panel


async def until(pilot, condition, seconds: float = 5.0) -> None:
    """Let the app run until `condition()` holds (a run-all draws one step per tick)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the panel did not get there in time")


def side_text(panel: SurfacePanel) -> str:
    """Every word the panel shows beside its picture."""
    return "\n".join(str(static.render()) for static in panel.query(".surface-side Static"))


async def test_stepping_running_resetting_and_moving_the_start(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="surfaces")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_bowl(pilot)
        assert not panel.has_class("-narrow")  # words beside the picture
        assert "step 0/20" in panel.status() and "λ1 = 2" in str(panel.legend()) and "λ2 = 4" in str(panel.legend())
        await pilot.press("space", "enter")
        assert panel.path[1:] == [pytest.approx((1.2, 0.9)), pytest.approx((0.96, 0.54))]  # x·(1 − 0.2), y·(1 − 0.4)
        assert "step 2/20 · (0.96, 0.54)" in side_text(panel)
        assert "●" in str(panel.query_one("SurfaceMap").render())
        await pilot.press("a")
        await until(pilot, lambda: len(panel.path) == 21)
        assert "converging" in panel.status()
        await pilot.press("space")  # all 20 steps taken: no more
        assert len(panel.path) == 21
        await pilot.press("r")
        assert panel.path == [(1.5, 1.5)]
        await pilot.press("left", "left", "down")
        assert panel.surface.start == pytest.approx((1.1, 1.3)) and panel.path == [panel.surface.start]
        await pilot.press("plus")
        assert panel.surface.lr == 0.15 and panel.query_one(LrInput).value == "0.15"
        for _ in range(7):
            await pilot.press("plus")
        assert panel.surface.lr == 0.5 and "right on it" in side_text(panel)
        await pilot.press("plus")
        assert "above it" in side_text(panel) and panel.query_one(".surface-lr").has_class("-above")


async def test_typing_a_learning_rate_above_two_over_lambda_max_diverges(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="surfaces")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_bowl(pilot)
        box = panel.query_one(LrInput)
        await pilot.press("tab")
        assert app.focused is box and box.cursor_position == len(box.value)
        await pilot.press("a", "r", "up", "space")  # text in the box, not the panel's keys
        assert box.value == "0.1ar " and panel.path == [(1.5, 1.5)] and panel.surface.start == (1.5, 1.5)
        assert panel.surface.lr == 0.1 and "type a number" in side_text(panel)
        await pilot.press(*["backspace"] * 6, "0", ".", "6")
        assert panel.surface.lr == 0.6 and "above it" in side_text(panel)
        await pilot.press("escape")
        assert app.focused is panel
        await pilot.press("a")
        await until(pilot, lambda: len(panel.path) == 21)
        assert "diverging" in panel.status()
        # The steepest direction (y, λ = 4) grows by |1 − 0.6·4| = 1.4 a step.
        assert abs(panel.path[-1][1]) == pytest.approx(1.5 * 1.4**20, rel=1e-4)


async def test_chinese_panel_speaks_chinese(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="surfaces")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_bowl(pilot)
        await pilot.press("space")
        text = side_text(panel)
        assert "极小值" in text and "第 1/20 步" in text and "学习率" in text and "正在收敛" in text
        # Only math and key names are Latin letters: no English word a learner reads.
        words = set(re.findall(r"[A-Za-z]{2,}", text))
        assert words <= {"max", "Tab"}, words
        saddle = app.screen.query(SurfacePanel)[1]
        assert "鞍点" in str(saddle.legend())


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_narrow_terminals_draw_the_panel(isolated_data_dir: Path, size: tuple[int, int]) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="surfaces")
    async with app.run_test(size=size) as pilot:
        panel = await open_bowl(pilot)
        await pilot.press("space", "a")
        await until(pilot, lambda: len(panel.path) == 21)
        await pilot.pause()
        assert panel.has_class("-narrow")  # the words go below the picture, which takes the whole width
        drawn = panel.query_one("SurfaceMap")
        assert drawn.size.width >= 20 and "●" in str(drawn.render())


async def _step_three(pilot) -> None:
    await open_bowl(pilot)
    await pilot.press("space", "space", "space")
    await pilot.pause()


def test_snapshot_bowl_at_100_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the bowl x² + 2y² as a heat map with contour dots and arrows, the start ○,
    three steps • and the current point ●, its λ1 = 2 / λ2 = 4 lines, and beside it the legend,
    lr 0.1 with 2/λmax = 0.5, and 'step 3/20 ... converging'."""
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="surfaces")
    assert snap_compare(app, terminal_size=(100, 30), run_before=_step_three)


def test_snapshot_chinese_bowl_at_80_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the same bowl at 80 columns, 10 rows tall across the panel's width, and below it
    every word in Chinese (起点、当前点、路径, 梯度, 碗底（极小值…）, 学习率 0.1 with 2/λmax = 0.5, 第 3/20 步)."""
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="surfaces")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_step_three)


async def test_the_learner_s_rate_start_and_path_survive_a_language_switch(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="surfaces")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_bowl(pilot)
        await pilot.press("plus", "left", "space", "space")
        kept = (panel.surface.lr, panel.surface.start, list(panel.path))
        assert kept[0] == 0.15 and len(kept[2]) == 3
        app.screen.query_one("LessonContent").focus()
        await pilot.press("l")
        await settle(pilot)
        again = app.screen.query(SurfacePanel).first()
        assert again is not panel and "第 2/20 步" in again.status()
        assert (again.surface.lr, again.surface.start, again.path) == kept
        assert again.query_one(LrInput).value == "0.15"


async def test_random_keys_on_the_panel_do_not_crash_it(isolated_data_dir: Path) -> None:
    import random

    from test_fuzz import press_randomly

    # No Esc: outside the rate's box it leaves the lesson (the app-wide fuzz test covers that).
    keys = ["space", "enter", "a", "r", "plus", "minus", "left", "right", "up", "down", "tab",
            "backspace", "0", "5", "9", ".", "e", "-", "x", "9", "9"]
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="surfaces")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_bowl(pilot)
        for round_ in range(8):  # focus the panel again after Tab took the keys elsewhere
            panel.focus()
            await press_randomly(app, pilot, random.Random(round_), keys, 60, "surface-panel", round_)
        assert app.is_running
