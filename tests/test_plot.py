"""The `plot` directive: checked functions, derivatives, and the panel in the real app."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.plotfn import FunctionPlot, PlotError, compile_function, derivative, math_text, validate_plot
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.function_plot import FunctionPlotPanel

COURSE = Path(__file__).parent / "fixtures" / "plot_course"


def test_functions_evaluate_and_differentiate() -> None:
    f = compile_function("3*x**2 - 4*x")
    assert f(2) == 4
    assert derivative(f, 1) == pytest.approx(2, abs=1e-6)
    assert compile_function("np.exp(x)")(1) == pytest.approx(math.e)
    assert math.isnan(compile_function("log(x)")(-1))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"function": "__import__('os')"}, "unknown name '__import__'"),
        ({"function": "__import__('os').system('true')"}, "unknown function 'system'"),
        ({"function": "x.__class__"}, "unknown function '__class__'"),
        ({"function": "3*x +"}, "not a valid expression"),
        ({"function": "x", "x": [2, 1]}, "two increasing numbers"),
        ({"function": "x", "x": [0, 1], "tangent_at": 5}, "between 0 and 1"),
        ({"function": "log(x)", "x": [-3, -1]}, "no finite value"),
    ],
)
def test_bad_plots_are_explained(data: dict, message: str) -> None:
    findings = validate_plot(data)
    assert findings and message in findings[0][1]
    with pytest.raises(PlotError):
        FunctionPlot.from_block(data)


def test_tangent_moves_inside_the_range() -> None:
    plot = FunctionPlot.from_block({"function": "x**2", "x": [0, 1], "tangent_at": 0.5, "editable": True})
    plot.move_tangent(100)
    assert plot.tangent_at == 1
    a, fa, slope = plot.tangent()
    assert (a, fa) == (1, 1) and slope == pytest.approx(2, abs=1e-6)


def test_check_reports_the_line_of_a_bad_function(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    path.write_text("---\nid: l\ntitle: l\norder: 1\n---\n\n```plot\ntitle: t\nfunction: open('x')\n```\n", encoding="utf-8")
    problems = load_lesson(path).problems
    assert [(p.line, "unknown name 'open'" in p.message) for p in problems] == [(9, True)]


async def test_plot_panel_draws_and_moves_its_tangent(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="plots")
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        panels = list(app.screen.query(FunctionPlotPanel))
        assert len(panels) == 2
        first = panels[0]
        drawn = str(first.render())
        assert "f'(1) ≈ 2" in drawn and any("\u2800" < ch <= "\u28ff" for ch in drawn)
        first.focus()
        await pilot.press("right", "right")
        assert first.plot.tangent_at == pytest.approx(1.2)
        assert "f'(1.2) ≈ 3.2" in str(first.render())
        second = str(panels[1].render())
        assert "tangent" not in second
        assert "plot-left" in _offered(app)
        panels[1].focus()
        await pilot.pause()
        assert "plot-left" not in _offered(app)  # a fixed plot offers no key that does nothing


def _offered(app: object) -> set[str]:
    """The ids of the bindings the focused widget offers now (what the footer shows)."""
    from textual.app import App

    assert isinstance(app, App)
    return {binding.id for _, binding, enabled, _ in app.active_bindings.values() if enabled and binding.id}


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("3*x**2 - 4*x", "3x² − 4x"),
        ("2*x * 2**maximum(0, log2(500/x) + (-log2(500/x)) % 1)", "2x·2^max(0, log2(500/x) + (−log2(500/x)) mod 1)"),
        ("0.5*(x - 170)**2", "0.5(x − 170)²"),
        ("np.exp(x)", "exp(x)"),
        ("x - (x - 1)", "x − (x − 1)"),
        ("2**-x", "2^(−x)"),
        ("1/(1 + exp(-x))", "1/(1 + exp(−x))"),
        ("abs(x)*pi", "|x|·π"),
    ],
)
def test_formulas_are_shown_as_the_lesson_s_math(source: str, shown: str) -> None:
    assert math_text(source) == shown


async def test_chinese_plot_legend_and_formula(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="calculus")
    async with app.run_test(size=(100, 40)) as pilot:
        from test_app import settle

        await settle(pilot, app)
        panel = app.screen.query(FunctionPlotPanel).first()
        drawn = str(panel.render())
        assert "3x² − 4x" in drawn and "**" not in drawn
        assert "处的切线" in drawn and "tangent" not in drawn and "move the point" not in drawn
