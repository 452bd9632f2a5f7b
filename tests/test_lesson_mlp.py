"""The mlp lesson's numbers are recomputed with MXNet: parameter counts, activation gradients, quiz answers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.course.solutions import MARKDOWN_KEY
from d2l_tui.kernel import Kernel
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.quiz.code_grading import check_solutions, grade_code
from d2l_tui.quiz.model import Quiz
from mxnet_tests import mxnet_or_skip

mx = mxnet_or_skip()
from mxnet import autograd, init, nd  # noqa: E402  (after the NumPy aliases mxnet_or_skip sets)
from mxnet.gluon import nn  # noqa: E402

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

LANGS = ("zh", "en")


def lesson(lang: str) -> Lesson:
    return load_lesson(shipped_lessons_dir() / lang / "mlp.md")


def quiz_data(lang: str, quiz_id: str) -> dict[str, Any]:
    found = [b.data for b in lesson(lang).blocks if b.type == "quiz" and b.data.get("id") == quiz_id]
    assert len(found) == 1, (lang, quiz_id)
    return found[0]


def param_count(*layers: nn.Block, inputs: int) -> int:
    """How many numbers a stack of Gluon layers learns, measured after one forward pass."""
    net = nn.Sequential()
    net.add(*layers)
    net.initialize()
    net(nd.ones((1, inputs)))
    return sum(p.data().size for p in net.collect_params().values())


def grid_gradient(activation: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The book's grid, the activation on it and its autograd gradient."""
    x = nd.arange(-8.0, 8.0, 0.1)
    x.attach_grad()
    with autograd.record():
        y = getattr(x, activation)()
    y.backward()
    return x.asnumpy(), y.asnumpy(), x.grad.asnumpy()


@pytest.mark.parametrize("lang", LANGS)
def test_parameter_counts_the_lesson_quotes(lang: str) -> None:
    assert param_count(nn.Dense(5, activation="relu"), nn.Dense(3), inputs=4) == 43
    assert quiz_data(lang, "mlp-param-count")["answer"] == 43
    assert "15" in quiz_data(lang, "mlp-param-count")["explain"]
    assert param_count(nn.Dense(3), inputs=4) == 15
    assert param_count(nn.Dense(100), nn.Dense(3), inputs=4) == 803
    assert "803" in quiz_data(lang, "mlp-collapse-width")["explain"]


def test_two_linear_layers_equal_one_with_the_product_weights() -> None:
    mx.random.seed(1)
    X = nd.random.normal(shape=(7, 4))
    hidden, output = nn.Dense(5, bias_initializer=init.Normal(1)), nn.Dense(3, bias_initializer=init.Normal(1))
    for layer in (hidden, output):
        layer.initialize(init.Normal(1))
    two = output(hidden(X))
    W_h, b_h, W_o, b_o = hidden.weight.data().T, hidden.bias.data(), output.weight.data().T, output.bias.data()
    one = nd.dot(X, nd.dot(W_h, W_o)) + nd.dot(b_h, W_o) + b_o
    assert nd.abs(two - one).max().asscalar() < 1e-5
    assert nd.abs(output(hidden(X).relu()) - one).max().asscalar() > 0.1


@pytest.mark.parametrize("lang", LANGS)
def test_activation_gradients_the_lesson_quotes(lang: str) -> None:
    x, _, relu_grad = grid_gradient("relu")
    at = {v: int(np.flatnonzero(x == v)[0]) for v in (-2.0, 0.0, 2.0)}
    assert list(at.values()) == [60, 80, 100] and len(x) == 160
    assert relu_grad[at[0.0]] == 0.0
    zero = nd.array([0.0])
    zero.attach_grad()
    with autograd.record():
        y = nd.maximum(zero, 0)
    y.backward()
    assert zero.grad.asscalar() == 1.0  # nd.maximum sends a tie's gradient to x, as the lesson says
    _, s, s_grad = grid_gradient("sigmoid")
    assert s_grad.max() == pytest.approx(0.25) and x[s_grad.argmax()] == 0.0
    assert round(float(s_grad[at[2.0]]), 3) == round(float(s_grad[at[-2.0]]), 3) == 0.105
    assert round(float(s_grad[0]), 4) == 0.0003  # x = -8
    assert np.abs(s_grad - s * (1 - s)).max() < 1e-6
    _, t, t_grad = grid_gradient("tanh")
    assert t_grad.max() == pytest.approx(1.0) and x[t_grad.argmax()] == 0.0
    assert round(float(t_grad[at[2.0]]), 3) == 0.071
    assert np.abs(t_grad - (1 - t ** 2)).max() < 1e-6
    facts = quiz_data(lang, "mlp-activation-facts")
    assert "0.105" in facts["explain"] and "0.071" in facts["explain"]
    assert "0.0003" in quiz_data(lang, "mlp-sigmoid-grad-max")["explain"]
    assert quiz_data(lang, "mlp-sigmoid-grad-max")["answer"] == 0.25


@pytest.mark.parametrize("lang", LANGS)
def test_exercise_answers_match_the_derivative_formulas(lang: str) -> None:
    assert quiz_data(lang, "mlp-ex-sigmoid-grad")["answer"] == pytest.approx(0.8 * (1 - 0.8))
    assert quiz_data(lang, "mlp-ex-tanh-grad")["answer"] == pytest.approx(1 - 0.6 ** 2)
    assert 1 / (1 + np.exp(-np.log(4.0))) == pytest.approx(0.8)  # where the solutions evaluate
    assert np.tanh(np.log(2.0)) == pytest.approx(0.6)


def test_numeric_and_code_solutions_agree_with_the_answers() -> None:
    lessons = [lesson(lang) for lang in LANGS]
    check_solutions(lessons)
    problems = [p.message for one in lessons for p in one.problems]
    assert not problems, problems


def test_the_leaky_relu_quiz_takes_both_spellings_and_refuses_plain_relu() -> None:
    quiz = Quiz.from_data(quiz_data("en", "mlp-ex-leaky"))
    with Kernel() as kernel:
        assert kernel.wait_ready(60)
        for answer in ("x = nd.arange(-3, 4)\nnd.maximum(x, 0.01 * x)",
                       "nd.LeakyReLU(nd.arange(-3, 4), act_type='leaky', slope=0.01)"):
            assert grade_code(quiz, answer, kernel).outcome == "right", answer
        assert grade_code(quiz, "nd.arange(-3, 4).relu()", kernel).outcome == "wrong"


@pytest.mark.parametrize("lang", LANGS)
def test_worked_solutions_show_their_formulas_as_text(lang: str) -> None:
    bodies = [b.data[MARKDOWN_KEY] for b in lesson(lang).blocks if b.type == "solution"]
    assert len(bodies) == 3
    derivations = "\n".join(bodies[:2])
    assert "$$" not in derivations and "\\frac" not in derivations
    assert "σ′(x) = -u⁻² · du/dx" in derivations and "= 1 - tanh²(x)" in derivations
