"""The GPU lab's findings as plain text of a given width (CLI and panel) and as JSON data."""

from __future__ import annotations

import textwrap

from d2l_tui.gpulab.block import SHOW_ITEMS
from d2l_tui.gpulab.cards import NOTE, compare, headline, times
from d2l_tui.gpulab.cost import ASSUMPTIONS, EpochEstimate, estimate_epoch_seconds
from d2l_tui.gpulab.detect import Detection
from d2l_tui.gpulab.results import DeviceMeasurements, Measurements
from d2l_tui.gpulab.roofline import Roofline, chart, device_roofline
from d2l_tui.training.config import TrainConfig

SECTIONS = SHOW_ITEMS
"""What a report can show, in order; a `device` block's `show` picks among them."""
BAR = "█"
BINDS = "▸"


def seconds(value: float) -> str:
    """A duration a learner can read: 0.17 µs, 94 ms, 1.3 s."""
    for factor, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")):
        if value >= factor:
            return f"{value / factor:.3g} {unit}"
    return f"{value / 1e-9:.2g} ns"


def nbytes(value: float) -> str:
    """A byte count: 1.5 kB, 201 MB (decimal units, like GB/s)."""
    for factor, unit in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if value >= factor:
            return f"{value / factor:.3g} {unit}"
    return f"{value:.0f} B"


def wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    """Wrap prose with a hanging indent."""
    # Never break inside a word or at a hyphen: URLs and numbers must stay whole to be copied.
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]


def percent(fraction: float) -> str:
    """89%, 1.2%, 0.007%: small fractions keep a significant digit instead of showing 0%."""
    return f"{fraction:.0%}" if fraction >= 0.01 else f"{fraction * 100:.1g}%"


def detect_lines(found: Detection, width: int) -> list[str]:
    """CPU, SIMD, MXNet and GPUs, one fact a line."""
    cpu, mx = found.cpu, found.mxnet
    lines = wrap(
        f"CPU    {cpu.model} ({cpu.cores} cores usable of {cpu.logical_cores}, {cpu.machine})",
        width,
    )
    lines += wrap(f"SIMD   {' '.join(cpu.simd) or 'not reported by the OS'}", width)
    if mx.available:
        lines += wrap(
            f"MXNet  {mx.version} · {' '.join(mx.features) or 'no build features reported'}"
            f"{'' if mx.has_cuda else ' · no CUDA in this build'}",
            width,
        )
    else:
        lines += wrap(f"MXNet  not available: {mx.problem}", width) + wrap(
            f"fix: {mx.fix}", width, "         "
        )
    if found.gpus:
        for gpu in found.gpus:
            memory = f"{gpu.memory_mib / 1024:.0f} GiB" if gpu.memory_mib else "memory unknown"
            driver = f", driver {gpu.driver}" if gpu.driver else ""
            usable = "MXNet can use it" if gpu.mxnet_usable else "MXNet cannot use it"
            lines += wrap(f"GPU {gpu.index}  {gpu.name}, {memory}{driver}; {usable}", width)
    else:
        lines += wrap(
            f"GPUs   none: mx.context.num_gpus() = {mx.num_gpus}; nvidia-smi {found.nvidia_smi}. "
            "Everything here runs on the CPU.",
            width,
        )
    for note in found.notes:
        lines += wrap(f"note   {note}", width)
    return lines


def matmul_lines(device: DeviceMeasurements, repeats: int, width: int) -> list[str]:
    """GFLOP/s by matrix size, with bars, for every dtype measured."""
    lines = []
    for dtype in dict.fromkeys(p.dtype for p in device.matmul):
        rates = device.matmul_gflops(dtype)
        top = max(rates.values())
        lines += wrap(
            f"n×n times n×n, {dtype}, on {device.device}: 2n³ FLOPs each; median of {repeats} timed samples",
            width,
        )
        bar_room = max(4, width - 19)
        lines.append(f"  {'n':>5}  {'GFLOP/s':>8}")
        for n, rate in rates.items():
            lines.append(f"  {n:>5}  {rate:>8.3g}  {BAR * max(1, round(rate / top * bar_room))}")
    return lines


def bandwidth_lines(device: DeviceMeasurements, width: int) -> list[str]:
    """Copy bandwidth by array size, and the elementwise add."""
    lines = wrap(
        f"On {device.device}; a copy reads and writes every byte (2 × the size moved), "
        "an add reads two arrays and writes one:",
        width,
    )
    for point in device.copy:
        lines.append(f"  copy {point.mib:>4} MiB  {point.gbs:>6.3g} GB/s")
    add = device.add
    lines.append(
        f"  add  {add.n * 4 // 2**20:>4} MiB  {add.gbs:>6.3g} GB/s  = {add.gflops:.3g} GFLOP/s"
    )
    lines += wrap(
        f"One tiny MXNet operation costs about {seconds(device.op_overhead_s)} before any arithmetic.",
        width,
    )
    return lines


def roofline_lines(roofline: Roofline, width: int) -> list[str]:
    """Header, chart and legend of one device's roofline."""
    roof = roofline.roof
    lines = wrap(
        f"{roofline.device}, {roofline.dtype}, log-log axes: peak {roof.peak_gflops:.3g} GFLOP/s "
        f"(best matmul), bandwidth {roof.bandwidth_gbs:.3g} GB/s (copy); the roofs meet at "
        f"{roof.ridge:.3g} FLOP/byte (┊). FLOP/s up, FLOP/byte across.",
        width,
        "",
    )
    lines += chart(roofline, width=min(width, 78), height=12 if width >= 60 else 10)
    for p in roofline.points:
        measured = p.measured_gflops or 0.0
        verdict = {
            "compute": "compute-bound",
            "bandwidth": "bandwidth-bound",
            "overhead": f"far under its {p.bound} roof: per-operation overhead limits it",
        }[p.limit]
        lines += wrap(
            f"{p.letter} {p.workload.name}: {p.workload.intensity:.3g} FLOP/byte; roof "
            f"{p.attainable_gflops:.3g} GFLOP/s, measured {measured:.3g} "
            f"({percent(measured / p.attainable_gflops)}); {verdict}",
            width,
            "",
        )
    return lines


def compare_lines(reference: DeviceMeasurements, width: int) -> list[str]:
    """Known cards beside the measured device, with ratios and sources."""
    comparisons = compare(reference.peak_gflops(), reference.bandwidth_gbs)
    wide = width >= 72
    columns = ["card", "fp32", *(["fp16"] if wide else []), "mem", "GB/s", "×fp32", "×GB/s"]
    rows = []
    for c in comparisons:
        card = c.card
        fp16 = [f"{card.fp16_tflops:g}" if card.fp16_tflops else "—"] if wide else []
        rows.append(
            [
                card.name,
                f"{card.fp32_tflops:g}",
                *fp16,
                f"{card.memory_gb:g}",
                f"{card.bandwidth_gbs:g}",
                times(c.compute_ratio),
                times(c.bandwidth_ratio),
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(columns)]
    machine = f"this {'CPU' if reference.device == 'cpu' else 'GPU'}"
    lines = wrap(
        f"Known cards beside {machine} ({reference.peak_gflops():.3g} GFLOP/s, {reference.bandwidth_gbs:.3g} "
        f"GB/s measured). TFLOP/s, GB, GB/s from vendor datasheets; × = card ÷ {machine}.",
        width,
        "",
    )
    for row in [columns, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        lines.append("  " + "  ".join(cells))
    lines += wrap(headline(comparisons[-1], machine), width, "")
    lines += wrap(NOTE, width, "")
    # Long URLs cannot be wrapped or cropped usefully at 50-80 columns: the JSON carries them.
    lines.append("Sources (their URLs: d2l-tui gpu --format json):")
    for c in comparisons:
        lines += wrap(f"{c.card.name}: {c.card.source}", width)
    return lines


def cost_lines(estimate: EpochEstimate, width: int) -> list[str]:
    """The epoch estimate with its three terms and the assumptions behind it."""
    c, step = estimate.config, estimate.step
    terms = [
        (
            "compute",
            "arithmetic",
            estimate.compute_s,
            f"{estimate.steps} × {step.flops:.0f} FLOPs ÷ peak",
        ),
        (
            "bandwidth",
            "memory",
            estimate.memory_s,
            f"{estimate.steps} × {nbytes(step.bytes)} ÷ bandwidth",
        ),
        (
            "overhead",
            "fixed cost",
            estimate.overhead_s,
            (
                f"{estimate.steps} × {seconds(estimate.fixed_step_s)} a step"
                f"{'' if estimate.fixed_measured else ' (from the cost per operation)'}"
            ),
        ),
    ]
    lines = wrap(
        f"Cost preview: linear regression, impl {c.impl}, batch {c.batch_size}, {c.examples:,} examples, "
        f"{len(c.true_w)} features: {estimate.steps} steps an epoch, each {step.ops} MXNet operations, "
        f"{step.flops:.0f} FLOPs and {nbytes(step.bytes)} moved.",
        width,
        "",
    )
    for key, name, value, how in terms:
        lines += wrap(
            f"{BINDS if key == estimate.binds else ' '} {name:<10} {seconds(value):>9}  {how}",
            width,
            " ",
        )
    binding = next(name for key, name, _, _ in terms if key == estimate.binds)
    lines += wrap(
        f"≈ {seconds(estimate.seconds)} an epoch; {seconds(estimate.total_seconds)} for "
        f"{c.epochs} epoch{'s' if c.epochs != 1 else ''}; the {binding} binds ({BINDS}).",
        width,
        "",
    )
    if estimate.binds == "overhead":
        roof_only = max(estimate.compute_s, estimate.memory_s)
        lines += wrap(
            f"The roofline alone would predict {seconds(roof_only)}: a model this small never reaches "
            "either roof; the fixed cost of each step decides.",
            width,
            "",
        )
    lines.append("Assumptions:")
    for text in ASSUMPTIONS:
        lines += wrap(f"- {text}", width)
    return lines


def reference_device(measured: Measurements) -> DeviceMeasurements:
    """The device the cards are compared with: the first GPU measured, else the CPU."""
    return measured.gpus[0] if measured.gpus else measured.cpu


def rooflines(measured: Measurements) -> list[Roofline]:
    """The CPU's roofline (with a real training step) and each GPU's, fp32 and fp16."""
    lines = [device_roofline(measured.cpu, measured.step("scratch"))]
    for gpu in measured.gpus:
        lines += [device_roofline(gpu, None, dtype) for dtype in ("float32", "float16")]
    return lines


def section_lines(
    name: str, found: Detection | None, measured: Measurements | None, width: int
) -> list[str]:
    """One section's text; measured sections are empty until there are measurements."""
    if name == "detect":
        return detect_lines(found, width) if found else []
    if measured is None:
        return []
    devices = [measured.cpu, *measured.gpus]
    if name == "matmul":
        return [line for d in devices for line in matmul_lines(d, measured.plan.repeats, width)]
    if name == "bandwidth":
        return [line for d in devices for line in bandwidth_lines(d, width)]
    if name == "roofline":
        return [line for r in rooflines(measured) for line in ["", *roofline_lines(r, width)]][1:]
    if name == "compare":
        return compare_lines(reference_device(measured), width)
    if name == "cost":
        return cost_lines(estimate_epoch_seconds(TrainConfig(), measured), width)
    raise ValueError(f"unknown section {name!r}")


TITLES = {
    "detect": "This machine",
    "matmul": "Matrix multiply",
    "bandwidth": "Memory bandwidth",
    "roofline": "Roofline",
    "compare": "Compared with known GPUs",
    "cost": "Cost of an epoch",
}


def text_report(found: Detection, measured: Measurements | None, width: int = 80) -> str:
    """Every section under its title, as `d2l-tui gpu` prints it."""
    out = []
    for name in SECTIONS:
        lines = section_lines(name, found, measured, width)
        if lines:
            out += [TITLES[name], "─" * len(TITLES[name]), *lines, ""]
    return "\n".join(out).rstrip() + "\n"
