"""The overfitting panels in the real app: real MXNet poly (§3.11) and high-dim (§3.12) runs."""

from __future__ import annotations

from pathlib import Path

from test_classify_panel import COURSE, text_of
from test_training_panel import ended, send_key, until

from d2l_tui.training.models.poly import poly_data
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.classify_overfit import LossPairChart, PolyFitPlot
from d2l_tui.ui.widgets.classify_overfit_panel import OverfitPanel


def new_app(data_dir: Path, lang: str = "en") -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang=lang, open_lesson="overfit")


async def run_panel(pilot, app: TutorApp, index: int) -> OverfitPanel:
    await until(
        pilot, lambda: app.mxnet_ready and len(app.screen.query(OverfitPanel)) == 2, what="panels"
    )
    panel = list(app.screen.query(OverfitPanel))[index]
    panel.focus()
    app.screen.query_one("#content").scroll_to_widget(panel, animate=False, top=True)
    await pilot.pause()
    runs = len(panel.history)
    send_key(app, "s")
    await until(
        pilot, lambda: ended(panel) and len(panel.history) > runs, timeout=120, what="the run"
    )
    assert panel.view.phase == "finished", panel.view.message
    await pilot.pause(0.3)
    return panel


async def test_two_examples_overfit_a_cubic(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await run_panel(pilot, app, 0)
        assert panel.has_class("-wide")  # the loss chart and the fit side by side at 100 columns
        pair, fit = panel.query_one(LossPairChart), panel.query_one(PolyFitPlot)
        assert len(pair.train) == len(pair.test) == 20
        assert pair.test[-1] > 10 * pair.train[-1]  # the book's overfitting figure
        train_x, train_y, _, _ = poly_data(panel.config)
        assert fit.xs == train_x[:, 0].tolist() and fit.ys == train_y.tolist()
        assert fit.true == (5.0, 1.2, -3.4, 5.6)
        fitted = panel.state.measures[-1].coefficients  # the learned b, w₁, w₂, w₃ of the last epoch
        assert fit.fitted == fitted and len(fitted) == 4 and fitted != fit.true
        assert fit.words["fitted-curve"] in text_of(fit).splitlines()[0]
        assert "━ test" in text_of(pair).splitlines()[0]
        assert "‖w‖" in str(panel.query_one(".overfit-norm").render())


async def test_high_dim_in_chinese_at_80_columns(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await run_panel(pilot, app, 1)
        assert not panel.has_class("-wide") and not panel.query_one(PolyFitPlot).display
        pair = panel.query_one(LossPairChart)
        assert len(pair.test) == 10 and pair.test[-1] > pair.train[-1]
        assert text_of(pair).splitlines()[0].startswith("损失（对数）")
        assert str(panel.query_one(".overfit-norm").render()).startswith("最后一个周期后的 ‖w‖")
        assert panel.border_title == "训练：欠拟合与过拟合"
