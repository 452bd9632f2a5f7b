"""A surface panel's repaint after one step of gradient descent: f sampled once per size (cached)
against sampled again at every repaint. A run-all repaints 12 times a second.

Reported as a ratio to the uncached repaint measured in the same run.

    python benchmarks/surface_step.py
"""

from __future__ import annotations

import statistics
import time

from d2l_tui.surfaces.calculus import curvature
from d2l_tui.surfaces.descent import descend
from d2l_tui.surfaces.model import Surface
from d2l_tui.surfaces.picture import Picture
from d2l_tui.ui.widgets.surface_panel import draw

SIZES = [(28, 14), (66, 14)]
"""Beside the words at 100 columns (x and y to scale), and the full width of a narrow panel."""
REPAINTS = 60


def repaint_seconds(surface: Surface, width: int, height: int, *, cached: bool) -> float:
    """Median seconds for one repaint while the path grows a step at a time."""
    path = descend(surface.f, surface.start, surface.lr, REPAINTS)
    shape = curvature(surface.f, *surface.start)
    picture = Picture(surface, width, height)
    times = []
    for steps in range(1, REPAINTS + 1):
        start = time.perf_counter()
        drawn = picture if cached else Picture(surface, width, height)
        draw(drawn, path[:steps], shape)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    surface = Surface.from_block({"function": "0.5*x**2 + 5*y**2", "start": [-1.8, 0.8], "lr": 0.18})
    for width, height in SIZES:
        uncached = repaint_seconds(surface, width, height, cached=False)
        cached = repaint_seconds(surface, width, height, cached=True)
        print(f"{width}x{height}: sampled every repaint {uncached * 1e3:.2f} ms (baseline); "
              f"sampled once {cached * 1e3:.2f} ms, {cached / uncached:.2f}x the baseline")


if __name__ == "__main__":
    main()
