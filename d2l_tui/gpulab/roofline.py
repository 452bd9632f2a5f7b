"""The roofline model: attainable FLOP/s = min(peak, intensity × bandwidth); which limit binds; a text chart."""

from __future__ import annotations

import math
from dataclasses import dataclass

from d2l_tui.gpulab.results import DeviceMeasurements, StepTiming
from d2l_tui.gpulab.workloads import FP32_BYTES, Workload, elementwise_add, linreg_step, matmul

OVERHEAD_FRACTION = 0.1
"""A workload measured below this fraction of its roof is limited by per-operation overhead instead."""
_BRAILLE = 0x2800
_DOT_BITS = (
    (0x01, 0x02, 0x04, 0x40),
    (0x08, 0x10, 0x20, 0x80),
)  # [column][row] inside a braille cell


@dataclass(frozen=True)
class Roof:
    """The two limits of a device: peak compute (GFLOP/s) and memory bandwidth (GB/s)."""

    peak_gflops: float
    bandwidth_gbs: float

    @property
    def ridge(self) -> float:
        """The intensity (FLOPs per byte) where the limits meet: below it bandwidth binds, above it compute."""
        return self.peak_gflops / self.bandwidth_gbs

    def attainable(self, intensity: float) -> float:
        """The best GFLOP/s a workload of this intensity can reach."""
        return min(self.peak_gflops, intensity * self.bandwidth_gbs)

    def bound(self, intensity: float) -> str:
        """ "compute" or "bandwidth": the limit that binds at this intensity."""
        return "compute" if intensity >= self.ridge else "bandwidth"


@dataclass(frozen=True)
class RooflinePoint:
    """A workload placed under a roof, with the rate measured for it where there is one."""

    letter: str
    workload: Workload
    attainable_gflops: float
    bound: str
    measured_gflops: float | None = None

    @property
    def efficiency(self) -> float | None:
        """Measured / attainable."""
        return (
            None if self.measured_gflops is None else self.measured_gflops / self.attainable_gflops
        )

    @property
    def limit(self) -> str:
        """What limits it in practice: "compute", "bandwidth", or "overhead" when far under both roofs."""
        if self.efficiency is not None and self.efficiency < OVERHEAD_FRACTION:
            return "overhead"
        return self.bound


@dataclass(frozen=True)
class Roofline:
    """A device's roof and the lessons' workloads under it."""

    device: str
    dtype: str
    roof: Roof
    points: tuple[RooflinePoint, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "device": self.device,
            "dtype": self.dtype,
            "peak_gflops": self.roof.peak_gflops,
            "bandwidth_gbs": self.roof.bandwidth_gbs,
            "ridge_flops_per_byte": self.roof.ridge,
            "workloads": [
                {
                    "name": p.workload.name,
                    "flops": p.workload.flops,
                    "bytes": p.workload.bytes,
                    "intensity": p.workload.intensity,
                    "attainable_gflops": p.attainable_gflops,
                    "bound": p.bound,
                    "measured_gflops": p.measured_gflops,
                    "limit": p.limit,
                }
                for p in self.points
            ],
        }


def place(
    roof: Roof, letter: str, workload: Workload, measured: float | None = None
) -> RooflinePoint:
    """Put a workload under a roof."""
    return RooflinePoint(
        letter,
        workload,
        roof.attainable(workload.intensity),
        roof.bound(workload.intensity),
        measured,
    )


def device_roofline(
    device: DeviceMeasurements, step: StepTiming | None = None, dtype: str = "float32"
) -> Roofline:
    """The roofline of a measured device with an add, a linear-regression step (if timed) and the largest matmul."""
    roof = Roof(device.peak_gflops(dtype), device.bandwidth_gbs)
    largest = max((p for p in device.matmul if p.dtype == dtype), key=lambda p: p.n)
    points = [place(roof, "A", elementwise_add(device.add.n), device.add.gflops)]
    if step is not None:
        work = linreg_step(step.batch, step.features)
        points.append(place(roof, "B", work, work.flops / step.seconds / 1e9))
    dtype_bytes = 2 if dtype == "float16" else FP32_BYTES
    work = matmul(largest.n, dtype_bytes)
    points.append(place(roof, "C" if step is not None else "B", work, largest.gflops))
    return Roofline(device.device, dtype, roof, tuple(points))


def si(value: float) -> str:
    """A short SI number: 1.2k, 35G, 950M (for axis labels)."""
    for factor, suffix in (
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
    ):
        if abs(value) >= factor * 0.999:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.1g}"


@dataclass(frozen=True)
class _LogAxes:
    """Log-log axes of a chart `cols` × `height` cells: braille dots, 2 across and 4 down a cell."""

    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float
    cols: int
    height: int

    @property
    def dots_x(self) -> int:
        return 2 * self.cols

    @property
    def dots_y(self) -> int:
        return 4 * self.height

    def px(self, x: float) -> float:
        span = math.log10(self.x_hi) - math.log10(self.x_lo)
        return (math.log10(x) - math.log10(self.x_lo)) / span * (self.dots_x - 1)

    def py(self, y_flops: float) -> float:
        t = (math.log10(max(y_flops, 1e-30)) - math.log10(self.y_lo)) / (
            math.log10(self.y_hi) - math.log10(self.y_lo)
        )
        return (1 - t) * (self.dots_y - 1)

    def x_at(self, dx: int) -> float:
        """The intensity at dot column `dx`."""
        span = math.log10(self.x_hi) - math.log10(self.x_lo)
        return 10 ** (math.log10(self.x_lo) + dx / (self.dots_x - 1) * span)


def _axes(roofline: Roofline, cols: int, height: int) -> _LogAxes:
    """Decades around the points and the ridge; the roof with a little headroom above it."""
    roof, points = roofline.roof, roofline.points
    xs = [p.workload.intensity for p in points] + [roof.ridge]
    x_lo, x_hi = 10 ** math.floor(math.log10(min(xs))), 10 ** math.ceil(math.log10(max(xs) * 1.5))
    y_hi = roof.peak_gflops * 1e9 * 1.6
    lows = [roof.attainable(x_lo) * 1e9] + [p.measured_gflops * 1e9 for p in points if p.measured_gflops]
    y_lo = max(
        10 ** math.floor(math.log10(min(lows))),
        10 ** math.floor(math.log10(y_hi / 10 ** max(3, height * 2 // 3))),
    )
    return _LogAxes(x_lo, x_hi, y_lo, y_hi, cols, height)


def _roof_grid(roof: Roof, axes: _LogAxes) -> list[list[str]]:
    """The roof as braille cells, its slope without gaps, and a dotted line down from the ridge."""
    bits = [[0] * axes.cols for _ in range(axes.height)]
    previous: int | None = None
    for dx in range(axes.dots_x):
        dy = round(axes.py(roof.attainable(axes.x_at(dx)) * 1e9))
        span = range(min(dy, previous), max(dy, previous) + 1) if previous is not None else [dy]
        for y in span:  # fill vertical gaps so the slope stays a line
            if 0 <= y < axes.dots_y:
                bits[y // 4][dx // 2] |= _DOT_BITS[dx % 2][y % 4]
        previous = dy
    grid = [[chr(_BRAILLE + b) if b else " " for b in row] for row in bits]
    ridge_col = int(axes.px(roof.ridge)) // 2
    for row in range(round(axes.py(roof.peak_gflops * 1e9)) // 4 + 1, axes.height):
        if grid[row][ridge_col] == " ":
            grid[row][ridge_col] = "┊"
    return grid


def _x_axis(axes: _LogAxes, label_w: int) -> list[str]:
    """The x axis with a tick per decade, and the decades under it where they do not collide."""
    cols = axes.cols
    axis, under = ["─"] * cols, [" "] * (cols + 4)
    for decade in range(round(math.log10(axes.x_lo)), round(math.log10(axes.x_hi)) + 1):
        col = min(cols - 1, int(axes.px(10.0**decade)) // 2)
        axis[col] = "┬"
        text = f"{10.0**decade:g}" if decade >= -3 else f"1e{decade}"
        start = min(max(0, col - len(text) // 2), cols - len(text))  # the last label stays inside
        if all(c == " " for c in under[max(0, start - 1) : start + len(text) + 1]):
            under[start : start + len(text)] = list(text)
    return [f"{'':>{label_w}} └{''.join(axis)}", f"{'':>{label_w}}  {''.join(under).rstrip()}"]


def chart(roofline: Roofline, width: int = 72, height: int = 12) -> list[str]:
    """Draw the roof (braille) and the measured points (letters) on log-log axes, `width` columns wide."""
    label_w = 5
    cols = max(10, width - label_w - 2)
    axes = _axes(roofline, cols, height)
    grid = _roof_grid(roofline.roof, axes)
    for point in roofline.points:
        measured = (point.measured_gflops or point.attainable_gflops) * 1e9
        row = min(height - 1, max(0, round(axes.py(measured)) // 4))
        grid[row][min(cols - 1, int(axes.px(point.workload.intensity)) // 2)] = point.letter
    labels: dict[int, str] = {}
    for decade in range(round(math.log10(axes.y_lo)), round(math.log10(axes.y_hi)) + 1):
        labels.setdefault(min(height - 1, round(axes.py(10.0**decade)) // 4), si(10.0**decade))
    lines = [
        f"{labels.get(row, ''):>{label_w}} {'┤' if row in labels else '│'}{''.join(grid[row])}"
        for row in range(height)
    ]
    return lines + _x_axis(axes, label_w)
