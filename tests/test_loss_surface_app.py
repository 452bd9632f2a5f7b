"""The loss-surface view of a training panel in the real app: `show: [surface]`, the v key,
the path redrawn while and after real MXNet trains, zh and en, snapshots of a finished run."""

from __future__ import annotations

import re
from pathlib import Path

from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.fit_plot import FitPlot
from d2l_tui.ui.widgets.loss_surface import LossSurface
from d2l_tui.ui.widgets.training_panel import TrainingPanel
from test_training_panel import ENGLISH_WORDS, ended, open_panel, panel_text, send_key, until

COURSE = Path(__file__).parent / "fixtures" / "loss_surface_course"
SURFACE, PLAIN = "#train-linreg-surface", "#train-linreg-plain"


def new_app(data_dir: Path, lang: str = "en") -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang=lang, open_lesson="surface")


def drawn(surface: LossSurface) -> str:
    return "\n".join(surface.render_line(y).text for y in range(surface.size.height))


async def test_show_surface_draws_the_path_of_a_real_run_to_the_exact_point(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app, SURFACE)
        surface = panel.query_one(LossSurface)
        assert panel.surface_shown and surface.display and surface.size.height == 11
        assert "the surface and the path appear when training starts" in drawn(surface)
        assert "v loss surface" in panel_text(panel)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        await pilot.pause(0.1)
        view = panel.view
        assert view.phase == "finished" and view.bowl is not None and len(view.path) == 301
        assert surface.bowl is view.bowl and surface.path[-1] == (view.w[0], view.w[1])
        text = drawn(surface)
        assert "loss surface (over w₁, w₂; the rest exact)" in text and "w₁" in text.splitlines()[-1]
        # The path's dots are drawn in the path's style, the exact point's in its own.
        styles = {segment.style for y in range(1, 10) for segment in surface.render_line(y)}
        path_style = surface.get_component_rich_style("loss-surface--path")
        exact_style = surface.get_component_rich_style("loss-surface--exact")
        assert any(s and s.color == path_style.color for s in styles)
        assert any(s and s.color == exact_style.color for s in styles)


async def test_v_toggles_the_surface_and_a_run_redraws_it(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app, PLAIN)
        surface = panel.query_one(LossSurface)
        assert not panel.surface_shown and not surface.display
        send_key(app, "v")
        await until(pilot, lambda: surface.display and surface.size.height == 11, what="the surface shown")
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        await until(pilot, lambda: len(surface.path) > 1, what="the path drawn")
        first = drawn(surface)
        assert surface.path[0] == panel.view.path[0]
        send_key(app, "v")
        await until(pilot, lambda: not surface.display, what="the surface hidden")
        assert panel.query_one(FitPlot).display  # the other charts stay
        # A second run with another rate walks another path, drawn when v shows the view again.
        panel.view.path = []
        send_key(app, "s")
        await until(pilot, lambda: panel.view.phase == "finished" and panel.view.path, what="the second run")
        send_key(app, "v")
        await until(pilot, lambda: surface.display and surface.path == panel.view.surface_path(), what="redrawn")
        assert drawn(surface) and first


async def test_a_chinese_surface_has_no_english_words(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir, "zh")
    async with app.run_test(size=(80, 30)) as pilot:
        panel = await open_panel(pilot, app, SURFACE)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        await pilot.pause(0.1)
        text = drawn(panel.query_one(LossSurface))
        assert "损失曲面（随 w₁、w₂ 变化，其余取解析解）" in text and "下降路径" in text
        assert not ENGLISH_WORDS.findall(text) and not re.search(r"\b(path|exact|surface)\b", text)
        assert "v 损失曲面" in panel_text(panel)


async def _finished_run(pilot) -> None:
    app = pilot.app
    panel = await open_panel(pilot, app, SURFACE)
    send_key(app, "s")
    await until(pilot, lambda: ended(panel), what="the run to end")
    await pilot.pause(0.2)
    # From the surface down: the fit plot above skips redraws whose line ends land on the same
    # dots, so its last line can differ by a dot from run to run.
    app.screen.query_one("#content").scroll_to_widget(panel.query_one(LossSurface), animate=False, top=True)
    await pilot.pause(0.2)


def test_snapshot_finished_run_with_the_surface_at_100_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the loss surface: grey contour rings
    around the green ✚ at (2, −3.4), the accent path from near (0, 0) wandering into it, w₁ along the
    bottom, w₂ at the top right; under it the learned, true and exact w and b."""
    assert snap_compare(new_app(isolated_data_dir), terminal_size=(100, 30), run_before=_finished_run)


def test_snapshot_chinese_finished_run_with_the_surface_at_80_columns(
    snap_compare, isolated_data_dir: Path
) -> None:
    """You should see the same at 80 columns, every word in Chinese (损失曲面, 下降路径, 解析解)."""
    app = new_app(isolated_data_dir, "zh")
    assert snap_compare(app, terminal_size=(80, 30), run_before=_finished_run)


async def test_the_scratch_lesson_s_path_prediction_is_graded_by_a_full_batch_run(
    isolated_data_dir: Path, shipped_course: Path
) -> None:
    from test_predict_app import cards, commit, said, wait_for_run

    app = make_app(lessons_dir=shipped_course, data_dir=isolated_data_dir, lang="en",
                   open_lesson="linear-regression-scratch")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.mxnet_ready and "linear-regression-scratch-predict-path" in cards(app),
                    what="the lesson and MXNet")
        card = cards(app)["linear-regression-scratch-predict-path"]
        panel = app.screen.query_one("#train-scratch-panel", TrainingPanel)
        assert panel.surface_shown  # the lesson asks for the surface
        await commit(pilot, app, card, 0)  # "nearly a straight line": right
        assert panel.config.batch_size == 1000 and panel.config.lr == 0.5  # the card filled the panel
        await open_panel(pilot, app, "#train-scratch-panel")  # five quizzes up: Tab would take long
        runs = len(panel.history)
        send_key(app, "s")
        await until(pilot, lambda: panel.view.active or len(panel.history) > runs, what=f"a run ({app.focused})")
        await wait_for_run(pilot, panel, runs)
        assert card.grade is not None and card.grade.outcome == "right", said(card)
        assert "times as long as a straight line" in said(card)
        assert len(panel.view.path) == 31 and panel.query_one(LossSurface).path[-1] == panel.view.path[-1]
