"""The surface as character cells: a banded heat map in half blocks, contour marks, gradient
arrows on a coarse grid, the Hessian's eigen-directions at the start and the descent's path.

Pure: a cell says which colour bands and which mark it shows; the widget turns that into styles.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from d2l_tui.surfaces.calculus import Curvature, Vector, gradient
from d2l_tui.surfaces.model import Surface

BANDS = 8
"""Colour bands of the heat map; every second band's edge is drawn as a contour line."""
ARROW_COLUMNS, ARROW_ROWS = 6, 3
"""One gradient arrow every this many columns and rows."""
EIGEN_REACH = 5
"""How many rows an eigen-direction's line reaches out from the start (twice as many columns)."""
ARROWS = "→↗↑↖←↙↓↘"
"""Glyphs for directions 0°, 45°, ... counter-clockwise from the right."""
LINES = "─╱│╲"
"""Glyphs for a line through 0°, 45°, 90° and 135°."""


@dataclass(frozen=True)
class Cell:
    """One character: its glyph, the bands of its top and bottom halves (−1: no value) and its mark.

    Marks: "" (heat map only), "contour", "arrow", "eigen1", "eigen2", "path", "now" (the path's
    last point), "start".
    """

    glyph: str
    top: int
    bottom: int
    mark: str = ""


class Picture:
    """Maps the surface's ranges onto `width` x `height` cells (two samples a cell, top and bottom)."""

    def __init__(self, surface: Surface, width: int, height: int) -> None:
        self.surface, self.width, self.height = surface, max(4, width), max(2, height)
        self.values = surface.sample(self.width, 2 * self.height)
        self.levels = levels([v for row in self.values for v in row], BANDS)
        self.bands = [[band(v, self.levels) for v in row] for row in self.values]
        self._background: list[list[Cell]] | None = None

    def cell_of(self, point: Vector) -> tuple[int, int] | None:
        """(column, row) of the cell holding a point, or None when it is outside the picture."""
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        if not (math.isfinite(point[0]) and math.isfinite(point[1])):
            return None  # a diverged path's last point: round() would raise
        column = round((point[0] - x0) / (x1 - x0) * (self.width - 1))
        half = round((y1 - point[1]) / (y1 - y0) * (2 * self.height - 1))
        return (column, half // 2) if 0 <= column < self.width and 0 <= half < 2 * self.height else None

    def screen(self, direction: Vector) -> Vector:
        """A direction in (x, y) as it looks on screen, in column widths (a row is two columns tall)."""
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        return direction[0] * (self.width - 1) / (x1 - x0), direction[1] * 2 * (self.height - 1) / (y1 - y0)

    def cells(self, path: list[Vector], curvature: Curvature | None) -> list[list[Cell]]:
        """Every cell, marks drawn in order: contours, arrows, eigen-directions, then the path on top."""
        if self._background is None:  # the same for every step: computed once
            self._background = [[self._base(c, r) for c in range(self.width)] for r in range(self.height)]
            self._arrows(self._background)
        grid = [row[:] for row in self._background]
        if curvature is not None:
            self._eigen(grid, curvature)
        self._path(grid, path)
        return grid

    def _base(self, column: int, row: int) -> Cell:
        top, bottom = self.bands[2 * row][column], self.bands[2 * row + 1][column]
        right = self.bands[2 * row][column + 1] if column + 1 < self.width else top
        below = self.bands[2 * row + 2][column] if 2 * row + 2 < 2 * self.height else bottom
        # Every band edge would cover the picture in dots: a line only where a pair of bands ends.
        if top >= 0 and len({b // 2 for b in (top, right, bottom, below) if b >= 0}) > 1:
            return Cell("·", top, bottom, "contour")
        return Cell("▀", top, bottom)

    def _arrows(self, grid: list[list[Cell]]) -> None:
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        for row in range(ARROW_ROWS // 2, self.height, ARROW_ROWS):
            for column in range(ARROW_COLUMNS // 2, self.width, ARROW_COLUMNS):
                x = x0 + (x1 - x0) * column / (self.width - 1)
                y = y1 - (y1 - y0) * (2 * row + 0.5) / (2 * self.height - 1)
                glyph = arrow(self.screen(gradient(self.surface.f, x, y)))
                old = grid[row][column]
                grid[row][column] = Cell(glyph, old.top, old.bottom, "arrow")

    def _eigen(self, grid: list[list[Cell]], curvature: Curvature) -> None:
        centre = self.cell_of(self.surface.start)
        if centre is None:
            return
        for mark, direction in (("eigen1", curvature.directions[0]), ("eigen2", curvature.directions[1])):
            dx, dy = self.screen(direction)
            length = math.hypot(dx, dy) or 1.0
            glyph = line(dx, dy)
            for t in range(-2 * EIGEN_REACH, 2 * EIGEN_REACH + 1):
                column = round(centre[0] + t * dx / length)
                row = round(centre[1] - t * dy / 2 / length)
                if 0 <= column < self.width and 0 <= row < self.height:
                    old = grid[row][column]
                    grid[row][column] = Cell(glyph, old.top, old.bottom, mark)

    def _path(self, grid: list[list[Cell]], path: list[Vector]) -> None:
        for index, point in enumerate(path):
            place = self.cell_of(point)
            if place is not None:
                mark = "now" if index == len(path) - 1 else "start" if index == 0 else "path"
                old = grid[place[1]][place[0]]
                grid[place[1]][place[0]] = Cell({"now": "●", "start": "○"}.get(mark, "•"), old.top, old.bottom, mark)


def square_width(surface: Surface, rows: int) -> int:
    """The width in columns that draws x and y to the same scale in `rows` rows (a cell is twice as tall as wide)."""
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    return max(8, round(2 * rows * (x1 - x0) / (y1 - y0)))


def levels(values: list[float], count: int) -> list[float]:
    """`count − 1` thresholds splitting the finite values into bands of about equal size."""
    finite = sorted(v for v in values if math.isfinite(v))
    if not finite:
        return []
    return [finite[min(len(finite) - 1, len(finite) * i // count)] for i in range(1, count)]


def band(value: float, thresholds: list[float]) -> int:
    """The band a value falls in (0 lowest), −1 when it is not a number."""
    return bisect.bisect_right(thresholds, value) if math.isfinite(value) else -1


def arrow(direction: Vector) -> str:
    """The arrow nearest a screen direction (y up); a dot where the gradient is nearly zero."""
    dx, dy = direction
    if math.hypot(dx, dy) < 1e-9 or not (math.isfinite(dx) and math.isfinite(dy)):
        return "∙"
    return ARROWS[round(math.atan2(dy, dx) / (math.pi / 4)) % 8]


def line(dx: float, dy: float) -> str:
    """The line glyph nearest a screen direction (y up)."""
    return LINES[round(math.atan2(dy, dx) / (math.pi / 4)) % 4]
