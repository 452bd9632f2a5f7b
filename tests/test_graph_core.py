"""The `graph` block's core: parsing, MXNet's numbers against hand-written autograd, the rules, the steps."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from d2l_tui.course.loader import load_lesson
from d2l_tui.graphs.block import GraphBlock, validate_graph
from d2l_tui.graphs.compute import compute_mxnet, compute_python
from d2l_tui.graphs.expr import GraphError, parse_graph
from d2l_tui.graphs.layout import as_list, draw
from d2l_tui.graphs.stepper import Stepper
from d2l_tui.graphs.steps import describe, forward_end, steps_of, view_at
from d2l_tui.mxnet_env import load_mxnet

CASES: list[tuple[str, dict[str, float], Callable[..., Any]]] = [
    ("(x + y)*z", {"x": -2, "y": 5, "z": -4}, lambda nd, x, y, z: (x + y) * z),
    ("sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 3}, lambda nd, w, x, b: nd.sigmoid(w * x + b)),
    ("x*(x + y)", {"x": 3, "y": 2}, lambda nd, x, y: x * (x + y)),
    ("exp(-x) + x**2 - 2*x", {"x": 0.5}, lambda nd, x: nd.exp(-x) + x**2 - 2 * x),
    ("log(a)/b - tanh(a*b)", {"a": 2, "b": -0.5}, lambda nd, a, b: nd.log(a) / b - nd.tanh(a * b)),
    ("relu(u - 1) + sin(u)*cos(v)", {"u": 1.5, "v": 0.3}, lambda nd, u, v: nd.relu(u - 1) + nd.sin(u) * nd.cos(v)),
    ("2**a + a**b + 1/a", {"a": 1.7, "b": 2.5}, lambda nd, a, b: 2**a + a**b + 1 / a),
]


@pytest.mark.parametrize(("source", "inputs", "by_hand"), CASES, ids=[c[0] for c in CASES])
def test_numbers_match_mxnet_autograd_and_the_rules(source: str, inputs: dict[str, float], by_hand: Callable[..., Any]) -> None:
    mx = load_mxnet()
    graph = parse_graph(source, inputs)
    numbers = compute_mxnet(graph, mx)
    # The same expression written by hand in MXNet: its value and its inputs' gradients.
    leaves = {name: mx.nd.array([value], dtype="float64") for name, value in inputs.items()}
    for leaf in leaves.values():
        leaf.attach_grad()
    with mx.autograd.record():
        out = by_hand(mx.nd, *leaves.values())
    out.backward()
    assert numbers.source == "mxnet"
    assert numbers.values[-1] == pytest.approx(out.asscalar(), rel=1e-9)
    for node in graph.nodes:
        if node.op == "input":
            assert numbers.grads[node.index] == pytest.approx(leaves[node.name].grad.asscalar(), rel=1e-9, abs=1e-12)
    # The textbook rules in plain Python give every node's and edge's number too.
    rules = compute_python(graph)
    assert rules.values == pytest.approx(numbers.values, rel=1e-9)
    assert rules.grads == pytest.approx(numbers.grads, rel=1e-9, abs=1e-12)
    assert rules.local.keys() == numbers.local.keys()
    for edge, local in numbers.local.items():
        assert rules.local[edge] == pytest.approx(local, rel=1e-9, abs=1e-12)


def test_a_node_used_twice_adds_up_its_gradient_step_by_step() -> None:
    graph = parse_graph("x*(x + y)", {"x": 3, "y": 2})
    numbers = compute_python(graph)
    steps = steps_of(graph)
    x = next(n.index for n in graph.nodes if n.name == "x")
    shown = [view_at(graph, numbers, steps, i).grads.get(x) for i in range(len(steps))]
    # × hands x its share (x + y = 5) first, then + hands back 1 × 1... times ×'s gradient x = 3.
    assert [g for g in shown if g is not None] == [5.0, 8.0]
    assert numbers.grads[x] == 8.0


def test_step_lines_name_the_rules() -> None:
    graph = parse_graph("(x + y)*z", {"x": -2, "y": 5, "z": -4})
    numbers = compute_python(graph)
    steps = steps_of(graph)
    assert [s.phase for s in steps] == ["start", "forward", "forward", "seed", "backward", "backward"]
    assert forward_end(steps) == 2
    lines = [describe(graph, numbers, steps, i, "en") for i in range(len(steps))]
    assert lines[2] == "Forward 2/2: (x + y)·z = -12"
    assert "multiply swaps the inputs" in lines[4] and "x + y gets 1 × -4 = -4" in lines[4] and "z gets 1 × 3 = 3" in lines[4]
    assert "add hands the gradient on unchanged" in lines[5]
    zh = [describe(graph, numbers, steps, i, "zh") for i in range(len(steps))]
    assert "乘法交换输入" in zh[4] and "加法把梯度原样传下去" in zh[5]
    assert not any(word in "".join(zh) for word in ("Forward", "Backward", "gets", "Inputs"))


@pytest.mark.parametrize(
    ("source", "inputs", "message"),
    [
        ("softmax(x)", {"x": 1}, "unknown function 'softmax'"),
        ("x + q", {"x": 1}, "'q', which is not one of the inputs"),
        ("x*2", {"x": 1, "y": 2}, "input 'y' is not used"),
        ("__import__('os').system('true')", {"x": 1}, "unknown function"),
        ("x.__class__", {"x": 1}, "not Attribute"),
        ("(lambda: x)()", {"x": 1}, "unknown function"),
        ("x +", {"x": 1}, "not a valid expression"),
        ("x", {"x": 1}, "at least one operation"),
        ("log(x)", {"x": -1}, "no finite value"),
        ("1/x", {"x": 0}, "no finite value"),
        ("x + 1", {"x": "two"}, "must be a number"),
        ("x + 1", [1], "'inputs' must map"),
        ("+".join(["x"] * 15), {"x": 1}, "more than 14 boxes"),
    ],
)
def test_bad_graphs_are_explained(source: str, inputs: Any, message: str) -> None:
    findings = validate_graph({"expression": source, "inputs": inputs})
    assert findings and message in findings[0][1], findings
    with pytest.raises(GraphError):
        GraphBlock.from_block({"expression": source, "inputs": inputs})


def test_check_reports_bad_graph_blocks_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    path.write_text(
        "---\nid: l\ntitle: l\norder: 1\n---\n\n"
        "```graph\nexpression: sigmoid(w*x) + cube(x)\ninputs: {w: 1, x: 2}\n```\n\n"
        "```graph\nexpression: x + y\ninputs: {x: 1}\n```\n\n"
        "```graph\nexpression: x + 1\ninputs: {x: [1\n```\n",
        encoding="utf-8",
    )
    problems = [(p.line, p.message) for p in load_lesson(path).problems]
    assert len(problems) == 3, problems
    assert problems[0][0] == 8 and "unknown function 'cube'" in problems[0][1]
    assert problems[1][0] == 13 and "'y', which is not one of the inputs" in problems[1][1]
    assert 17 <= problems[2][0] <= 20, problems[2]


def test_drawing_fits_or_falls_back_to_a_list() -> None:
    graph = parse_graph("sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 3})
    numbers = compute_python(graph)
    steps = steps_of(graph)
    view = view_at(graph, numbers, steps, len(steps) - 1)
    wide = draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, 96)
    narrow = draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, 52)
    assert wide is not None and narrow is not None
    wide_text = "\n".join("".join(t for t, _ in row) for row in wide)
    assert "0.731" in wide_text and "∂ 0.393" in wide_text and "▶" in wide_text and "┌" in wide_text
    assert max(len("".join(t for t, _ in row)) for row in narrow) <= 52
    assert "0.197" in wide_text.replace("∂ 0.197", "")  # σ's local gradient is written on its edge
    assert draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, 30) is None
    listed = ["".join(t for t, _ in row) for row in as_list(graph, view)]
    assert listed[-1].split() == ["sigmoid(w·x", "+", "b)", "=", "0.731", "∂", "1"]


def test_predictions_are_graded_before_the_step_shows() -> None:
    stepper = Stepper(GraphBlock.from_block({"expression": "(x + y)*z", "inputs": {"x": -2, "y": 5, "z": -4}, "predict": True}))
    stepper.numbers = compute_python(stepper.graph)
    stepper.jump("forward")
    stepper.go(1)  # the seed: nothing to predict
    stepper.go(1)
    assert stepper.question is not None and stepper.at == 3 and stepper.asked_edge == (2, 4, 0)
    for ch in "12x":
        stepper.type(ch)
    stepper.submit()
    assert stepper.question.said == "invalid" and stepper.at == 3
    assert stepper.lines("zh")[2] != stepper.lines("en")[2]  # the complaint follows the screen's language
    stepper.type("\b")
    stepper.type("\b")
    stepper.type("\b")
    stepper.type("3")
    stepper.submit()
    assert stepper.question.said == "wrong" and "2 tries left" in stepper.lines("en")[2]
    for ch in "−4":  # a typed Unicode minus counts
        stepper.type(ch)
    stepper.submit()
    assert stepper.question is None and stepper.at == 4 and stepper.lines("en")[-1].startswith("Right")
    stepper.go(1)
    assert stepper.question is not None
    stepper.skip()
    assert stepper.at == 5 and stepper.lines("zh")[-1].startswith("答案是 -4")
    stepper.go(-1)
    stepper.go(1)  # an answered step is not asked again
    assert stepper.question is None and stepper.at == 5


def test_the_autograd_lesson_graphs_show_the_numbers_its_prose_states(shipped_course: Path) -> None:
    mx = load_mxnet()
    for lang in ("zh", "en"):
        lesson = load_lesson(shipped_course / lang / "autograd.md")
        graphs = {b.data["id"]: GraphBlock.from_block(b.data) for s in lesson.sections for b in s.blocks if b.type == "graph"}
        assert list(graphs) == ["autograd-graph-xyz", "autograd-graph-neuron", "autograd-graph-linreg"]
        grads = {key: dict(zip((n.name for n in block.graph.nodes), compute_mxnet(block.graph, mx).grads))
                 for key, block in graphs.items()}
        assert (grads["autograd-graph-xyz"]["x"], grads["autograd-graph-xyz"]["z"]) == (-4, 3)
        assert grads["autograd-graph-neuron"]["x"] == pytest.approx(0.3932, abs=1e-4)
        assert grads["autograd-graph-neuron"]["w"] == pytest.approx(-0.1966, abs=1e-4)
        assert grads["autograd-graph-linreg"]["w"] == 6 and graphs["autograd-graph-neuron"].predict
    # The neuron quiz's answer (w = 4) is what the graph gives for it.
    changed = compute_mxnet(parse_graph("sigmoid(w*x + b)", {"w": 4, "x": -1, "b": 3}), mx)
    assert changed.grads[1] == pytest.approx(0.7864, abs=1e-4)


def random_expression(rng, names: list[str], depth: int = 0) -> str:
    """A random expression over `names`, built from every operation a graph accepts."""
    if depth >= 3 or rng.random() < 0.25:
        return rng.choice(names)
    pick = rng.randrange(5)
    inner = random_expression(rng, names, depth + 1)
    if pick == 0:
        return f"{rng.choice(['exp', 'sigmoid', 'relu', 'tanh', 'sin', 'cos', 'log'])}({inner})"
    if pick == 1:
        return f"-({inner})"
    if pick == 2:
        return f"({inner}) {rng.choice(['+', '-', '*', '/'])} {rng.choice(['2', '0.5', '-3'])}"
    if pick == 3:
        return f"({inner})**2"
    return f"({inner}) {rng.choice(['+', '-', '*', '/'])} ({random_expression(rng, names, depth + 1)})"


def test_random_graphs_check_compute_step_and_draw_at_every_width() -> None:
    import random

    mx = load_mxnet()
    rng = random.Random(14)
    drawn = 0
    for _ in range(150):
        source = random_expression(rng, ["a", "b", "c"])
        inputs = {name: round(rng.uniform(0.2, 2), 2) for name in "abc" if name in source}
        if validate_graph({"expression": source, "inputs": inputs}):
            continue
        graph = parse_graph(source, inputs)
        rules, numbers = compute_python(graph), compute_mxnet(graph, mx)
        assert rules.grads == pytest.approx(numbers.grads, rel=1e-6, abs=1e-9), source
        steps = steps_of(graph)
        for at in range(len(steps)):
            view = view_at(graph, numbers, steps, at)
            describe(graph, numbers, steps, at, "zh")
            for width in (30, 53, 66, 96):
                rows = draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, width)
                if rows is not None:
                    drawn += 1
                    assert max(len("".join(t for t, _ in row)) for row in rows) <= width, source
                else:
                    assert as_list(graph, view)
    assert drawn > 100


def test_no_edge_runs_under_a_box() -> None:
    import random

    from d2l_tui.graphs.layout import BOX_HEIGHT, _route, place, sizes

    rng = random.Random(7)
    checked = 0
    for _ in range(120):
        source = random_expression(rng, ["a", "b"])
        inputs = {name: 1.3 for name in "ab" if name in source}
        if validate_graph({"expression": source, "inputs": inputs}):
            continue
        graph = parse_graph(source, inputs)
        placed = place(graph)
        size = sizes(graph, ["0.000"], ["0.00"], max(placed.column.values()) + 1, 0)
        left = {i: c * (size.box + size.gap) for i, c in placed.column.items()}
        boxes = [(left[n], placed.top[n]) for n in placed.top]
        for path in _route(graph, placed, left, size).values():
            for (x0, y0), (x1, y1) in pairwise(path):
                cells = [(x, y0) for x in range(min(x0, x1), max(x0, x1) + 1)] if y0 == y1 else \
                        [(x0, y) for y in range(min(y0, y1), max(y0, y1) + 1)]
                for x, y in cells:
                    assert not any(bx <= x < bx + size.box and by <= y < by + BOX_HEIGHT for bx, by in boxes), source
            checked += 1
    assert checked > 100
