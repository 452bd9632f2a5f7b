"""A small expression with named inputs, parsed with `ast` into a computational graph.

The lesson's text is never evaluated: the parse tree is walked, and only arithmetic
(+ - * / **, unary minus), numbers, the named inputs and the functions in `FUNCTIONS` become
nodes. A number beside an operator is folded into that operator (`2*x` is one node, "×2"), so
the drawing shows the graph a learner would draw by hand.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

FUNCTIONS = ("exp", "log", "sigmoid", "relu", "tanh", "sin", "cos")
"""The named functions an expression may call, each with one argument."""
_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_SYMBOL = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "^", "neg": "−", "sigmoid": "σ", "relu": "ReLU"}
MAX_NODES = 14
"""More boxes than this do not fit a terminal's width and height; the checker says so."""


class GraphError(ValueError):
    """The expression cannot become a graph; the message says why, for the lesson's author."""


@dataclass(frozen=True)
class Node:
    """One box of the graph: an input, or an operation on earlier nodes (and maybe a number)."""

    index: int
    op: str
    """"input", or an operation: add, sub, mul, div, pow, neg, or a name from `FUNCTIONS`."""
    args: tuple[int, ...] = ()
    name: str = ""
    """An input's name; for an operation, its sub-expression as math (`x + y`)."""
    const: float | None = None
    """The number folded into a binary operation (`2` in `2*x`)."""
    const_left: bool = False
    """True when the number stands on the left (`2 - x`)."""

    @property
    def label(self) -> str:
        """What the node's box says: the input's name, or the operation's symbol."""
        if self.op == "input":
            return self.name
        symbol = _SYMBOL.get(self.op, self.op)
        if self.const is None:
            return symbol
        number = number_text(self.const)
        return f"{number}{symbol}" if self.const_left else f"{symbol}{number}"


@dataclass(frozen=True)
class Graph:
    """The nodes of an expression in an order where every node comes after its arguments."""

    nodes: tuple[Node, ...]
    inputs: dict[str, float]

    @property
    def output(self) -> Node:
        """The node whose value is the expression's value."""
        return self.nodes[-1]

    def consumers(self, index: int) -> list[Node]:
        """The nodes that take node `index` as an argument (once per use)."""
        return [node for node in self.nodes for arg in node.args if arg == index]

    def edges(self) -> list[tuple[int, int, int]]:
        """Every edge as (argument node, consuming node, argument position)."""
        return [(arg, node.index, position) for node in self.nodes for position, arg in enumerate(node.args)]


def number_text(value: float) -> str:
    """A number as a lesson prints it: 2, -0.5, 0.7311 (no -0, no trailing zeros)."""
    if value == 0:
        return "0"
    return f"{value:.4g}"


def parse_graph(source: str, inputs: Any) -> Graph:
    """Turn `source` into a graph over `inputs` (name -> number, checked here), or raise `GraphError`."""
    values = _check_inputs(inputs)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise GraphError(f"'expression' is not a valid expression: {error.msg}") from None
    builder = _Builder(values)
    top = builder.build(tree.body)
    if builder.nodes[top].op == "input" and len(builder.nodes) == 1:
        raise GraphError("'expression' needs at least one operation on its inputs")
    unused = sorted(set(values) - {n.name for n in builder.nodes if n.op == "input"})
    if unused:
        raise GraphError(f"input {', '.join(repr(u) for u in unused)} is not used in the expression")
    return Graph(tuple(builder.nodes), values)


def _check_inputs(inputs: Any) -> dict[str, float]:
    """The inputs as floats, after checking that each is a named finite number."""
    if not isinstance(inputs, dict) or not inputs:
        raise GraphError("'inputs' must map each input's name to a number, like {x: -2, y: 5}")
    values: dict[str, float] = {}
    for name, value in inputs.items():
        if not isinstance(name, str) or not name.isidentifier() or name in FUNCTIONS:
            raise GraphError(f"input name {name!r} must be a plain name (letters, digits, _) and not a function's")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise GraphError(f"input '{name}' must be a number, not {value!r}")
        values[name] = float(value)
    return values


class _Builder:
    """Walks the parse tree, appending a node per operation (arguments first)."""

    def __init__(self, inputs: dict[str, float]) -> None:
        self.inputs = inputs
        self.nodes: list[Node] = []
        self.input_nodes: dict[str, int] = {}

    def add(self, op: str, args: tuple[int, ...], name: str, const: float | None = None, left: bool = False) -> int:
        """Append a node and return its index."""
        if len(self.nodes) >= MAX_NODES:
            raise GraphError(f"'expression' makes more than {MAX_NODES} boxes; split it into smaller graphs")
        self.nodes.append(Node(len(self.nodes), op, args, name, const, left))
        return len(self.nodes) - 1

    def build(self, node: ast.expr) -> int:
        """The index of the node computing `node`."""
        if isinstance(node, ast.Name):
            return self._input(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.build(node.operand)
            return self.add("neg", (inner,), _text(node))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self._binary(node, _BINARY[type(node.op)])
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Constant):
            raise GraphError(f"the number {node.value!r} must stand beside an operator and an input (2*x, x + 1)")
        raise GraphError(f"'expression' may use + - * / **, unary -, numbers, inputs and {', '.join(FUNCTIONS)}; "
                         f"not {type(node).__name__}")

    def _input(self, name: str) -> int:
        if name in FUNCTIONS:
            raise GraphError(f"'{name}' is a function: call it, like {name}(x)")
        if name not in self.inputs:
            known = ", ".join(self.inputs)
            raise GraphError(f"'expression' uses '{name}', which is not one of the inputs ({known})")
        if name not in self.input_nodes:
            self.input_nodes[name] = self.add("input", (), name)
        return self.input_nodes[name]

    def _binary(self, node: ast.BinOp, op: str) -> int:
        left, right = _number(node.left), _number(node.right)
        text = _text(node)
        if left is not None and right is not None:
            raise GraphError(f"'{ast.unparse(node)}' has no input in it; write its value instead")
        if left is not None:
            return self.add(op, (self.build(node.right),), text, left, True)
        if right is not None:
            return self.add(op, (self.build(node.left),), text, right, False)
        first = self.build(node.left)
        return self.add(op, (first, self.build(node.right)), text)

    def _call(self, node: ast.Call) -> int:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise GraphError(f"unknown function '{called}' (use {', '.join(FUNCTIONS)})")
        if len(node.args) != 1 or node.keywords:
            raise GraphError(f"{node.func.id}() takes one argument")
        inner = self.build(node.args[0])
        return self.add(node.func.id, (inner,), f"{node.func.id}({_text(node.args[0])})")


def _number(node: ast.expr) -> float | None:
    """The value of a literal number (or a negated one), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _text(node: ast.expr) -> str:
    """A sub-expression as math: `x*y` is `x·y`, `x**2` is `x^2`, `-x` is `−x`."""
    return ast.unparse(node).replace(" ** ", "^").replace(" * ", "·").replace("-", "−")
