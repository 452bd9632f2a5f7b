"""A small braille canvas (2x4 dots per character cell) with layers, rendered as styled runs."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.style import Style

BRAILLE_BLANK = 0x2800
# The bit of dot (column dx, row dy) inside one braille character.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


class BrailleCanvas:
    """Dots on a grid of `width` x `height` cells; a cell takes the style of its highest layer.

    Dot coordinates run from (0, 0) at the top left to (2 * width - 1, 4 * height - 1).
    """

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = max(1, width), max(1, height)
        self.dots_x, self.dots_y = 2 * self.width, 4 * self.height
        self._bits = [[0] * self.width for _ in range(self.height)]
        self._layer = [[-1] * self.width for _ in range(self.height)]

    def copy(self) -> BrailleCanvas:
        """A canvas with the same dots, to draw more on without touching this one."""
        twin = BrailleCanvas(self.width, self.height)
        twin._bits = [row[:] for row in self._bits]
        twin._layer = [row[:] for row in self._layer]
        return twin

    def dot(self, x: float, y: float, layer: int = 0) -> None:
        """Set the dot nearest to (x, y); dots off the canvas are ignored."""
        if math.isfinite(x) and math.isfinite(y):
            self._set(round(x), round(y), layer)

    def _set(self, ix: int, iy: int, layer: int) -> None:
        if 0 <= ix < self.dots_x and 0 <= iy < self.dots_y:
            row, col = iy >> 2, ix >> 1
            self._bits[row][col] |= _BITS[ix & 1][iy & 3]
            if layer > self._layer[row][col]:
                self._layer[row][col] = layer

    def line(self, x0: float, y0: float, x1: float, y1: float, layer: int = 0) -> None:
        """Draw a straight line of dots, clipped to the canvas."""
        isfinite = math.isfinite
        if not (isfinite(x0) and isfinite(y0) and isfinite(x1) and isfinite(y1)):
            return
        # Clip far-away ends so a huge value cannot make the loop below run for ever.
        limit = 4.0 * (self.dots_x + self.dots_y)
        x0, x1 = min(max(x0, -limit), limit), min(max(x1, -limit), limit)
        y0, y1 = min(max(y0, -limit), limit), min(max(y1, -limit), limit)
        dx, dy = x1 - x0, y1 - y0
        steps = int(max(abs(dx), abs(dy))) + 1
        put = self._set
        for i in range(steps + 1):
            t = i / steps
            put(round(x0 + dx * t), round(y0 + dy * t), layer)

    def polyline(self, points: Sequence[tuple[float, float]], layer: int = 0) -> None:
        """Join consecutive points with lines; a non-finite point breaks the line."""
        isfinite = math.isfinite
        previous: tuple[float, float] | None = None
        for point in points:
            if not (isfinite(point[0]) and isfinite(point[1])):
                previous = None
                continue
            if previous is None:
                self.dot(*point, layer)
            else:
                self.line(*previous, *point, layer)
            previous = point

    def rows(self, styles: Sequence[Style]) -> list[list[tuple[str, Style]]]:
        """Render the canvas: per row, runs of (text, style), each cell styled by its top layer."""
        blank = Style()
        rows: list[list[tuple[str, Style]]] = []
        for bits, layers in zip(self._bits, self._layer, strict=True):
            runs: list[tuple[str, Style]] = []
            chars: list[str] = []
            run_layer = -2
            for bit, layer in zip(bits, layers, strict=True):
                if layer != run_layer and chars:
                    runs.append(("".join(chars), _style(styles, run_layer, blank)))
                    chars = []
                run_layer = layer
                chars.append(chr(BRAILLE_BLANK + bit) if bit else " ")
            if chars:
                runs.append(("".join(chars), _style(styles, run_layer, blank)))
            rows.append(runs)
        return rows


def _style(styles: Sequence[Style], layer: int, blank: Style) -> Style:
    return styles[layer] if 0 <= layer < len(styles) else blank


class Scale:
    """Maps data values onto dot coordinates, linearly or on a log10 scale."""

    def __init__(
        self, low: float, high: float, dots: int, *, log: bool = False, flip: bool = False
    ) -> None:
        self.log = log
        self.low, self.high = (self._t(low), self._t(high))
        if not self.high > self.low:
            self.low, self.high = self.low - 0.5, self.high + 0.5
        self.dots, self.flip = dots, flip

    def _t(self, value: float) -> float:
        if not self.log:
            return value
        return math.log10(value) if value > 0 else -math.inf

    def __call__(self, value: float) -> float:
        position = (self._t(value) - self.low) / (self.high - self.low) * (self.dots - 1)
        return (self.dots - 1) - position if self.flip else position


def finite_range(values: Sequence[float], *, positive: bool = False) -> tuple[float, float] | None:
    """The smallest and largest finite values (only those above 0 when `positive`), or None."""
    kept = [v for v in values if math.isfinite(v) and (v > 0 or not positive)]
    return (min(kept), max(kept)) if kept else None
