"""A graph's numbers: each node's value, each edge's local gradient, each node's gradient.

`compute` asks MXNet's autograd, so the numbers a learner steps through are right by
construction; where MXNet cannot be imported, `compute_python` applies the textbook rules and
the result says so. Tests hold the two against each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from d2l_tui.graphs.expr import Graph, GraphError, Node

Edge = tuple[int, int, int]
"""(argument node, consuming node, argument position): `x*x` has two edges from x."""


@dataclass(frozen=True)
class Numbers:
    """Everything the drawing shows, for every node and edge."""

    values: tuple[float, ...]
    grads: tuple[float, ...]
    """∂output/∂node: the gradient each node has once backpropagation has passed it."""
    local: dict[Edge, float]
    """∂consumer/∂argument at the forward values: what an edge multiplies the gradient by."""
    source: str
    """"mxnet" (autograd) or "python" (the rules, when MXNet is missing)."""
    missing: str = ""
    """Why MXNet was not used (empty when it was)."""
    fix: str = ""
    """The command that installs MXNet, when it is missing."""


def _sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


_PYTHON_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp, "log": math.log, "sigmoid": _sigmoid, "relu": lambda a: max(a, 0.0),
    "tanh": math.tanh, "sin": math.sin, "cos": math.cos,
}


def _mxnet_functions(nd: Any) -> dict[str, Callable[[Any], Any]]:
    return {"exp": nd.exp, "log": nd.log, "sigmoid": nd.sigmoid, "relu": nd.relu, "tanh": nd.tanh, "sin": nd.sin, "cos": nd.cos}


def apply(node: Node, args: list[Any], functions: dict[str, Callable[[Any], Any]]) -> Any:
    """Node's operation on its arguments (floats or NDArrays alike)."""
    if node.op in functions:
        return functions[node.op](args[0])
    if node.op == "neg":
        return -args[0]
    if node.const is None:
        a, b = args
    else:
        a, b = (node.const, args[0]) if node.const_left else (args[0], node.const)
    if node.op == "add":
        return a + b
    if node.op == "sub":
        return a - b
    if node.op == "mul":
        return a * b
    if node.op == "div":
        return a / b
    return a**b


def forward_python(graph: Graph) -> list[float]:
    """Each node's value, computed in plain Python; NaN where an operation has none (log of −1)."""
    values: list[float] = []
    for node in graph.nodes:
        if node.op == "input":
            values.append(graph.inputs[node.name])
            continue
        try:
            value = apply(node, [values[a] for a in node.args], _PYTHON_FUNCTIONS)
            values.append(float(value) if not isinstance(value, complex) else math.nan)
        except (ArithmeticError, ValueError):
            values.append(math.nan)
    return values


def local_python(node: Node, args: list[float], value: float) -> list[float]:
    """The rule for ∂node/∂argument, for each argument, at these values."""
    if not args:
        return []
    a = args[0]
    simple = {
        "neg": -1.0, "exp": value, "log": 1 / a if a else math.nan, "sigmoid": value * (1 - value),
        "relu": 1.0 if a > 0 else 0.0, "tanh": 1 - value * value, "sin": math.cos(a), "cos": -math.sin(a),
    }
    if node.op in simple:
        return [simple[node.op]]
    if node.const is not None:
        return [_with_constant(node.op, a, node.const, node.const_left, value)]
    b = args[1]
    pairs = {
        "add": [1.0, 1.0], "sub": [1.0, -1.0], "mul": [b, a],
        "div": [1 / b, -a / (b * b)] if b else [math.nan, math.nan],
        "pow": [b * a ** (b - 1) if a or b >= 1 else math.nan, value * math.log(a) if a > 0 else math.nan],
    }
    return pairs[node.op]


def _with_constant(op: str, a: float, c: float, left: bool, value: float) -> float:
    """∂/∂a of `c op a` (left) or `a op c`."""
    if op in ("add", "sub"):
        return -1.0 if op == "sub" and left else 1.0
    if op == "mul":
        return c
    if op == "div":
        return -c / (a * a) if left else 1 / c
    if left:  # c ** a
        return value * math.log(c) if c > 0 else math.nan
    return c * a ** (c - 1) if a or c >= 1 else math.nan


def _safe_local(node: Node, args: list[float], value: float) -> list[float]:
    """The rule's numbers, NaN where there is none (1/x at 0, a negative number to a fractional power)."""
    try:
        grads = local_python(node, args, value)
    except (ArithmeticError, ValueError):
        return [math.nan] * len(node.args)
    return [g if isinstance(g, float | int) else math.nan for g in grads]


def backward(graph: Graph, local: dict[Edge, float]) -> list[float]:
    """Each node's gradient: start at 1 on the output, and add what every consumer hands back."""
    grads = [0.0] * len(graph.nodes)
    grads[-1] = 1.0
    for node in reversed(graph.nodes):
        for position, arg in enumerate(node.args):
            grads[arg] += grads[node.index] * local[(arg, node.index, position)]
    return grads


def compute_python(graph: Graph, missing: str = "", fix: str = "") -> Numbers:
    """The numbers by the rules, in plain Python."""
    values = forward_python(graph)
    local: dict[Edge, float] = {}
    for node in graph.nodes:
        for position, grad in enumerate(_safe_local(node, [values[a] for a in node.args], values[node.index])):
            local[(node.args[position], node.index, position)] = grad
    return Numbers(tuple(values), tuple(backward(graph, local)), local, "python", missing, fix)


def compute_mxnet(graph: Graph, mx: ModuleType) -> Numbers:
    """The numbers from MXNet's autograd (float64): values, node gradients and edge gradients."""
    nd, functions = mx.nd, _mxnet_functions(mx.nd)
    # Adding a zero leaf to every node leaves its value alone; the zero's gradient is the node's.
    zeros = [nd.zeros((1,), dtype="float64") for _ in graph.nodes]
    for zero in zeros:
        zero.attach_grad()
    arrays: list[Any] = []
    with mx.autograd.record():
        for node, zero in zip(graph.nodes, zeros):
            if node.op == "input":
                base = nd.array([graph.inputs[node.name]], dtype="float64")
            else:
                base = apply(node, [arrays[a] for a in node.args], functions)
            arrays.append(base + zero)
    arrays[-1].backward()
    values = [float(a.asscalar()) for a in arrays]
    local: dict[Edge, float] = {}
    for node in graph.nodes:
        local.update(_local_mxnet(mx, node, [values[a] for a in node.args], functions))
    grads = tuple(float(z.grad.asscalar()) for z in zeros)
    return Numbers(tuple(values), grads, local, "mxnet")


def _local_mxnet(mx: ModuleType, node: Node, args: list[float], functions: dict[str, Callable[[Any], Any]]) -> dict[Edge, float]:
    """One node's local gradients: its operation alone, on fresh leaves holding its arguments."""
    if not args:
        return {}
    leaves = [mx.nd.array([a], dtype="float64") for a in args]
    for leaf in leaves:
        leaf.attach_grad()
    with mx.autograd.record():
        out = apply(node, leaves, functions)
    out.backward()
    return {(arg, node.index, i): float(leaf.grad.asscalar()) for i, (arg, leaf) in enumerate(zip(node.args, leaves))}


def compute(graph: Graph) -> Numbers:
    """MXNet's numbers when MXNet loads, else the rules' numbers saying what is missing. Slow: run off the UI thread."""
    from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet

    try:
        return compute_mxnet(graph, load_mxnet())
    except MXNetUnavailable as missing:
        return compute_python(graph, missing.reason, missing.fix)
    except Exception as error:  # noqa: BLE001 - an MXNet failure must not lose the panel: the rules still work
        return compute_python(graph, f"{type(error).__name__}: {error}")


def check_finite(graph: Graph) -> None:
    """Raise `GraphError` naming the first node with no finite value or gradient at the inputs."""
    numbers = compute_python(graph)
    for node in graph.nodes:
        if not math.isfinite(numbers.values[node.index]):
            raise GraphError(f"'{node.name}' has no finite value at these inputs; pick other input values")
    for (arg, target, _), grad in numbers.local.items():
        if not math.isfinite(grad):
            raise GraphError(f"'{graph.nodes[target].name}' has no finite gradient at these inputs; pick other input values")
