"""The backprop lesson's numbers are recomputed: its graph panels, the scalar table, the bias exercise, the memory count."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.graphs.compute import compute
from d2l_tui.graphs.expr import parse_graph
from d2l_tui.graphs.layout import place, short, sizes
from d2l_tui.kernel import Kernel
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.quiz.code_grading import grade_code
from d2l_tui.quiz.model import Quiz

mx = mxnet_or_skip()
# Imported only after mxnet_or_skip has set the NumPy aliases MXNet 1.9.1 needs.
from mxnet import autograd, nd

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

LANGS = ("zh", "en")
W1, X, W2, Y, LAMBD = 0.5, 2.0, 1.5, 1.0, 0.1
"""The scalar network the lesson steps through."""


def lesson(lang: str) -> Lesson:
    return load_lesson(shipped_lessons_dir() / lang / "backprop.md")


def block_data(lang: str, kind: str, block_id: str) -> dict[str, Any]:
    found = [b.data for b in lesson(lang).blocks if b.type == kind and b.data.get("id") == block_id]
    assert len(found) == 1, (lang, kind, block_id)
    return found[0]


def graph_numbers(lang: str, graph_id: str) -> dict[str, tuple[float, float]]:
    """Each box's (value, gradient) as the lesson's graph panel shows them, keyed by its sub-expression."""
    data = block_data(lang, "graph", graph_id)
    graph = parse_graph(data["expression"], data["inputs"])
    numbers = compute(graph)
    assert numbers.source == "mxnet"
    return {node.name: (numbers.values[node.index], numbers.grads[node.index]) for node in graph.nodes}


def _grad_at(value: float, rest: Any) -> tuple[float, float]:
    """J's value and its gradient in one intermediate, taken as the leaf that `rest` finishes J from."""
    leaf = nd.array([value])
    leaf.attach_grad()
    with autograd.record():
        j = rest(leaf)
    j.backward()
    return j.asscalar(), leaf.grad.asscalar()


def scalar_gradients() -> dict[str, float]:
    """The whole scalar J = ½(w₂ tanh(w₁x) − y)² + λ/2 (w₁² + w₂²) through autograd, at each intermediate."""
    def penalty(w1: Any, w2: Any) -> Any:
        return LAMBD / 2 * (w1 ** 2 + w2 ** 2)

    h = float(np.tanh(W1 * X))
    o = W2 * h
    j, dw1 = _grad_at(W1, lambda w1: ((W2 * nd.tanh(w1 * X) - Y) ** 2) / 2 + penalty(w1, W2))
    _, dw2 = _grad_at(W2, lambda w2: ((w2 * h - Y) ** 2) / 2 + penalty(W1, w2))
    _, dz = _grad_at(W1 * X, lambda z: ((W2 * nd.tanh(z) - Y) ** 2) / 2)
    _, dh = _grad_at(h, lambda hh: ((W2 * hh - Y) ** 2) / 2)
    _, do = _grad_at(o, lambda oo: ((oo - Y) ** 2) / 2)
    return {"h": h, "o": o, "J": j, "do": do, "dw2": dw2, "dw1": dw1, "dh": dh, "dz": dz, "tanh'": 1 - h ** 2}


@pytest.mark.parametrize("lang", LANGS)
def test_the_graph_panels_show_the_numbers_the_prose_quotes(lang: str) -> None:
    net = graph_numbers(lang, "backprop-graph-network")
    assert net["w1·x"][0] == pytest.approx(1.0)
    assert net["tanh(w1·x)"][0] == pytest.approx(0.7616, abs=5e-5)
    assert net["w2·tanh(w1·x)"][0] == pytest.approx(1.1424, abs=5e-5)
    assert net["w2"][1] == pytest.approx(0.7616, abs=5e-5)
    assert net["tanh(w1·x)"][1] == pytest.approx(1.5)
    assert net["w1·x"][1] == pytest.approx(0.63, abs=5e-3)
    assert net["w1"][1] == pytest.approx(1.26, abs=5e-3)
    objective = graph_numbers(lang, "backprop-graph-objective")
    assert block_data(lang, "graph", "backprop-graph-objective")["inputs"]["o"] == round(net["w2·tanh(w1·x)"][0], 4)
    top = "(o − 1)^2 / 2 + 0.05·(w1^2 + w2^2)"
    assert objective[top][0] == pytest.approx(0.1351, abs=5e-5)
    assert objective["(o − 1)^2 / 2"][0] == pytest.approx(0.0101, abs=5e-5)
    assert objective["0.05·(w1^2 + w2^2)"][0] == pytest.approx(0.125)
    assert objective["o"][1] == pytest.approx(0.1424, abs=5e-5)
    assert objective["w1"][1] == pytest.approx(LAMBD * W1)
    assert objective["w2"][1] == pytest.approx(LAMBD * W2)
    # Joining the panels gives the whole network's gradient (the check the lesson invites).
    assert net["w1"][1] * objective["o"][1] == pytest.approx(0.1794, abs=5e-5)


def test_the_scalar_table_is_what_autograd_gives_for_the_whole_objective() -> None:
    got = scalar_gradients()
    assert got["J"] == pytest.approx(0.1351, abs=5e-5)
    assert got["do"] == pytest.approx(0.1424, abs=5e-5)
    assert got["do"] * got["h"] == pytest.approx(0.1084, abs=5e-5)
    assert got["dw2"] == pytest.approx(0.2584, abs=5e-5)
    assert got["dh"] == pytest.approx(0.2136, abs=5e-5)
    assert got["tanh'"] == pytest.approx(0.42, abs=5e-3)
    assert got["dz"] == pytest.approx(0.0897, abs=5e-5)
    assert got["dz"] * X == pytest.approx(0.1794, abs=5e-5)
    assert got["dw1"] == pytest.approx(0.2294, abs=5e-5)
    for lang in LANGS:
        quiz = block_data(lang, "quiz", "backprop-graph-no-penalty")
        assert quiz["answer"] == pytest.approx(got["do"] * got["h"], abs=quiz["tolerance"]["abs"])
        # The quiz drops the penalty: its answer is not the table's ∂J/∂w₂ with λ.
        assert abs(quiz["answer"] - got["dw2"]) > quiz["tolerance"]["abs"]


def test_the_bias_exercise_matches_autograd_and_the_quoted_values() -> None:
    x = nd.array([[1], [2]])
    w1 = nd.array([[0.5, -0.5], [0.25, 1], [-1, 0.5]])
    b1 = nd.array([[0.1], [0], [-0.1]])
    w2 = nd.array([[1, -1, 0.5]])
    b2 = nd.array([[0.2]])
    for p in (w1, b1, w2, b2):
        p.attach_grad()
    with autograd.record():
        z = nd.dot(w1, x) + b1
        o = nd.dot(w2, nd.tanh(z)) + b2
        j = ((o - 1) ** 2).sum() / 2 + LAMBD / 2 * ((w1 ** 2).sum() + (w2 ** 2).sum())
    j.backward()
    assert z.asnumpy().ravel() == pytest.approx([-0.4, 2.25, -0.1])
    assert o.asscalar() == pytest.approx(-1.208, abs=5e-4)
    assert np.tanh(2.25) == pytest.approx(0.978, abs=5e-4)
    assert b1.grad.asnumpy().ravel() == pytest.approx([-1.889, 0.096, -1.093], abs=5e-4)
    assert b2.grad.asscalar() == pytest.approx(o.asscalar() - 1)
    for lang in LANGS:
        solution = block_data(lang, "quiz", "backprop-ex-bias")["solution"]
        namespace: dict[str, Any] = {"nd": nd}
        *body, last = solution.strip().splitlines()
        exec("\n".join(body), namespace)  # noqa: S102 - the shipped lesson's own solution, as check runs it
        assert eval(last, namespace).asnumpy() == pytest.approx(b1.grad.asnumpy(), abs=1e-6)


def test_the_bias_quiz_takes_the_autograd_route_and_refuses_dj_dh() -> None:
    data = block_data("en", "quiz", "backprop-ex-bias")
    quiz = Quiz.from_data(data)
    setup = data["starter"].strip()
    # The box starts with the same values the worked solution uses, in both languages.
    assert [line.split(" = ")[0] for line in setup.splitlines()] == ["x", "W1", "b1", "W2", "b2", "y"]
    for lang in LANGS:
        other = block_data(lang, "quiz", "backprop-ex-bias")
        assert other["starter"].strip() == setup and other["solution"].startswith(setup)
    with_autograd = setup + """
b1.attach_grad()
with autograd.record():
    o = nd.dot(W2, nd.tanh(nd.dot(W1, x) + b1)) + b2
    J = ((o - y) ** 2).sum() / 2 + 0.1 / 2 * ((W1 ** 2).sum() + (W2 ** 2).sum())
J.backward()
b1.grad"""
    without_tanh_grad = setup + "\nnd.dot(W2.T, nd.dot(W2, nd.tanh(nd.dot(W1, x) + b1)) + b2 - y)"
    with Kernel() as kernel:
        assert kernel.wait_ready(60)
        assert grade_code(quiz, with_autograd, kernel).outcome == "right"
        assert grade_code(quiz, without_tanh_grad, kernel).outcome == "wrong"


def test_the_relu_quiz_is_what_autograd_gives() -> None:
    z = nd.array([[1], [-2], [0.5]])
    head = nd.array([[0.5], [-1], [2]])
    z.attach_grad()
    with autograd.record():
        h = nd.relu(z)
    h.backward(head)
    for lang in LANGS:
        solution = block_data(lang, "quiz", "backprop-relu-dz")["solution"]
        namespace: dict[str, Any] = {"nd": nd}
        *body, last = solution.strip().splitlines()
        exec("\n".join(body), namespace)  # noqa: S102 - the shipped lesson's own solution
        assert eval(last, namespace).asnumpy() == pytest.approx(z.grad.asnumpy())
    assert z.grad.asnumpy().ravel() == pytest.approx([0.5, 0, 2])


@pytest.mark.parametrize("lang", LANGS)
def test_the_memory_count_runs_the_lessons_own_cell(lang: str) -> None:
    code = block_data(lang, "code", "backprop-memory")["code"]
    definition = code.split("\n\n")[0]
    assert definition.startswith("def forward_kept")
    namespace: dict[str, Any] = {"nd": nd}
    exec(definition, namespace)  # noqa: S102 - the shipped lesson's own cell
    kept = namespace["forward_kept"](5, 128, 32)
    counted = sum(a.size for a in kept)
    quiz = block_data(lang, "quiz", "backprop-memory-count")
    assert quiz["answer"] == counted == 40960
    assert counted * 4 // 1024 == 160
    # The cell's rows: arrays grow with depth, numbers with batch.
    assert sum(a.size for a in namespace["forward_kept"](3, 256, 256)) == 4 * sum(
        a.size for a in namespace["forward_kept"](3, 256, 64))


def test_zh_and_en_ask_the_same_questions_with_the_same_answers() -> None:
    def answers(lang: str) -> dict[str, Any]:
        return {b.data["id"]: (b.data.get("answer"), b.data.get("solution"), len(b.data.get("options") or []))
                for b in lesson(lang).blocks if b.type == "quiz"}

    assert answers("zh") == answers("en")
    assert len(answers("en")) >= 5
    kinds = {b.data["kind"] for b in lesson("en").blocks if b.type == "quiz"}
    assert {"choice", "multi", "numeric", "code"} <= kinds


def _cells_output(lang: str, drop: str = "") -> str:
    """What the forward, by-hand and autograd-check cells print, run in order in one namespace (`drop` cut from by-hand)."""
    namespace: dict[str, Any] = {"nd": nd, "autograd": autograd, "np": np}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(block_data(lang, "code", "backprop-forward")["setup"], namespace)  # noqa: S102 - the lesson's own cells
        exec(block_data(lang, "code", "backprop-forward")["code"], namespace)  # noqa: S102
        by_hand = block_data(lang, "code", "backprop-by-hand")["code"]
        assert not drop or drop in by_hand
        exec(by_hand.replace(drop, ""), namespace)  # noqa: S102
        exec(block_data(lang, "code", "backprop-check-autograd")["code"], namespace)  # noqa: S102
    return printed.getvalue()


@pytest.mark.parametrize("lang", LANGS)
def test_dropping_the_penalty_term_turns_the_w1_check_false_as_the_lesson_says(lang: str) -> None:
    right = _cells_output(lang).splitlines()
    assert right[-2:] == [line.rstrip() for line in block_data(lang, "code", "backprop-check-autograd")["expect"].splitlines()]
    wrong = _cells_output(lang, drop=" + lambd * W1").splitlines()
    assert wrong[-2].startswith("W1") and wrong[-2].endswith("False")
    assert wrong[-1].startswith("W2") and wrong[-1].endswith("True")


def test_the_whole_scalar_graph_has_14_boxes_and_is_too_wide_to_draw_at_100_columns() -> None:
    graph = parse_graph("(w2*tanh(w1*x) - 1)**2/2 + 0.05*(w1**2 + w2**2)", {"w1": W1, "x": X, "w2": W2})
    assert len(graph.nodes) == 14
    numbers = compute(graph)
    texts = [short(v) for v in numbers.values] + [f"∂ {short(g)}" for g in numbers.grads]
    columns = max(place(graph).column.values()) + 1
    narrowest = sizes(graph, texts, [short(v) for v in numbers.local.values()], columns, squeeze=2)
    assert narrowest.width > 100
    # Its two halves and the bias graph draw within a 100-column terminal's lesson pane
    # (the graph panel's drawing area is about 66 columns there, beside the outline).
    for graph_id in ("backprop-graph-network", "backprop-graph-objective", "backprop-graph-bias"):
        data = block_data("en", "graph", graph_id)
        half = parse_graph(data["expression"], data["inputs"])
        half_numbers = compute(half)
        texts = [short(v) for v in half_numbers.values] + [f"∂ {short(g)}" for g in half_numbers.grads]
        cols = max(place(half).column.values()) + 1
        assert sizes(half, texts, [short(v) for v in half_numbers.local.values()], cols, squeeze=2).width <= 64, graph_id
