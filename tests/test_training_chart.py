"""The loss chart after a diverged run, the history's marks, and the status line at narrow sizes (real MXNet)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.loss_chart import LossChart, loss_number
from d2l_tui.ui.widgets.training_parts import StatusLine
from test_training_panel import COURSE, ended, open_panel, send_key, type_setting, until


def new_app(data_dir: Path, lang: str = "en") -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang=lang, open_lesson="train")


async def test_after_a_diverged_run_the_next_chart_spans_its_own_losses(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "lr", "5")
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the doctor to stop the run")
        assert panel.view.phase == "diverged"
        chart = panel.query_one(LossChart)
        diverged_span = chart.span()
        assert diverged_span is not None
        top = loss_number(diverged_span[1])
        # The top of the chart is the loss the doctor's message names.
        assert top in chart.render_line(1).text and top in str(
            panel.query_one(".train-message").render()
        )
        await type_setting(pilot, panel, "lr", "0.03")
        send_key(app, "s")
        await until(
            pilot,
            lambda: ended(panel) and panel.config.lr == 0.03 and panel.view.config.lr == 0.03,
            what="the good run",
        )
        assert panel.view.phase == "finished", panel.view.message
        span = chart.span()
        assert chart.ghost and span is not None and span[1] < diverged_span[1] / 10
        assert span[1] == max(panel.view.curve.values())
        assert loss_number(span[1]) in chart.render_line(1).text
        history = str(panel.query_one(".train-history").render())
        # Each run's line names its settings; its mark, too long to follow it at this width, goes under it.
        assert "1. lr=0.03" in history and "← this run" in history.splitlines()[2]
        assert "2. lr=5" in history and "← the faint curve" in history.splitlines()[4]


async def test_the_status_line_wraps_instead_of_being_cut(isolated_data_dir: Path) -> None:
    wrapped = False
    for size, lang in (((80, 24), "en"), ((60, 20), "en"), ((60, 20), "zh"), ((44, 20), "zh")):
        app = new_app(isolated_data_dir, lang)
        async with app.run_test(size=size) as pilot:
            panel = await open_panel(pilot, app)
            status = panel.query_one(StatusLine)
            send_key(app, "full_stop", ".")  # one step, then paused: the longest status (time left)
            await until(
                pilot, lambda p=panel: p.view.phase == "paused" and p.view.step >= 1, what="a step"
            )
            await pilot.pause(0.2)
            shown = [status.render_line(y).text for y in range(status.size.height)]
            full = str(status.render())
            assert "".join(full.split()) == "".join("".join(shown).split()), (size, full, shown)
            assert all(len(line.rstrip()) <= status.size.width for line in shown)
            if cell_len(full) > status.size.width:
                assert status.size.height >= 2, shown
                wrapped = True
            send_key(app, "x")
            await until(pilot, lambda p=panel: ended(p), what="the stop")
    assert wrapped, "no size made the status line wrap"
