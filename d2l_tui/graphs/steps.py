"""Stepping through a graph: which values and gradients show after each step, and the line saying why.

Step 0 shows the inputs; each forward step computes one node; the seed step puts 1 on the
output; each backward step takes one node and hands its gradient to its arguments, so a node
used twice shows its gradient growing as each use hands its share back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from d2l_tui.graphs.compute import Edge, Numbers
from d2l_tui.graphs.expr import Graph, number_text
from d2l_tui.words import say_in

Phase = Literal["start", "forward", "seed", "backward"]


@dataclass(frozen=True)
class Step:
    """One step: its phase and the node it works on (-1 for the start)."""

    phase: Phase
    node: int = -1


@dataclass
class View:
    """What the drawing shows after a step."""

    values: dict[int, float] = field(default_factory=dict)
    grads: dict[int, float] = field(default_factory=dict)
    """Each node's gradient so far (a node used twice shows its first share, then the sum)."""
    carried: dict[Edge, float] = field(default_factory=dict)
    """The gradient each edge has handed back: the consumer's gradient times the local gradient."""
    current: int = -1
    """The node the last step worked on, to highlight."""


def steps_of(graph: Graph) -> list[Step]:
    """Every step in order: start, forward through each operation, seed, backward through each."""
    ops = [node.index for node in graph.nodes if node.op != "input"]
    return [Step("start"), *(Step("forward", i) for i in ops), Step("seed", graph.output.index),
            *(Step("backward", i) for i in reversed(ops))]


def forward_end(steps: list[Step]) -> int:
    """The index of the last forward step."""
    return max(i for i, step in enumerate(steps) if step.phase in ("start", "forward"))


def view_at(graph: Graph, numbers: Numbers, steps: list[Step], upto: int) -> View:
    """What shows once steps 0..`upto` have run."""
    view = View(values={n.index: numbers.values[n.index] for n in graph.nodes if n.op == "input"})
    for step in steps[: upto + 1]:
        view.current = step.node
        if step.phase == "forward":
            view.values[step.node] = numbers.values[step.node]
        elif step.phase == "seed":
            view.grads[step.node] = 1.0
        elif step.phase == "backward":
            node = graph.nodes[step.node]
            for position, arg in enumerate(node.args):
                edge = (arg, node.index, position)
                view.carried[edge] = view.grads[node.index] * numbers.local[edge]
                view.grads[arg] = view.grads.get(arg, 0.0) + view.carried[edge]
    return view


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "start": "Inputs: {inputs}. Step forward to compute each box's value.",
        "forward": "Forward {i}/{n}: {name} = {value}",
        "seed": "Backward starts at the output: ∂f/∂f = 1 (f = {name} = {value})",
        "backward": "Backward {i}/{n} · {name}: {rule} — {shares}",
        "share": "{arg} gets {g} × {local} = {carried}",
        "and": "; ",
        "sep": ", ",
        "add": "add hands the gradient on unchanged",
        "sub": "subtract hands it on, with a minus sign to the right side",
        "sub-left": "a number minus the input flips the gradient's sign",
        "mul": "multiply swaps the inputs (each side gets the gradient times the other side)",
        "mul-const": "multiply by a number scales the gradient by that number",
        "div": "divide: the top gets g/b, the bottom gets −g·a/b²",
        "div-const": "divide by a number scales the gradient by 1 over it",
        "div-left": "a number over the input: the gradient times −c/a²",
        "pow": "power: the base gets g·b·a^(b−1), the exponent g·a^b·ln a",
        "pow-const": "power: the gradient times n·a^(n−1)",
        "pow-left": "a number to the power: the gradient times c^a·ln c",
        "neg": "negation flips the gradient's sign",
        "exp": "exp hands back the gradient times its own value",
        "log": "log hands back the gradient divided by its input",
        "sigmoid": "sigmoid hands back the gradient times σ·(1 − σ)",
        "relu": "ReLU passes the gradient where its input is positive and stops it elsewhere",
        "tanh": "tanh hands back the gradient times 1 − tanh²",
        "sin": "sin hands back the gradient times cos of its input",
        "cos": "cos hands back the gradient times −sin of its input",
    },
    "zh": {
        "start": "输入：{inputs}。向前走一步，算出每个方框的值。",
        "forward": "前向 {i}/{n}：{name} = {value}",
        "seed": "反向从输出开始：∂f/∂f = 1（f = {name} = {value}）",
        "backward": "反向 {i}/{n} · {name}：{rule}——{shares}",
        "share": "{arg} 得到 {g} × {local} = {carried}",
        "and": "；",
        "sep": "，",
        "add": "加法把梯度原样传下去",
        "sub": "减法把梯度原样传给左边，传给右边时添一个负号",
        "sub-left": "常数减去输入，梯度变号",
        "mul": "乘法交换输入（每一边得到的是梯度乘以另一边的值）",
        "mul-const": "乘以常数，梯度也乘以这个常数",
        "div": "除法：分子得到 g/b，分母得到 −g·a/b²",
        "div-const": "除以常数，梯度也除以这个常数",
        "div-left": "常数除以输入：梯度乘以 −c/a²",
        "pow": "乘方：底数得到 g·b·a^(b−1)，指数得到 g·a^b·ln a",
        "pow-const": "乘方：梯度乘以 n·a^(n−1)",
        "pow-left": "常数的乘方：梯度乘以 c^a·ln c",
        "neg": "取负，梯度变号",
        "exp": "exp 把梯度乘以它自己的值传回去",
        "log": "log 把梯度除以它的输入传回去",
        "sigmoid": "sigmoid 把梯度乘以 σ·(1 − σ) 传回去",
        "relu": "ReLU 在输入为正时让梯度通过，否则挡住",
        "tanh": "tanh 把梯度乘以 1 − tanh² 传回去",
        "sin": "sin 把梯度乘以输入的 cos 传回去",
        "cos": "cos 把梯度乘以输入的 −sin 传回去",
    },
}
"""The step line's words per language; the rule's key is the node's operation."""


def rule_key(graph: Graph, index: int) -> str:
    """Which rule a node's backward step uses (`mul-const` for `2*x`)."""
    node = graph.nodes[index]
    if node.const is None or node.op == "add":
        return node.op
    if node.op in ("sub", "div", "pow") and node.const_left:
        return f"{node.op}-left"
    return node.op if node.op == "sub" else f"{node.op}-const"


def describe(graph: Graph, numbers: Numbers, steps: list[Step], upto: int, lang: str) -> str:
    """The line under the drawing: what step `upto` computed, and by which rule."""
    step = steps[upto]
    say = lambda key, **params: say_in(WORDS, lang, key, **params)
    if step.phase == "start":
        inputs = say("sep").join(f"{name} = {number_text(value)}" for name, value in graph.inputs.items())
        return say("start", inputs=inputs)
    node = graph.nodes[step.node]
    value = number_text(numbers.values[node.index])
    if step.phase == "seed":
        return say("seed", name=node.name, value=value)
    same = [s for s in steps if s.phase == step.phase]
    i, n = same.index(step) + 1, len(same)
    if step.phase == "forward":
        return say("forward", i=i, n=n, name=node.name, value=value)
    view = view_at(graph, numbers, steps, upto)
    g = number_text(view.grads[node.index])
    shares = say("and").join(
        say("share", arg=graph.nodes[arg].name, g=g, local=number_text(numbers.local[(arg, node.index, p)]),
            carried=number_text(view.carried[(arg, node.index, p)]))
        for p, arg in enumerate(node.args)
    )
    return say("backward", i=i, n=n, name=node.name, rule=say(rule_key(graph, node.index)), shares=shares)
