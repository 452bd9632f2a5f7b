"""The underfit-overfit and weight-decay lessons' numbers are recomputed: panel runs, predictions, tables, cells."""

from __future__ import annotations

import dataclasses
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip
from lesson_parts import block, lesson, solution_text

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.datasets import load_digits
from d2l_tui.quiz.predict import RunSummary, option_holds, required_settings, settles
from d2l_tui.training.config import TrainConfig, format_setting
from d2l_tui.training.models import ModelFinished, run_model
from d2l_tui.training.models.high_dim import high_dim_data

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

mxnet_or_skip()

LANGS = ("zh", "en")
FIT, DECAY = "underfit-overfit", "weight-decay"


def prose(found: Lesson) -> str:
    return found.path.read_text(encoding="utf-8")


@cache
def trained(config: TrainConfig) -> ModelFinished:
    """A run of the engine the panels use; one run per distinct config (the panel's `editable` aside)."""
    final = run_model(config, lambda event: None)
    assert isinstance(final, ModelFinished), final
    return final


def run(model: str, **settings: Any) -> ModelFinished:
    """A run with the model's book defaults (from scratch, seed 0) under `settings`."""
    return trained(TrainConfig.for_model(model, settings))


def measures(model: str, **settings: Any) -> tuple[float, float, float]:
    m = run(model, **settings).epochs[-1].measures
    return m.train_loss, m.test_loss, m.weight_norm


def panel_config(found: Lesson, data: dict[str, Any]) -> TrainConfig:
    """The config a run gets once the card has filled the panel's fields, as `SettingsBox.show_settings` does."""
    panel = block(found, data["panel"]).data
    config, problems = TrainConfig.from_mapping(panel)
    assert not problems, problems
    # In the order the card hands them to the panel: a value the cross-checks refuse (2 examples
    # while the batch is still 10) would be skipped there, silently leaving the lesson's value.
    for name, value in required_settings(data, panel).items():
        config = config.with_setting(name, format_setting(value))
    return config


PREDICTIONS = {
    # quiz id: (lesson, index of the option the explanation calls right, numbers its explanation quotes)
    "underfit-overfit-predict-cubic": (FIT, 0, ("0.0072", "0.0067", "4.94", "1.11", "−3.37", "5.63")),
    "softmax-preview-poly-line": (FIT, 1, ("41", "76")),
    "underfit-overfit-predict-two-test": (FIT, 1, ("122", "0.0067")),
    "underfit-overfit-predict-two": (FIT, 0, ("1.6", "122", "75")),
    "weight-decay-predict-none": (DECAY, 0, ("2e-13", "124", "14.1")),
    "weight-decay-predict-test": (DECAY, 0, ("124", "0.0098", "14.1", "0.035")),
    "weight-decay-predict-three": (DECAY, 1, ("0.0004", "0.0098", "0.035", "14.1")),
}


@pytest.mark.parametrize("quiz_id", PREDICTIONS)
def test_each_prediction_is_borne_out_by_its_panel(course: Course, quiz_id: str) -> None:
    lesson_id, right, numbers = PREDICTIONS[quiz_id]
    for lang in LANGS:
        found = lesson(course, lesson_id, lang)
        data = block(found, quiz_id).data
        config = panel_config(found, data)
        final = trained(dataclasses.replace(config, editable=()))
        wanted = required_settings(data, block(found, data["panel"]).data)
        summary = RunSummary(data["panel"], config.settings(), diverged=False,
                             final_loss=final.epochs[-1].loss, completed=True, test_loss=final.epochs[-1].test_loss)
        assert settles({**data, "settings": wanted}, summary), (quiz_id, wanted, config.settings())
        holds = [option_holds(option["outcome"], summary) for option in data["options"]]
        assert holds[right] and not any(h for i, h in enumerate(holds) if i != right), (quiz_id, holds)
        for number in numbers:
            assert number in str(data["explain"]), (quiz_id, lang, number)


def test_the_numbers_the_poly_explanations_quote() -> None:
    train, test, _ = measures("poly", degree=3, examples=100)
    assert (round(train, 4), round(test, 4)) == (0.0072, 0.0067)
    coefficients = run("poly", degree=3, examples=100).epochs[-1].measures.coefficients
    assert [round(c, 2) for c in coefficients] == [4.94, 1.11, -3.37, 5.63]
    line_train, line_test, _ = measures("poly", degree=1, examples=100)
    assert (round(line_train), round(line_test)) == (41, 76)
    two_train, two_test, _ = measures("poly", degree=3, examples=2, batch_size=2)
    assert (round(two_train, 1), round(two_test)) == (1.6, 122)
    assert round(two_test / two_train) in range(74, 78)  # "some 75 times as large"


def test_the_numbers_the_high_dim_explanations_quote(course: Course) -> None:
    train, test, norm = measures("high-dim", weight_decay=0)
    assert f"{train:.0e}" == "2e-13" and round(test) == 124 and round(norm, 1) == 14.1
    for lang in LANGS:  # the unseen-directions quiz quotes the panel's ‖w‖ beside the cell's
        assert "14.1" in str(block(lesson(course, DECAY, lang), "weight-decay-unseen").data["prompt"])
    d_train, d_test, d_norm = measures("high-dim", weight_decay=3)
    assert (round(d_train, 4), round(d_test, 4), round(d_norm, 3)) == (0.0004, 0.0098, 0.035)
    assert d_train / train > 1e9  # "over a billion times λ = 0's"
    assert test / d_test > 1e4  # "more than ten thousand times smaller", the summary's "about ten thousand"
    assert test / d_test < 2e4


TUNE = (0, 0.1, 0.5, 1, 3, 10)


def table(text: str) -> dict[str, list[str]]:
    """The λ table of a worked solution: λ -> [training loss, test loss, ‖w‖] as written."""
    rows = re.findall(r"^\| ([\d.]+) \| (\S+) \| (\S+) \| (\S+) \|$", text, re.MULTILINE)
    return {lam: [train, test, norm] for lam, train, test, norm in rows}


def test_the_lambda_table_is_recomputed(course: Course) -> None:
    wanted = {format_setting(float(lam)): measures("high-dim", weight_decay=lam) for lam in TUNE}
    for lang in LANGS:
        rows = table(solution_text(lesson(course, DECAY, lang), "weight-decay-ex-tune"))
        assert set(rows) == set(wanted), rows
        for name, (train, test, norm) in wanted.items():
            shown = [float(v) for v in rows[name]]
            assert shown[0] == pytest.approx(train, rel=0.06), (name, "train")
            assert shown[1] == pytest.approx(test, rel=0.006), (name, "test")
            assert shown[2] == pytest.approx(norm, rel=0.006), (name, "norm")


def test_the_tune_quiz_and_its_explanation(course: Course) -> None:
    below_one = [lam for lam in (0.1, 0.5, 1, 3, 10) if measures("high-dim", weight_decay=lam)[1] < 1]
    assert below_one == [0.5, 1, 3, 10]
    assert round(measures("high-dim", weight_decay=0.1)[1]) == 37
    assert round(measures("high-dim", weight_decay=0.5)[1], 2) == 0.32
    assert all(0.0095 < measures("high-dim", weight_decay=lam)[1] < 0.0105 for lam in (1, 3, 10))
    best = min(TUNE, key=lambda lam: measures("high-dim", weight_decay=lam)[1])
    assert best == 3  # "the best λ, 3 here"
    for lang in LANGS:
        data = block(lesson(course, DECAY, lang), "weight-decay-ex-tune").data
        options = [float(o.split("=")[1]) for o in data["options"]]
        assert data["answer"] == [i for i, lam in enumerate(options) if lam in below_one]


def test_the_norm_is_what_the_decay_leaves_of_the_start() -> None:
    """The solution's hand calculation: unseen directions only decay, by (1 − ηλ) for 2,000 steps."""
    start = measures("high-dim", weight_decay=0)[2]
    steps = 100 * 20
    for lam, written in ((0.1, 7.7), (0.5, 0.70)):
        predicted = start * (1 - 0.003 * lam) ** steps
        assert predicted == pytest.approx(written, abs=0.05)
        assert measures("high-dim", weight_decay=lam)[2] == pytest.approx(predicted, rel=0.02)
    assert (1 - 0.003 * 3) ** steps == pytest.approx(1e-8, rel=0.5)  # "0.991^2000 is about 10^-8"
    assert (1 - 0.003 * 3) ** 200 == pytest.approx(0.16, abs=0.005)  # the cells' 200 steps


def test_a_constant_prediction_scores_what_the_solution_says() -> None:
    config = TrainConfig.for_model("high-dim", {})
    _, _, _, test_y = high_dim_data(config)
    assert round(float(np.mean((test_y - 0.05) ** 2 / 2)), 5) == 0.00995
    assert math.isclose(0.01 * math.sqrt(200), 0.14, abs_tol=0.005)  # the true w's norm
    assert math.isclose(math.sqrt(200), 14, abs_tol=0.2)


def test_the_kfold_quiz_counts_the_shipped_digits(course: Course) -> None:
    n = len(load_digits().train_y)
    assert n == 1438
    for lang in LANGS:
        data = block(lesson(course, FIT, lang), "underfit-overfit-kfold-size").data
        assert data["answer"] == n // 5 * 4 == 1148
        assert "287" in str(data["explain"]) and str(n - n // 5 * 5) in str(data["explain"])


CELL_QUOTES = {
    # cell id: numbers the lesson's prose quotes from that cell's output (its `expect`)
    (FIT, "underfit-overfit-normal"): ("0.099", "0.208", "1.6", "-3.12", "5.47", "4.49"),
    (FIT, "underfit-overfit-linear"): ("44", "161"),
    (FIT, "underfit-overfit-few"): ("0.81", "96.1", "1.15", "1.85", "3.63"),
    (FIT, "underfit-overfit-ex-line-data"): ("4.99", "1.19", "0.01", "0.00447", "0.21", "0.178", "36.6"),
    (FIT, "underfit-overfit-ex-floor"): ("0.0042",),
    (DECAY, "weight-decay-scratch-none"): ("0.00061", "55.6", "11.6"),
    (DECAY, "weight-decay-scratch-three"): ("0.0018", "2.64", "2.3"),
    (DECAY, "weight-decay-gluon-fit"): ("0.00049", "1.97", "2.18"),
}


@pytest.mark.parametrize("cell", CELL_QUOTES, ids=lambda cell: cell[1])
def test_the_prose_quotes_its_cells(course: Course, cell: tuple[str, str]) -> None:
    """Each number the prose takes from a cell is in that cell's `expect` (checked against a real run
    by test_lesson_code.py), so the prose cannot drift from what the learner sees."""
    lesson_id, cell_id = cell
    for lang in LANGS:
        found = lesson(course, lesson_id, lang)
        expect = str(block(found, cell_id).data["expect"])
        body = prose(found).replace(expect, "")  # the prose around, without the output itself
        for number in CELL_QUOTES[cell]:
            assert number in expect, (cell_id, number)
            assert number.replace("-", "−") in body or number in body, (lang, cell_id, number)


def final_losses(found: Lesson, cell_id: str) -> tuple[float, float]:
    """The (train, test) losses a `fit_and_plot` cell prints last."""
    found_line = re.findall(r"final epoch: train loss (\S+), test loss (\S+)", str(block(found, cell_id).data["expect"]))
    train, test = found_line[-1]
    return float(train), float(test)


def test_the_ratios_the_prose_draws_from_the_cells(course: Course) -> None:
    fit, decay = lesson(course, FIT, "en"), lesson(course, DECAY, "en")
    train, test = final_losses(fit, "underfit-overfit-few")
    assert test / train > 100  # "more than a hundred times higher"
    floor = re.findall(r"test (\S+)", str(block(fit, "underfit-overfit-ex-line-data").data["expect"]))
    assert round(float(floor[1]) / (0.1 ** 2 / 2)) in range(34, 37)  # 5 examples: "some 35 times the noise level"
    none_train, none_test = final_losses(decay, "weight-decay-scratch-none")
    three_train, three_test = final_losses(decay, "weight-decay-scratch-three")
    assert round(three_train / none_train) == 3  # "three times λ = 0's"
    assert round(none_test / three_test) in (20, 21)  # "about 20 times lower"
    assert float(str(block(fit, "underfit-overfit-ex-floor").data["expect"]).split()[0]) < 0.1 ** 2 / 2


async def test_the_two_example_prediction_fills_and_grades_the_real_panel(isolated_data_dir: Path) -> None:
    """In the app: committing it fills both fields (2 examples needs batch 2 first), a run grades it."""
    from test_app import settle
    from test_predict_app import cards, said, wait_for_run
    from test_training_panel import until

    from d2l_tui.ui.app import make_app
    from d2l_tui.ui.widgets.classify_overfit_panel import OverfitPanel

    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson=FIT)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await until(pilot, lambda: app.mxnet_ready, what="MXNet")
        card = cards(app)["underfit-overfit-predict-two"]
        panel = next(p for p in app.screen.query(OverfitPanel) if p.key == "softmax-preview-poly")
        app.screen.query_one("#content").scroll_to_widget(card, animate=False)
        card.focus()
        await pilot.pause()
        await pilot.press(str(card.order.index(0) + 1), "enter")
        await pilot.pause()
        assert card.pending and (panel.config.degree, panel.config.batch_size, panel.config.examples) == (3, 2, 2)
        panel.focus()
        await pilot.pause()
        runs = len(panel.history)
        await pilot.press("s")
        await wait_for_run(pilot, panel, runs)
        last = panel.state.measures[-1]
        assert last.test_loss > 50 * last.train_loss  # the overfitting the explanation describes
        assert card.grade is not None and card.grade.outcome == "right", said(card)
