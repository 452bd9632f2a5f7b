"""A validated `surface` block: f(x, y), its ranges, the descent's start, learning rate and steps."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from d2l_tui.course.plotfn import PlotError, compile_expression
from d2l_tui.surfaces.calculus import Function2, Vector

MAX_LR = 100.0
MAX_STEPS = 200


class SurfaceError(PlotError):
    """The block cannot be drawn; the message (starting with the key in quotes) says why."""


@dataclass
class Surface:
    """What a `surface` block draws, and where its gradient descent starts."""

    source: str
    f: Function2
    x_range: Vector = (-2.0, 2.0)
    y_range: Vector = (-2.0, 2.0)
    start: Vector = (1.5, 1.5)
    lr: float = 0.1
    steps: int = 30
    title: str = ""

    @classmethod
    def from_block(cls, data: dict[str, Any]) -> Surface:
        """Build from a block's YAML, raising `SurfaceError` with a message for the author."""
        source = data.get("function")
        if not isinstance(source, str) or not source.strip():
            raise SurfaceError("'function' must be an expression in x and y, e.g. 'x**2 + 2*y**2'")
        try:
            f = compile_expression(source, ("x", "y"))
        except PlotError as error:
            raise SurfaceError(str(error)) from None
        x_range, y_range = _range(data, "x"), _range(data, "y")
        start = _start(data.get("start"), x_range, y_range)
        lr = data.get("lr", 0.1)
        if not (_is_number(lr) and 0 < lr <= MAX_LR):
            raise SurfaceError(f"'lr' must be a number above 0 and at most {MAX_LR:g}, e.g. 0.1")
        steps = data.get("steps", 30)
        if not (isinstance(steps, int) and not isinstance(steps, bool) and 1 <= steps <= MAX_STEPS):
            raise SurfaceError(f"'steps' must be a whole number from 1 to {MAX_STEPS}")
        surface = cls(source.strip(), f, x_range, y_range, start, float(lr), steps, str(data.get("title") or ""))
        if not any(math.isfinite(v) for row in surface.sample(9, 9) for v in row):
            raise SurfaceError(f"'function' has no finite value for x in {list(x_range)} and y in {list(y_range)}")
        return surface

    def sample(self, columns: int, rows: int) -> list[list[float]]:
        """f on a `columns` x `rows` grid: row 0 is the top (largest y), column 0 the left (smallest x)."""
        xs = spread(self.x_range, columns)
        return [[self.f(x, y) for x in xs] for y in reversed(spread(self.y_range, rows))]

    def clamp(self, point: Vector) -> Vector:
        """The nearest point inside the ranges."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return min(x1, max(x0, point[0])), min(y1, max(y0, point[1]))

    def move_start(self, dx: int, dy: int) -> None:
        """Move the start by a twentieth of each range per step, staying inside the ranges."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        moved = (self.start[0] + dx * (x1 - x0) / 20, self.start[1] + dy * (y1 - y0) / 20)
        x, y = self.clamp(moved)
        self.start = round(x, 10), round(y, 10)


@dataclass
class SurfaceState:
    """What the learner changed on one panel: the start, the learning rate and the path taken."""

    start: Vector
    lr: float
    path: list[Vector]


def spread(bounds: Vector, count: int) -> list[float]:
    """`count` evenly spaced values from bounds[0] to bounds[1] (the middle one when count is 1)."""
    low, high = bounds
    if count <= 1:
        return [(low + high) / 2]
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def nudge_lr(lr: float, direction: int) -> float:
    """The next learning rate up (+1) or down (−1): steps of 0.01 below 0.1, 0.05 below 1, 0.25 above."""
    probe = lr if direction > 0 else lr - 1e-9
    size = 0.01 if probe < 0.1 else 0.05 if probe < 1 else 0.25
    return round(min(MAX_LR, max(size, lr + direction * size)), 6)


def validate_surface(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """The `surface` directive's checks, for `d2l-tui check` (key, message)."""
    try:
        Surface.from_block(data)
    except PlotError as error:
        message = str(error)
        key = message.split("'")[1] if message.startswith("'") else ""
        return [((key,) if key else (), f"surface block: {message}")]
    return []


def _range(data: dict[str, Any], key: str) -> Vector:
    bounds = data.get(key, [-2, 2])
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds) and bounds[0] < bounds[1]):
        raise SurfaceError(f"'{key}' must be two increasing numbers, e.g. [-2, 2]")
    return float(bounds[0]), float(bounds[1])


def _start(value: Any, x_range: Vector, y_range: Vector) -> Vector:
    if value is None:
        return (x_range[0] + 3 * (x_range[1] - x_range[0]) / 4, y_range[0] + 3 * (y_range[1] - y_range[0]) / 4)
    inside = isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
    if not inside or not (x_range[0] <= value[0] <= x_range[1] and y_range[0] <= value[1] <= y_range[1]):
        raise SurfaceError(f"'start' must be a point [x, y] inside x {list(x_range)} and y {list(y_range)}")
    return float(value[0]), float(value[1])


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
