"""The loss of linear regression over two parameters, the others held at their least-squares values.

The squared loss is a quadratic in the parameters θ = (w₁, …, w_d, b), so around the exact
solution θ* it is L(θ) = L(θ*) + ½ (θ − θ*)ᵀ H (θ − θ*) with H = DᵀD / n, D the features with a
column of ones. Over (θ₀, θ₁) (w₁ and w₂, or w₁ and b with one feature) this is exact, and cheap
enough to sample at every dot of a chart. NumPy is needed only to build it, in a worker.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from d2l_tui.training.data import Dataset, Solution

Point = tuple[float, float]
DENSE_STEPS = 200
"""A path keeps every one of the first steps (where SGD walks the furthest) ..."""
LATER_POINTS = 200
"""... and about this many more over the rest of the run, evenly spaced."""


@dataclass(frozen=True, slots=True)
class LossBowl:
    """The loss over (θ₀, θ₁), drawn by the training panel's surface view."""

    centre: Point
    """The closed-form values of θ₀ and θ₁: the bottom of the bowl."""
    curvature: tuple[float, float, float]
    """H's entries for θ₀ and θ₁: mean x₀², mean x₀x₁, mean x₁² (x₁ = 1 for the bias)."""
    floor: float
    """The loss at the bottom: the least any parameters reach on this data."""
    names: tuple[str, str]
    """The two parameters' names as the book writes them: ("w1", "w2") or ("w1", "b")."""

    def loss(self, u: float, v: float) -> float:
        """The mean squared loss with θ₀ = u, θ₁ = v and every other parameter at its exact value."""
        du, dv = u - self.centre[0], v - self.centre[1]
        a, c, d = self.curvature
        return self.floor + 0.5 * (a * du * du + 2 * c * du * dv + d * dv * dv)


def surface_axes(features: int) -> tuple[str, str]:
    """The two parameters drawn: w₁ and w₂, or w₁ and b when there is a single feature."""
    return ("w1", "w2") if features >= 2 else ("w1", "b")


def pick(w: tuple[float, ...], b: float) -> Point:
    """θ₀ and θ₁ of a run's parameters."""
    return (w[0], w[1]) if len(w) >= 2 else (w[0], b)


def loss_bowl(dataset: Dataset, solution: Solution) -> LossBowl:
    """Build the bowl of a dataset around its exact solution (NumPy; call it in a worker)."""
    import numpy as np

    from d2l_tui.training.data import mean_loss

    x = dataset.features.astype(np.float64)
    design = np.hstack([x, np.ones((x.shape[0], 1))])[:, :2]
    moments = design.T @ design / max(1, x.shape[0])
    floor = mean_loss(dataset, np.asarray(solution.w), solution.b)
    return LossBowl(
        centre=pick(solution.w, solution.b),
        curvature=(float(moments[0, 0]), float(moments[0, 1]), float(moments[1, 1])),
        floor=floor,
        names=surface_axes(x.shape[1]),
    )


def traced(step: int, total_steps: int) -> bool:
    """Whether the path keeps the parameters after `step`: all early steps, then evenly spaced."""
    if step <= DENSE_STEPS:
        return True
    stride = max(1, math.ceil((total_steps - DENSE_STEPS) / LATER_POINTS))
    return (step - DENSE_STEPS) % stride == 0


def path_bending(path: list[Point]) -> float:
    """How much longer the path is than the straight line from its first point to its last.

    1.0 is a straight path; SGD with small batches wanders, so its ratio is larger.
    """
    if len(path) < 2:
        return 1.0
    walked = sum(math.dist(a, b) for a, b in itertools.pairwise(path))
    direct = math.dist(path[0], path[-1])
    return walked / direct if direct > 0 else math.inf
