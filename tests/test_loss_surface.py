"""The loss surface of linear regression and the SGD path a real MXNet run walks on it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.data import closed_form, make_dataset, mean_loss
from d2l_tui.training.events import Finished, Progress
from d2l_tui.training.loop import run
from d2l_tui.training.loss_surface import DENSE_STEPS, loss_bowl, path_bending, traced
from d2l_tui.ui.widgets.loss_surface import contour_canvas, view_range


@pytest.mark.parametrize("true_w", [(2.0, -3.4), (2.0, -3.4, 0.5), (1.5,)])
def test_the_bowl_is_the_loss_over_a_grid(true_w: tuple[float, ...]) -> None:
    config = TrainConfig(true_w=true_w, examples=500, noise=0.3, seed=4)
    data = make_dataset(config)
    exact = closed_form(data)
    bowl = loss_bowl(data, exact)
    assert bowl.names == (("w1", "w2") if len(true_w) > 1 else ("w1", "b"))
    for u in np.linspace(-3, 6, 7):
        for v in np.linspace(-7, 5, 7):
            if len(true_w) > 1:
                w, b = np.array([u, v, *exact.w[2:]]), exact.b
            else:
                w, b = np.array([u]), v
            direct = mean_loss(data, w, b)
            assert math.isclose(bowl.loss(u, v), direct, rel_tol=1e-9, abs_tol=1e-9), (u, v)
    assert math.isclose(bowl.loss(*bowl.centre), bowl.floor) and bowl.floor < 0.3**2


def run_path(**settings: object) -> tuple[list[tuple[float, float]], Finished]:
    events: list[object] = []
    final = run(TrainConfig(impl="scratch", seed=0, **settings), events.append, trace=True, fallback=False)
    assert isinstance(final, Finished), final
    return [point for e in events if isinstance(e, Progress) for point in e.path], final


def test_a_real_mxnet_run_records_its_path_from_the_start_to_the_closed_form() -> None:
    path, final = run_path(batch_size=10, epochs=3, lr=0.03)
    again, _ = run_path(batch_size=10, epochs=3, lr=0.03)
    assert path == again  # a fixed seed walks the same path
    assert len(path) == 1 + 300  # the start, then every step (a short run is traced in full)
    assert max(abs(v) for v in path[0]) < 0.05  # w starts near 0, as in the book
    assert path[-1] == (final.w[0], final.w[1])
    assert math.dist(path[-1], (2.0, -3.4)) < 0.01


def test_full_batches_walk_straight_and_small_batches_wander() -> None:
    noisy, _ = run_path(batch_size=10, epochs=3, lr=0.03)
    straight, _ = run_path(batch_size=1000, epochs=30, lr=0.5)
    # Cut each where it first comes within 0.05 of the exact point: the walk there, not the jitter.
    def walk(path: list[tuple[float, float]]) -> list[tuple[float, float]]:
        near = next(i for i, p in enumerate(path) if math.dist(p, (2.0, -3.4)) < 0.05)
        return path[: near + 1]

    assert path_bending(walk(straight)) < 1.001
    assert path_bending(walk(noisy)) > 1.02


def test_an_untraced_run_sends_no_path() -> None:
    events: list[object] = []
    run(TrainConfig(epochs=1), events.append)
    assert all(not e.path for e in events if isinstance(e, Progress))


def test_long_runs_trace_about_400_points() -> None:
    total = 1_000_000
    assert sum(traced(step, total) for step in range(1, total + 1)) <= DENSE_STEPS + 201
    assert all(traced(step, total) for step in range(1, DENSE_STEPS + 1))


def test_the_contours_are_rings_around_the_exact_point() -> None:
    data = make_dataset(TrainConfig())
    bowl = loss_bowl(data, closed_form(data))
    ranges = view_range(bowl)
    (u_low, u_high), (v_low, v_high) = ranges
    assert u_low < 0 and u_high > 2 and v_low < -3.4 and v_high > 0
    canvas = contour_canvas(bowl, 40, 10, ranges)
    rows = ["".join(text for text, _ in row) for row in canvas.rows([])]
    # The exact point is in the middle of the chart; rings cross the row through it on both sides.
    column = round((bowl.centre[0] - u_low) / (u_high - u_low) * 39)
    row = round((v_high - bowl.centre[1]) / (v_high - v_low) * 9)
    left, right = rows[row][:column - 1], rows[row][column + 2:]
    assert len(left.split()) >= 2 and len(right.split()) >= 2, rows


def test_show_names_only_known_parts() -> None:
    assert TrainConfig.from_mapping({"show": ["surface"]})[1] == []
    problems = TrainConfig.from_mapping({"show": ["surfce"]})[1]
    assert problems and "surface" in problems[0].message
    assert TrainConfig.from_mapping({"show": "surface"})[1][0].key == "show"


def test_a_path_prediction_is_graded_by_the_path_and_kept_with_its_ratio() -> None:
    from d2l_tui.quiz.predict import RunSummary, check_predict, option_holds
    from d2l_tui.quiz.predict_grading import grade_prediction, graded_answer, read_answer

    data = {
        "id": "p", "kind": "predict", "panel": "scratch", "prompt": "Straighter?",
        "options": [{"text": "straight", "outcome": {"path_bending_below": 1.02}},
                    {"text": "wobbly", "outcome": {"path_bending_above": 1.02}}],
    }
    assert check_predict(data) == []
    straight = RunSummary("scratch", {}, False, 5e-5, True, path_bending=1.0000022)
    assert option_holds({"path_bending_below": 1.02}, straight)
    assert not option_holds({"path_bending_above": 1.02}, straight)
    assert not option_holds({"path_bending_below": 1.02}, RunSummary("scratch", {}, False, 5e-5, True))
    grade = grade_prediction(data, 0, straight, "zh")
    assert grade.outcome == "right" and "1.000 倍" in grade.message
    option, kept, _ = read_answer(data, graded_answer(0, straight, None))
    assert option == 0 and kept is not None and kept.path_bending == straight.path_bending
