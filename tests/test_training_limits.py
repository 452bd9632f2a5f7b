"""Values MXNet cannot take are refused in the panel's fields with words, never reached as an MXNetError."""

from __future__ import annotations

from pathlib import Path

from test_training_chart import new_app
from test_training_panel import ended, open_panel, send_key, type_setting, until


async def test_a_denormal_learning_rate_is_refused_and_the_run_keeps_the_last_good_one(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        field = await type_setting(pilot, panel, "lr", "1e-320")
        assert (
            field.has_class("-invalid") and "1e-30 到 1e+06" in field.note and "0.03" in field.note
        )
        epochs = await type_setting(pilot, panel, "epochs", "1e9")
        assert epochs.has_class("-invalid") and "100000" in epochs.note
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        assert panel.view.phase == "finished", panel.view.message
        assert panel.view.config.lr == 0.03 and panel.view.config.epochs == 3
