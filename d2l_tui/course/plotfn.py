"""The `plot` directive's core: a one-variable function, its values, and tangents.

The function is an expression in `x` written by the lesson's author (`3*x**2 - 4*x`,
`np.exp(x)`). It is checked against a small grammar before it is ever evaluated, and evaluated
with the `math` module point by point, so drawing a curve never imports NumPy.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

_FUNCTIONS = {
    name: getattr(math, name)
    for name in ("exp", "log", "log2", "log10", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan")
    if hasattr(math, name)
}
_FUNCTIONS.update({"abs": abs, "arctan": math.atan, "maximum": max, "minimum": min})
_CONSTANTS = {"pi": math.pi, "e": math.e}
_NAMESPACE = {**_FUNCTIONS, **_CONSTANTS, "np": SimpleNamespace(**_FUNCTIONS, **_CONSTANTS), "math": SimpleNamespace(**_FUNCTIONS, **_CONSTANTS)}
_ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Attribute, ast.Constant, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Mod, ast.FloorDiv,
)
_STEP = 1e-5


class PlotError(ValueError):
    """The function cannot be drawn; the message says why, for the lesson's author."""


def compile_function(source: str) -> Callable[[float], float]:
    """Check an expression in `x` and return it as a Python function of one float."""
    return compile_expression(source, ("x",))


def compile_expression(source: str, variables: tuple[str, ...]) -> Callable[..., float]:
    """Check an expression in `variables` (("x",), ("x", "y")) and return it as a function of floats.

    A value that cannot be computed (log of a negative number, an overflow) is NaN, never an error.
    """
    names = " and ".join(", ".join(variables).rsplit(", ", 1))
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise PlotError(f"'function' is not a valid expression: {error.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise PlotError(f"'function' may only use arithmetic, {names} and math functions, not {type(node).__name__}")
        if isinstance(node, ast.Name) and node.id not in _NAMESPACE and node.id not in variables:
            known = ", ".join(sorted(_FUNCTIONS))
            raise PlotError(f"'function' uses unknown name '{node.id}' (use {', '.join(variables)}, pi, e and {known})")
        if isinstance(node, ast.Attribute) and node.attr not in _FUNCTIONS and node.attr not in _CONSTANTS:
            raise PlotError(f"'function' uses unknown function '{node.attr}'")
    code = compile(tree, "<plot function>", "eval")

    def evaluate(*values: float) -> float:
        try:
            value = eval(code, {"__builtins__": {}}, {**_NAMESPACE, **dict(zip(variables, values, strict=True))})  # noqa: S307 - checked above
            return float(value)
        except (ArithmeticError, ValueError, TypeError):
            return math.nan

    return evaluate


_MATH_NAMES = {"pi": "π", "maximum": "max", "minimum": "min", "arctan": "arctan"}
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Mod: 2, ast.FloorDiv: 2, ast.Pow: 4}
_SYMBOLS = {ast.Add: " + ", ast.Sub: " − ", ast.Div: "/", ast.Mod: " mod ", ast.FloorDiv: " // "}


def math_text(source: str) -> str:
    """A checked expression as a lesson writes it: `2*x * 2**maximum(0, x)` is `2x·2^max(0, x)`."""
    try:
        return _math(ast.parse(source.strip(), mode="eval").body)
    except (SyntaxError, ValueError):
        return source.strip()


def _math(node: ast.expr, outer: int = 0) -> str:
    """The math text of one node, in parentheses when it binds looser than where it stands."""
    if isinstance(node, ast.Constant):
        value = node.value
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(node, ast.Name):
        return _MATH_NAMES.get(node.id, node.id)
    if isinstance(node, ast.Attribute):  # np.exp, math.pi
        return _MATH_NAMES.get(node.attr, node.attr)
    if isinstance(node, ast.Call):
        return _call(node)
    if isinstance(node, ast.UnaryOp):
        text = ("−" if isinstance(node.op, ast.USub) else "+") + _math(node.operand, 3)
        return f"({text})" if outer >= 2 else text  # (−a) mod 1, x·(−1)
    if isinstance(node, ast.BinOp):
        return _binary(node, outer)
    raise ValueError(type(node).__name__)


def _call(node: ast.Call) -> str:
    """A function applied: |x| and √(x) as written by hand, others by name."""
    name, args = _math(node.func), [_math(arg) for arg in node.args]
    if name == "abs" and len(args) == 1:
        return f"|{args[0]}|"
    if name == "sqrt" and len(args) == 1:
        return f"√({args[0]})"
    return f"{name}({', '.join(args)})"


def _binary(node: ast.BinOp, outer: int) -> str:
    """A sum, product, quotient or power, with the fewest parentheses that keep its meaning."""
    level = _PRECEDENCE.get(type(node.op), 0)
    if isinstance(node.op, ast.Pow):
        base = _math(node.left, 5)
        exponent = node.right
        if isinstance(exponent, ast.Constant) and isinstance(exponent.value, int):
            text = base + str(exponent.value).translate(_SUPERSCRIPTS)
        else:
            text = f"{base}^{_math(exponent, 5)}"
    elif isinstance(node.op, ast.Mult):
        left, right = _math(node.left, level), _math(node.right, level + 1)
        # A number before a letter, a call or a bracket is written next to it (3x, 0.5(x − 1)); else a dot.
        joined = isinstance(node.left, ast.Constant) and (right[:1].isalpha() or right[:1] == "(")
        text = left + ("" if joined else "·") + right
    else:
        text = _math(node.left, level) + _SYMBOLS.get(type(node.op), " ? ") + _math(node.right, level + 1)
    return f"({text})" if level < outer else text


def derivative(f: Callable[[float], float], x: float) -> float:
    """f'(x) by a central difference: the same idea the calculus lesson teaches."""
    return (f(x + _STEP) - f(x - _STEP)) / (2 * _STEP)


@dataclass
class FunctionPlot:
    """A validated `plot` block: the function, its range and an optional tangent point."""

    source: str
    f: Callable[[float], float]
    low: float = -3.0
    high: float = 3.0
    tangent_at: float | None = None
    editable: bool = False
    title: str = ""

    @classmethod
    def from_block(cls, data: dict[str, Any]) -> FunctionPlot:
        """Build from a block's YAML, raising `PlotError` with a message for the author."""
        source = data.get("function")
        if not isinstance(source, str) or not source.strip():
            raise PlotError("'function' must be an expression in x, e.g. '3*x**2 - 4*x'")
        bounds, tangent = _range_of(data)
        f = compile_function(source)
        samples = [f(bounds[0] + (bounds[1] - bounds[0]) * i / 20) for i in range(21)]
        if not any(math.isfinite(v) for v in samples):
            raise PlotError(f"'function' has no finite value between {bounds[0]} and {bounds[1]}")
        editable = data.get("editable", False)
        return cls(source.strip(), f, float(bounds[0]), float(bounds[1]), None if tangent is None else float(tangent),
                   bool(editable), str(data.get("title") or ""))

    def points(self, count: int) -> list[tuple[float, float]]:
        """`count` evenly spaced (x, f(x)) points across the range."""
        step = (self.high - self.low) / max(count - 1, 1)
        return [(self.low + i * step, self.f(self.low + i * step)) for i in range(count)]

    def tangent(self) -> tuple[float, float, float] | None:
        """(a, f(a), f'(a)) at the tangent point, when there is one."""
        if self.tangent_at is None:
            return None
        a = self.tangent_at
        return a, self.f(a), derivative(self.f, a)

    def move_tangent(self, steps: int) -> None:
        """Move the tangent point by a fortieth of the range per step, staying inside it."""
        if self.tangent_at is None:
            self.tangent_at = (self.low + self.high) / 2
        width = (self.high - self.low) / 40
        self.tangent_at = min(self.high, max(self.low, round(self.tangent_at + steps * width, 10)))


def validate_plot(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """The `plot` directive's checks, for `d2l-tui check` (key, message)."""
    try:
        FunctionPlot.from_block(data)
    except PlotError as error:
        message = str(error)
        key = message.split("'")[1] if message.startswith("'") else ""
        return [((key,) if key else (), f"plot block: {message}")]
    return []


def _range_of(data: dict[str, Any]) -> tuple[list[Any], Any]:
    """The block's checked x range and tangent point (None when it has none), or `PlotError`."""
    bounds = data.get("x", [-3, 3])
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds) and bounds[0] < bounds[1]):
        raise PlotError("'x' must be two increasing numbers, e.g. [-2, 2]")
    tangent = data.get("tangent_at")
    if tangent is not None and not (_is_number(tangent) and bounds[0] <= tangent <= bounds[1]):
        raise PlotError(f"'tangent_at' must be a number between {bounds[0]} and {bounds[1]}")
    return bounds, tangent


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
