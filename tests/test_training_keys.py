"""A training panel's keys by keyboard: Tab into a setting puts the cursor in its box, and letters typed there are text."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.ui.widgets.loss_chart import LossChart
from d2l_tui.ui.widgets.training_settings import SettingInput
from test_training_chart import new_app
from test_training_panel import open_panel


async def test_tab_puts_the_cursor_in_a_setting_and_letters_there_are_text(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        await pilot.press("tab")
        box = app.focused
        assert isinstance(box, SettingInput) and box.name == "lr" and panel in box.ancestors
        assert box.cursor_position == len(box.value)  # the cursor is in the box, after the value
        chart = panel.query_one(LossChart)
        log = chart.log_scale
        await pilot.press("s", "r", "x", "y", "full_stop", "space")
        assert box.value == "0.03srxy. " and panel.view.phase == "idle" and chart.log_scale == log
        assert all(not panel.check_action(a, ()) for a in ("start", "reset", "step", "toggle_log"))
        await pilot.press("escape")  # back to the panel
        assert app.focused is panel
        await pilot.press("y")  # on the panel itself its keys work again
        assert chart.log_scale != log


async def test_a_message_with_brackets_is_shown_as_written(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        panel.view.message = (
            "MXNetError: [12:00:01] src/operator/x.cc:10: check failed: [bold]x[/bold]"
        )
        panel._show_notes()
        await pilot.pause()
        shown = str(panel.query_one(".train-message").render())
        assert "[12:00:01]" in shown and "[bold]x[/bold]" in shown
