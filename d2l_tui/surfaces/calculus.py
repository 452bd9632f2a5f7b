"""Gradient, Hessian and the Hessian's eigenvalues of f(x, y), by central differences.

The same finite-difference idea as the one-variable `plot` block (`plotfn.derivative`), one
variable at a time; the 2x2 symmetric eigenproblem is solved in closed form.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Function2 = Callable[[float, float], float]
Vector = tuple[float, float]
GRADIENT_STEP = 1e-5
HESSIAN_STEP = 1e-3
"""Wider than the gradient's step: a second difference divides rounding errors by h²."""
FLAT = 1e-6
"""Eigenvalues closer to 0 than this count as flat (neither up nor down)."""

Kind = Literal["minimum", "maximum", "saddle", "flat"]


def gradient(f: Function2, x: float, y: float, h: float = GRADIENT_STEP) -> Vector:
    """∇f(x, y) = (∂f/∂x, ∂f/∂y) by central differences."""
    return (f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)


def hessian(f: Function2, x: float, y: float, h: float = HESSIAN_STEP) -> tuple[float, float, float]:
    """The Hessian's entries (f_xx, f_xy, f_yy) at (x, y); f_yx equals f_xy."""
    centre = f(x, y)
    fxx = (f(x + h, y) - 2 * centre + f(x - h, y)) / (h * h)
    fyy = (f(x, y + h) - 2 * centre + f(x, y - h)) / (h * h)
    fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h)
    return fxx, fxy, fyy


@dataclass(frozen=True)
class Curvature:
    """The Hessian at a point: eigenvalues λ1 ≤ λ2 and their unit eigenvectors."""

    lambdas: Vector
    directions: tuple[Vector, Vector]

    @property
    def kind(self) -> Kind:
        """A bowl (both λ > 0), a cap (both < 0), a saddle (opposite signs) or flat."""
        low, high = self.lambdas
        if low > FLAT:
            return "minimum"
        if high < -FLAT:
            return "maximum"
        if low < -FLAT and high > FLAT:
            return "saddle"
        return "flat"

    @property
    def lr_limit(self) -> float | None:
        """2/λmax: gradient descent with a learning rate above it grows along λmax's direction."""
        high = self.lambdas[1]
        return 2 / high if high > FLAT else None


def eigen(fxx: float, fxy: float, fyy: float) -> Curvature:
    """Eigenvalues and unit eigenvectors of the symmetric matrix [[fxx, fxy], [fxy, fyy]]."""
    mean, half = (fxx + fyy) / 2, (fxx - fyy) / 2
    radius = math.hypot(half, fxy)
    low, high = mean - radius, mean + radius
    if abs(fxy) <= 1e-12 * max(1.0, abs(fxx), abs(fyy)):
        # Already diagonal: the axes are the directions, the smaller entry's axis first.
        return Curvature((low, high), ((1.0, 0.0), (0.0, 1.0)) if fxx <= fyy else ((0.0, 1.0), (1.0, 0.0)))
    return Curvature((low, high), (_unit(fxy, low - fxx), _unit(fxy, high - fxx)))


def curvature(f: Function2, x: float, y: float) -> Curvature:
    """The Hessian's eigenvalues and directions at (x, y)."""
    return eigen(*hessian(f, x, y))


def _unit(dx: float, dy: float) -> Vector:
    length = math.hypot(dx, dy)
    return (dx / length, dy / length) if length else (1.0, 0.0)
