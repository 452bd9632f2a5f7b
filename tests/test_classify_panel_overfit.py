"""The overfitting pictures: train and test loss per epoch (log scale) and the fitted polynomial."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult
from textual.widget import Widget

from d2l_tui.ui.widgets.braille_canvas import BRAILLE_BLANK
from d2l_tui.ui.widgets.classify_overfit import LossPairChart, PolyFitPlot, poly_value

TRUE = (5.0, 1.2, -3.4, 5.6)
"""The book's §3.11 polynomial, from x⁰ up."""


class ChartsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LossPairChart(lang="zh")
        yield PolyFitPlot(lang="en")


def line(widget: Widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def dots(text: str) -> int:
    return sum(ord(c) > BRAILLE_BLANK and ord(c) < BRAILLE_BLANK + 256 for c in text)


def test_poly_value_is_the_polynomial() -> None:
    assert poly_value(TRUE, 2.0) == 5 + 1.2 * 2 - 3.4 * 4 + 5.6 * 8
    assert poly_value((), 3.0) == 0.0


async def test_losses_on_a_log_axis_and_the_fit_over_the_data() -> None:
    rng = np.random.default_rng(0)
    xs = rng.normal(size=20)
    ys = np.polyval(TRUE[::-1], xs) + rng.normal(scale=0.1, size=20)
    line_fit = np.polyfit(xs, ys, 1)[::-1]  # underfitting: a straight line through a cubic
    app = ChartsApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pair, fit = app.query_one(LossPairChart), app.query_one(PolyFitPlot)
        assert "按 s" in line(pair, 1) and "(the data appears" in line(fit, 1)
        pair.show([100.0, 10.0, 1.0], [120.0, 30.0, 20.0], epochs=4)
        fit.show(xs.tolist(), ys.tolist(), TRUE, line_fit.tolist())
        await pilot.pause()
        assert line(pair, 0).startswith("损失（对数）") and "━ 测试" in line(pair, 0)
        # Log axis: the labels are the smallest and largest losses, 1 and 120.
        assert line(pair, 1).strip().startswith("120") and line(pair, 8).strip().startswith("1")
        assert "4 个周期" in line(pair, 9)
        drawn = sum(dots(line(fit, y)) for y in range(1, 9))
        assert drawn > 20
        assert "fitted" in line(fit, 0)
        assert line(fit, 9).split()[0] == f"{xs.min():.3g}"


async def test_two_training_points_are_drawn_over_the_test_points_range() -> None:
    """With 2 training points the axis still spans where the test loss is measured, so the overfit
    curve is seen leaving the true one, instead of a close-up between the two points."""
    xs, ys = [-0.1, 0.12], [poly_value(TRUE, -0.1), poly_value(TRUE, 0.12)]
    app = ChartsApp()
    async with app.run_test(size=(80, 30)) as pilot:
        fit = app.query_one(PolyFitPlot)
        fit.show(xs, ys, TRUE, (5.0, 30.0), span=(-2.5, 2.4))
        await pilot.pause()
        axis = line(fit, 9).split()
        assert axis[0] == "-2.5" and axis[1] == "2.4"
        fit.show(xs, ys, TRUE, (5.0, 30.0))
        await pilot.pause()
        assert line(fit, 9).split()[0] == "-0.1"
