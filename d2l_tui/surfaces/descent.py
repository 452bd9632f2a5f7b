"""Gradient descent on f(x, y): the path, step by step, and what it does (settles, zigzags, grows)."""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise
from typing import Literal

from d2l_tui.surfaces.calculus import Function2, Vector, gradient

Behaviour = Literal["start", "converging", "oscillating", "diverging", "escaping"]
"""What a path does: not moved yet; settles; settles while zigzagging; grows away with f rising;
runs off downhill for ever (a saddle or a cap: f falls without a bottom)."""
BLOW_UP = 1e6
"""A point this far out counts as gone: the path stops there."""


def step(f: Function2, point: Vector, lr: float) -> Vector:
    """One step: p ← p − lr·∇f(p)."""
    gx, gy = gradient(f, *point)
    return point[0] - lr * gx, point[1] - lr * gy


def descend(f: Function2, start: Vector, lr: float, steps: int) -> list[Vector]:
    """The start and up to `steps` points after it; stops early once a point is gone (∞, NaN)."""
    path = [start]
    for _ in range(steps):
        if gone(path[-1]):
            break
        path.append(step(f, path[-1], lr))
    return path


def gone(point: Vector) -> bool:
    """The point has left every sensible range (or is not a number any more)."""
    return not all(math.isfinite(v) and abs(v) < BLOW_UP for v in point)


def behaviour(f: Callable[[float, float], float], path: list[Vector]) -> Behaviour:
    """What the path has done so far, from its steps and from f along it."""
    if len(path) < 3:
        return "start" if len(path) < 2 else _first_step(f, path)
    moves = [(b[0] - a[0], b[1] - a[1]) for a, b in pairwise(path)]
    lengths = [math.hypot(*m) for m in moves]
    if gone(path[-1]) or _growing(lengths):
        values = [f(*p) for p in path]
        falling = all(math.isfinite(v) for v in values) and values[-1] < values[0]
        return "escaping" if falling else "diverging"
    turns = sum(1 for a, b in pairwise(moves) if a[0] * b[0] + a[1] * b[1] < 0)
    return "oscillating" if turns * 2 >= len(moves) - 1 else "converging"


def _growing(lengths: list[float]) -> bool:
    """The steps get longer: the last is longer than the first, or each of the last three grew.

    The second catches a path leaving a saddle, whose first steps shrink toward it before the
    direction that curves down takes over.
    """
    recent = lengths[-4:]
    return lengths[-1] > lengths[0] * 1.01 or (len(recent) == 4 and all(b > a * 1.001 for a, b in pairwise(recent)))


def _first_step(f: Function2, path: list[Vector]) -> Behaviour:
    """After one step only: f went up (diverging) or down (converging so far)."""
    before, after = f(*path[0]), f(*path[1])
    return "converging" if math.isfinite(after) and after <= before else "diverging"
