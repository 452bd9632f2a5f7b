"""The `surface` block's core: gradients and Hessians against closed forms and finite differences,
the Hessian's eigen-directions, gradient descent by learning rate, checks, and the picture's cells."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.plotfn import compile_expression
from d2l_tui.surfaces.calculus import curvature, eigen, gradient, hessian
from d2l_tui.surfaces.descent import behaviour, descend, gone
from d2l_tui.surfaces.model import Surface, SurfaceError, nudge_lr, validate_surface
from d2l_tui.surfaces.picture import Picture, arrow, band, levels, line, square_width

# (expression, ∇f, (f_xx, f_xy, f_yy)) in closed form.
CLOSED_FORMS = [
    ("x**2 + 2*y**2", lambda x, y: (2 * x, 4 * y), lambda x, y: (2, 0, 4)),
    ("x**2 - y**2", lambda x, y: (2 * x, -2 * y), lambda x, y: (2, 0, -2)),
    ("sin(x)*exp(y)", lambda x, y: (math.cos(x) * math.exp(y), math.sin(x) * math.exp(y)),
     lambda x, y: (-math.sin(x) * math.exp(y), math.cos(x) * math.exp(y), math.sin(x) * math.exp(y))),
    ("x*y**3 + x**2*y", lambda x, y: (y**3 + 2 * x * y, 3 * x * y**2 + x**2),
     lambda x, y: (2 * y, 3 * y**2 + 2 * x, 6 * x * y)),
]
POINTS = [(0.0, 0.0), (1.5, -0.5), (-1.2, 0.7)]


def f2(source: str):
    return compile_expression(source, ("x", "y"))


@pytest.mark.parametrize(("source", "grad", "hess"), CLOSED_FORMS)
def test_gradient_and_hessian_match_closed_forms(source, grad, hess) -> None:
    f = f2(source)
    for x, y in POINTS:
        assert gradient(f, x, y) == pytest.approx(grad(x, y), abs=1e-6)
        assert hessian(f, x, y) == pytest.approx(hess(x, y), abs=1e-4)


@pytest.mark.parametrize(("source", "grad", "hess"), CLOSED_FORMS)
def test_hessian_is_the_gradient_s_own_finite_difference(source, grad, hess) -> None:
    f, h = f2(source), 1e-4
    for x, y in POINTS:
        gx_right, gy_right = gradient(f, x + h, y)
        gx_left, gy_left = gradient(f, x - h, y)
        _, gy_up = gradient(f, x, y + h)
        _, gy_down = gradient(f, x, y - h)
        fxx, fxy, fyy = hessian(f, x, y)
        assert fxx == pytest.approx((gx_right - gx_left) / (2 * h), abs=1e-3)
        assert fxy == pytest.approx((gy_right - gy_left) / (2 * h), abs=1e-3)
        assert fyy == pytest.approx((gy_up - gy_down) / (2 * h), abs=1e-3)


def test_eigen_directions_satisfy_h_v_equals_lambda_v() -> None:
    rng = random.Random(7)
    for _ in range(200):
        a, b, c = (rng.uniform(-5, 5) for _ in range(3))
        shape = eigen(a, b, c)
        assert shape.lambdas[0] <= shape.lambdas[1]
        assert shape.lambdas[0] + shape.lambdas[1] == pytest.approx(a + c)  # trace
        assert shape.lambdas[0] * shape.lambdas[1] == pytest.approx(a * c - b * b, abs=1e-9)  # determinant
        for lam, (vx, vy) in zip(shape.lambdas, shape.directions, strict=True):
            assert math.hypot(vx, vy) == pytest.approx(1)
            assert (a * vx + b * vy, b * vx + c * vy) == pytest.approx((lam * vx, lam * vy), abs=1e-9)


def test_eigen_of_a_tilted_bowl_and_of_a_diagonal_one() -> None:
    tilted = eigen(2, 1, 2)
    assert tilted.lambdas == pytest.approx((1, 3))
    assert abs(tilted.directions[1][0]) == pytest.approx(abs(tilted.directions[1][1]))  # along x = y
    diagonal = eigen(4, 0, 2)
    assert diagonal.lambdas == (2, 4) and diagonal.directions == ((0.0, 1.0), (1.0, 0.0))


@pytest.mark.parametrize(
    ("source", "kind", "limit"),
    [("x**2 + 2*y**2", "minimum", 0.5), ("-x**2 - y**2", "maximum", None), ("x**2 - y**2", "saddle", 1.0), ("x**2", "flat", 1.0)],
)
def test_the_hessian_tells_minimum_maximum_saddle(source: str, kind: str, limit: float | None) -> None:
    shape = curvature(f2(source), 0.3, -0.2)
    assert shape.kind == kind
    assert shape.lr_limit == (None if limit is None else pytest.approx(limit, rel=1e-6))


def test_descent_on_a_quadratic_follows_its_closed_form() -> None:
    # On x² + 2y² each step multiplies x by (1 − 2·lr) and y by (1 − 4·lr).
    f = f2("x**2 + 2*y**2")
    for lr in (0.1, 0.3, 0.45, 0.55):
        path = descend(f, (1.5, 1.0), lr, 12)
        for k, (x, y) in enumerate(path):
            assert (x, y) == pytest.approx((1.5 * (1 - 2 * lr) ** k, 1.0 * (1 - 4 * lr) ** k), abs=1e-6)


@pytest.mark.parametrize(
    ("lr", "expected"),
    [(0.05, "converging"), (0.2, "converging"), (0.4, "oscillating"), (0.49, "oscillating"), (0.5, "oscillating"),
     (0.6, "diverging"), (1.5, "diverging")],
)
def test_learning_rate_against_two_over_lambda_max(lr: float, expected: str) -> None:
    # λmax = 4 on x² + 2y², so 2/λmax = 0.5: above it the y direction grows; between 0.25 and 0.5 it zigzags.
    f = f2("x**2 + 2*y**2")
    assert behaviour(f, descend(f, (1.5, 1.5), lr, 30)) == expected


def test_a_diverging_path_stops_once_it_is_gone() -> None:
    f = f2("x**2 + 2*y**2")
    path = descend(f, (1.5, 1.5), 3.0, 200)
    assert gone(path[-1]) and len(path) < 200
    assert behaviour(f, path) == "diverging"


def test_descent_leaves_a_saddle_and_settles_on_its_ridge() -> None:
    f = f2("x**2 - y**2")
    assert behaviour(f, descend(f, (1.5, 0.1), 0.1, 40)) == "escaping"
    assert behaviour(f, descend(f, (1.5, 0.0), 0.1, 40)) == "converging"  # exactly on the ridge: down to the saddle


def test_first_steps() -> None:
    f = f2("x**2 + 2*y**2")
    assert behaviour(f, [(1.0, 1.0)]) == "start"
    assert behaviour(f, descend(f, (1.0, 1.0), 0.1, 1)) == "converging"
    assert behaviour(f, descend(f, (1.0, 1.0), 0.9, 1)) == "diverging"


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        ({"function": "x + open('f')"}, "function", "unknown name 'open'"),
        ({"function": "x*z"}, "function", "use x, y, pi"),
        ({"function": "x**2 +"}, "function", "not a valid expression"),
        ({"function": "x", "x": [1, -1]}, "x", "two increasing numbers"),
        ({"function": "x", "y": [0]}, "y", "two increasing numbers"),
        ({"function": "x", "start": [5, 0]}, "start", "inside x [-2.0, 2.0]"),
        ({"function": "x", "lr": 0}, "lr", "above 0"),
        ({"function": "x", "steps": 0}, "steps", "from 1 to 200"),
        ({"function": "log(x) + y", "x": [-3, -1]}, "function", "no finite value"),
    ],
)
def test_bad_surfaces_are_explained(data: dict, key: str, message: str) -> None:
    findings = validate_surface(data)
    assert len(findings) == 1 and findings[0][0] == (key,) and message in findings[0][1]
    with pytest.raises(SurfaceError):
        Surface.from_block(data)


def test_check_names_the_line_of_a_bad_surface(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    path.write_text(
        "---\nid: l\ntitle: l\norder: 1\n---\n\n```surface\nfunction: x**2 + y**2\nx: [2, -2]\n```\n", encoding="utf-8"
    )
    problems = load_lesson(path).problems
    assert [(p.line, "two increasing numbers" in p.message) for p in problems] == [(9, True)]


def test_start_moves_inside_the_ranges_and_lr_nudges() -> None:
    surface = Surface.from_block({"function": "x**2 + y**2", "x": [-1, 1], "y": [0, 4], "start": [0.5, 3]})
    surface.move_start(1, 0)
    assert surface.start == (0.6, 3.0)
    surface.move_start(100, 100)
    assert surface.start == (1.0, 4.0)
    assert [nudge_lr(0.1, 1), nudge_lr(0.1, -1), nudge_lr(0.5, 1), nudge_lr(1.0, -1), nudge_lr(1.0, 1)] == [0.15, 0.09, 0.55, 0.95, 1.25]
    assert nudge_lr(0.01, -1) == 0.01  # never 0


def test_glyphs_and_bands() -> None:
    assert [arrow(d) for d in ((1, 0), (1, 1), (0, 1), (-1, 0), (0, -1), (1, -1))] == list("→↗↑←↓↘")
    assert arrow((0, 0)) == "∙"
    assert [line(1, 0), line(1, 1), line(0, 1), line(-1, 1), line(-1, 0)] == list("─╱│╲─")
    thresholds = levels([float(v) for v in range(80)], 8)
    assert thresholds == [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]
    assert [band(v, thresholds) for v in (0, 10, 79, math.nan)] == [0, 1, 7, -1]


@pytest.mark.parametrize("width", [24, 50, 96])
def test_picture_places_arrows_eigen_lines_and_the_path(width: int) -> None:
    surface = Surface.from_block({"function": "x**2 + 2*y**2", "start": [1.5, 1.5], "lr": 0.2})
    picture = Picture(surface, width, 12)
    path = descend(surface.f, surface.start, surface.lr, 5)
    cells = picture.cells(path, curvature(surface.f, *surface.start))
    assert len(cells) == 12 and all(len(row) == width for row in cells)
    marks = {cell.mark for row in cells for cell in row}
    assert {"", "contour", "arrow", "eigen1", "eigen2", "start", "path", "now"} <= marks
    column, row = picture.cell_of(path[-1])
    assert cells[row][column].glyph == "●"
    # The bowl's gradient points away from the middle: up-left in the top left corner (more left
    # when x is stretched across a wide picture: arrows show the step's direction as drawn).
    corner = next(c for r in cells[:3] for c in r[: width // 3] if c.mark == "arrow")
    assert corner.glyph == "↖" if width == square_width(surface, 12) else corner.glyph in "↖←"
    # λ1 = 2 is along x (a horizontal line through the start), λ2 = 4 along y (vertical).
    start_col, start_row = picture.cell_of(surface.start)
    assert {c.glyph for c in cells[start_row] if c.mark == "eigen1"} == {"─"}
    assert {r[start_col].glyph for r in cells if r[start_col].mark == "eigen2"} == {"│"}
    assert picture.cell_of((50.0, 0.0)) is None


def test_a_path_that_overflowed_is_drawn_without_its_lost_points() -> None:
    surface = Surface.from_block({"function": "exp(x*x) + y", "x": [-3, 3], "start": [2.5, 0], "lr": 100})
    path = descend(surface.f, surface.start, surface.lr, 50)
    assert gone(path[-1]) and not all(math.isfinite(v) for v in path[-1])
    picture = Picture(surface, 30, 10)
    assert picture.cell_of(path[-1]) is None and picture.cell_of((math.inf, 0.0)) is None
    cells = picture.cells(path, curvature(surface.f, *surface.start))
    assert sum(c.mark == "start" for row in cells for c in row) == 1
    assert behaviour(surface.f, path) == "diverging"


def test_the_surface_core_imports_neither_textual_nor_numpy() -> None:
    import subprocess
    import sys

    code = "import d2l_tui.surfaces.picture, d2l_tui.surfaces.descent, sys; print(' '.join(sys.modules))"
    modules = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout.split())
    assert "d2l_tui.surfaces.calculus" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "rich", "numpy", "mxnet")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calculus_lesson_s_surfaces_do_what_its_text_says(lang: str, shipped_course: Path) -> None:
    lesson = load_lesson(shipped_course / lang / "calculus.md")
    surfaces = {b.data["id"]: Surface.from_block(b.data) for b in lesson.blocks if b.type == "surface"}
    assert list(surfaces) == ["calculus-surface-bowl", "calculus-surface-cap", "calculus-surface-saddle", "calculus-surface-valley"]

    def run(name: str, lr: float | None = None) -> str:
        s = surfaces[name]
        return behaviour(s.f, descend(s.f, s.start, s.lr if lr is None else lr, s.steps))

    def shape(name: str):
        s = surfaces[name]
        return curvature(s.f, *s.start)

    assert shape("calculus-surface-bowl").kind == "minimum" and run("calculus-surface-bowl") == "converging"
    assert run("calculus-surface-bowl", 0.6) == "diverging"  # the lr = 0.6 quiz's answer, on the same panel
    assert shape("calculus-surface-cap").kind == "maximum" and run("calculus-surface-cap") == "escaping"
    assert shape("calculus-surface-saddle").lambdas == pytest.approx((-2, 2), abs=1e-6)
    assert run("calculus-surface-saddle") == "escaping"
    saddle = surfaces["calculus-surface-saddle"]
    path = descend(saddle.f, saddle.start, saddle.lr, saddle.steps)
    assert max(abs(p[1]) for p in path) <= 2 and abs(path[-1][1]) > 1  # carried off, still on the picture
    valley = surfaces["calculus-surface-valley"]
    assert shape("calculus-surface-valley").lr_limit == pytest.approx(0.2, rel=1e-6)
    assert run("calculus-surface-valley") == "oscillating"
    assert run("calculus-surface-valley", nudge_lr(valley.lr, 1)) == "diverging"  # "press + once (0.23)"
    assert nudge_lr(valley.lr, 1) == 0.23
    quizzes = {b.data["id"]: b.data for b in lesson.blocks if b.type == "quiz"}
    assert quizzes["calculus-surface-factor"]["answer"] == pytest.approx(1 - 0.4 * 4)
    assert quizzes["calculus-surface-predict"]["answer"] == 3
