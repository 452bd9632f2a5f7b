"""Issue 14's errata stay fixed: numbers recomputed, the GPU table against the lab's cards, quiz tolerances, pins and hints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lesson_parts import lesson, quiz_data

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Block, Lesson
from d2l_tui.gpulab.cards import CARDS
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.quiz.grading import grade_numeric
from d2l_tui.quiz.model import Quiz
from d2l_tui.quiz.predict import RunSummary, required_settings, settles
from d2l_tui.training.config import TrainConfig

LANGS = ("zh", "en")


def text_of(lesson_id: str, lang: str) -> str:
    return (shipped_lessons_dir() / lang / f"{lesson_id}.md").read_text(encoding="utf-8")


def table_rows(text: str, first: str) -> list[list[str]]:
    """The rows of every Markdown table whose header's first cell is `first`, header excluded."""
    rows, inside = [], False
    for line in text.splitlines():
        if not line.startswith("|"):
            inside = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == first:
            inside = True
        elif inside and not set(line) <= set("|-: "):
            rows.append(cells)
    return rows


def number(cell: str) -> float:
    return float(cell.replace("−", "-"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_calculus_difference_table_is_recomputed(lang: str) -> None:
    """Each row of f(x) = 3x² − 4x at x = 1: f(1+h), the change and the rate, as printed, from the function."""
    rows = table_rows(text_of("calculus", lang), "$h$")
    assert [row[0] for row in rows] == ["0.1", "0.01", "0.001"]
    def f(x: float) -> float:
        return 3 * x**2 - 4 * x

    for h_cell, value, change, rate in rows:
        h = float(h_cell)
        assert number(value) == pytest.approx(f(1 + h), abs=1e-9), h_cell
        assert number(change) == pytest.approx(f(1 + h) - f(1), abs=1e-9), h_cell
        assert number(rate) == pytest.approx((f(1 + h) - f(1)) / h, abs=1e-9), h_cell


@pytest.mark.parametrize("lang", LANGS)
def test_the_gpu_lesson_table_and_the_labs_cards_agree(lang: str) -> None:
    """Every card in the lab appears in the lesson's table with the same compute, tensor-core fp16 and bandwidth."""
    header = "显卡" if lang == "zh" else "Card"
    rows = {row[0]: row[1:] for row in table_rows(text_of("gpu", lang), header)}
    assert set(rows) == {card.name for card in CARDS}
    for card in CARDS:
        fp32, fp16, _memory, bandwidth = rows[card.name]
        assert number(fp32) == card.fp32_tflops, card.name
        assert fp16 == ("—" if card.fp16_tflops is None else f"{card.fp16_tflops:g}"), card.name
        assert number(bandwidth) == card.bandwidth_gbs, card.name


def test_consumer_cards_with_tensor_cores_have_their_fp16_figures() -> None:
    by_name = {card.name: card for card in CARDS}
    assert by_name["GTX 1080 Ti"].fp16_tflops is None  # Pascal: no tensor cores
    for name in ("RTX 2080 Ti", "RTX 3090", "RTX 4090"):
        card = by_name[name]
        assert card.kind == "consumer" and card.fp16_tflops is not None
        assert card.fp16_tflops >= 1.99 * card.fp32_tflops, name  # the lesson: "about twice or more"


@pytest.mark.parametrize("lang", LANGS)
def test_the_approximation_quiz_takes_the_estimate_not_the_exact_value(course: Course, lang: str) -> None:
    quiz = Quiz.from_data(quiz_data(lesson(course, "calculus", lang), "calculus-approx-estimate"))
    assert grade_numeric(quiz, "9.06", lang).outcome == "right"
    assert grade_numeric(quiz, str(3.01**2), lang).outcome != "right"  # 9.0601, the value the estimate approximates


def predict_quizzes(course: Course, lang: str) -> list[tuple[Lesson, dict[str, Any], Block]]:
    found = []
    for item in course.in_language(lang):
        panels = {b.data.get("id"): b for b in item.blocks if b.type == "train"}
        for block in item.blocks:
            if block.type == "quiz" and block.data.get("kind") == "predict":
                found.append((item, block.data, panels[block.data["panel"]]))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_predict_quiz_pins_every_setting_its_panel_lets_the_learner_change(course: Course, lang: str) -> None:
    quizzes = predict_quizzes(course, lang)
    assert len(quizzes) >= 6
    for item, data, panel in quizzes:
        editable = TrainConfig.from_mapping(panel.data)[0].editable
        assert set(editable) <= set(data.get("settings") or {}), (item.id, data["id"])


def test_a_leftover_setting_does_not_grade_a_prediction() -> None:
    """The quiz pins only lr; a run that kept an earlier batch size of 1000 is not about the quiz's run."""
    panel = {"id": "p", "lr": 0.03, "batch_size": 10, "epochs": 3, "editable": ["lr", "batch_size", "epochs", "noise"]}
    quiz = {"id": "q", "kind": "predict", "panel": "p", "settings": {"lr": 3}}
    wanted = required_settings(quiz, panel)
    assert wanted == {"lr": 3, "batch_size": 10, "epochs": 3, "noise": 0.01}
    pinned = {**quiz, "settings": wanted}
    base = {"lr": 3.0, "batch_size": 10, "epochs": 3, "noise": 0.01}
    run = RunSummary("p", base, diverged=True, final_loss=None, completed=False)
    leftover = RunSummary("p", {**base, "batch_size": 1000}, diverged=False, final_loss=20.0, completed=True)
    assert settles(pinned, run)
    assert not settles(pinned, leftover)
    assert settles(quiz, leftover), "without the lesson's settings the leftover run would have graded it"


GIVEAWAYS = {
    # quiz id: text that gave the answer (or the last step to it) away
    "calculus-partial-x2": ("4 + 6x_2", "6x_2"),
    "calculus-quadratic-grad": ("2x_1 + 6x_2",),
    "autograd-why-4x": ("4\\mathbf{x}",),
    "ndarray-equal-count": ("2 1 4 3", "0 1 2 3"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_hints_nudge_without_giving_the_answer_away(course: Course, lang: str) -> None:
    for lesson_id, quiz_id in (("calculus", "calculus-partial-x2"), ("calculus", "calculus-quadratic-grad"),
                               ("autograd", "autograd-why-4x"), ("ndarray", "ndarray-equal-count")):
        data = quiz_data(lesson(course, lesson_id, lang), quiz_id)
        hint = str(data["hint"])
        assert hint and not any(given in hint for given in GIVEAWAYS[quiz_id]), (lang, quiz_id)
        assert not re.search(rf"(?<![\d.]){re.escape(str(data['answer']))}(?![\d.])", hint), (lang, quiz_id)


def test_a_softmax_without_keepdims_raises_for_a_batch_that_is_not_square(course: Course) -> None:
    """What the softmax quiz's explanation says MXNet does with (2, 3) ÷ (2,), and with a square batch."""
    from d2l_tui.mxnet_env import load_mxnet

    load_mxnet()  # first: the NumPy aliases MXNet 1.9.1 needs on NumPy 1.24+
    from mxnet import base, nd

    scores = nd.array([[1, 2, 3], [0, 0, 0]])
    with pytest.raises(base.MXNetError):
        (scores.exp() / scores.exp().sum(axis=1)).wait_to_read()
    square = nd.array([[1, 2], [0, 0]])
    wrong = (square.exp() / square.exp().sum(axis=1)).asnumpy()
    assert abs(wrong.sum(axis=1) - 1).max() > 0.1  # no error, and the rows do not sum to 1
    for lang in LANGS:
        explain = quiz_data(lesson(course, "softmax-regression", lang), "softmax-preview-code")["explain"]
        assert "MXNet" in explain and ("(2, 3)" in explain)


@pytest.mark.parametrize("lang", LANGS)
def test_the_regression_lessons_print_their_own_losses_beside_the_books(lang: str) -> None:
    scratch = text_of("linear-regression-scratch", lang)
    for printed in ("epoch 1, loss 0.040579", "epoch 2, loss 0.000157", "epoch 3, loss 0.000051"):
        assert printed in scratch  # the cell's expect, checked against a real run by test_lesson_code
    for said in ("0.0406", "1.57e-4", "5.1e-5", "0.035", "1.3e-4"):
        assert said in scratch and said in text_of("linear-regression-gluon", lang), said


@pytest.mark.parametrize("lang", LANGS)
def test_no_lesson_promises_an_install_from_a_package_index(lang: str) -> None:
    for item in ("environment", "preface"):
        assert "pip install d2l-tui" not in text_of(item, lang)
    assert "uv run d2l-tui" in text_of("environment", lang) and "pip install ." in text_of("environment", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_calculus_lesson_names_the_jacobian_and_reads_curvature_from_eigenvalues(course: Course, lang: str) -> None:
    found = lesson(course, "calculus", lang)
    text = text_of("calculus", lang)
    assert ("雅可比矩阵" if lang == "zh" else "Jacobian") in text
    assert "2/\\lambda_{\\max}" in text
    saddle = Quiz.from_data(quiz_data(found, "calculus-saddle"))
    assert saddle.answer == 2  # eigenvalues 3 and −1: one up, one down
    limit = Quiz.from_data(quiz_data(found, "calculus-step-limit-quiz"))
    eigenvalues = (0.5, 4.0)
    assert grade_numeric(limit, str(2 / max(eigenvalues)), lang).outcome == "right"
    assert grade_numeric(limit, str(2 / min(eigenvalues)), lang).outcome != "right"


def test_gradient_descent_on_a_quadratic_stops_converging_at_two_over_the_largest_eigenvalue() -> None:
    """The rule the calculus lesson teaches, checked on a random symmetric positive-definite Hessian."""
    import numpy as np

    rng = np.random.default_rng(0)
    q = rng.normal(size=(4, 4))
    hessian = q @ q.T + 0.1 * np.eye(4)
    limit = 2 / np.linalg.eigvalsh(hessian).max()

    def after(lr: float) -> float:
        x = np.ones(4)
        for _ in range(2000):
            x = x - lr * hessian @ x
        return float(np.abs(x).max())

    assert after(0.98 * limit) < 1e-3 and after(1.02 * limit) > 1e3


@pytest.mark.parametrize("lang", LANGS)
def test_the_scratch_lesson_holds_out_a_test_set_and_introduces_d2lzh(course: Course, lang: str) -> None:
    """Generalisation is named (and measured on held-out data) before chapter 3's later sections need it."""
    found = lesson(course, "linear-regression-scratch", lang)
    ids = [b.data.get("id") for b in found.blocks]
    assert ids.index("linear-regression-scratch-train") < ids.index("linear-regression-scratch-test-set")
    cell = found.blocks[ids.index("linear-regression-scratch-test-set")].data
    train_loss, test_loss = (float(line.split()[-1]) for line in str(cell["expect"]).splitlines())
    assert test_loss == pytest.approx(train_loss, rel=0.2) and test_loss < 1e-4  # both at the noise floor
    assert "X_test" in cell["code"] and "RandomState(1)" in cell["code"]
    text = text_of("linear-regression-scratch", lang)
    assert ("泛化" if lang == "zh" else "generalisation") in text
    assert "import d2lzh as d2l" in text and "d2lzh" in text


LEFTOVER_LESSON = """---
id: leftover
title: Leftovers
order: 1
---

# Leftovers

```train
id: linreg
title: Small run
impl: scratch
lr: 0.3
batch_size: 10
epochs: 2
examples: 200
editable: [lr, batch_size]
```

```quiz
id: predict-big-lr
kind: predict
panel: linreg
settings: {lr: 3}
prompt: With a learning rate of 3 (and the lesson's batch size of 10), what will the loss do?
options:
  - {text: It falls to the noise floor, outcome: converges}
  - {text: It blows up and the run diverges, outcome: diverges}
explain: Every step overshoots the minimum by more than it started from.
```
"""


async def test_a_run_with_a_leftover_batch_size_does_not_grade_the_prediction(
    tmp_path: Path, isolated_data_dir: Path
) -> None:
    """The quiz names only lr: committing fills in lr 3 and the lesson's batch size over a leftover 200; a run with 200 is refused."""
    from textual.widgets import Static

    from d2l_tui.ui.app import make_app
    from d2l_tui.ui.widgets.quiz_card import QuizCard
    from d2l_tui.ui.widgets.training_panel import TrainingPanel
    from d2l_tui.ui.widgets.training_parts import SettingInput
    from test_predict_app import SIZE, commit, said, shown, tab_to, wait_for_run

    course_dir = tmp_path / "course"
    (course_dir / "en").mkdir(parents=True)
    (course_dir / "en" / "leftover.md").write_text(LEFTOVER_LESSON, encoding="utf-8")
    app = make_app(lessons_dir=course_dir, data_dir=isolated_data_dir, lang="en", open_lesson="leftover")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        card = app.screen.query_one(QuizCard)
        panel = app.screen.query_one(TrainingPanel)
        lr_box, batch_box = panel.query(SettingInput)
        assert "with lr = 3, batch_size = 10." in shown(card.query_one("#about", Static))
        await tab_to(pilot, app, batch_box)
        await pilot.press("home", "ctrl+k", *"200")  # left over from playing earlier
        await commit(pilot, app, card, 1)  # "it diverges"
        assert (lr_box.value, batch_box.value) == ("3", "10"), "the panel shows the run the prediction is about"
        assert (panel.config.lr, panel.config.batch_size) == (3, 10)
        assert "check the values filled in" in said(card)

        await tab_to(pilot, app, batch_box)
        await pilot.press("home", "ctrl+k", *"200", "enter")  # changed again after committing
        await wait_for_run(pilot, panel, 0)
        assert card.pending and card.grade is None, "a leftover batch size must not grade the prediction"
        assert "batch_size = 200" in said(card) and "batch_size = 10" in said(card)
        assert "lr" not in said(card).split("That run used")[-1].split(";")[0], "only the setting that differs is named"

        await tab_to(pilot, app, batch_box)
        await pilot.press("home", "ctrl+k", *"10", "enter")
        await wait_for_run(pilot, panel, 1)
        assert card.grade is not None and card.grade.outcome == "right", said(card)
