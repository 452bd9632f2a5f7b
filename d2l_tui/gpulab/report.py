"""The GPU lab's findings as plain text of a given width (CLI and panel) and as JSON data."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from d2l_tui.gpulab.block import SHOW_ITEMS
from d2l_tui.gpulab.cards import NOTE, compare, headline, times
from d2l_tui.gpulab.cost import ASSUMPTIONS, EpochEstimate, estimate_epoch_seconds
from d2l_tui.gpulab.detect import Detection
from d2l_tui.gpulab.results import DeviceMeasurements, Measurements
from d2l_tui.gpulab.roofline import Roofline, chart, device_roofline
from d2l_tui.gpulab.words import ASSUMPTIONS_ZH, cells, pad, say, wrap_cjk
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
    """Wrap prose with a hanging indent (by terminal columns when it has Chinese in it)."""
    if cells(text) != len(text):
        return wrap_cjk(text, width, indent, indent + "  ") or [""]
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


def detect_lines(found: Detection, width: int, lang: str = "en") -> list[str]:
    """CPU, SIMD, MXNet and GPUs, one fact a line."""
    cpu, mx = found.cpu, found.mxnet
    lines = wrap(
        say(lang, "cpu", model=cpu.model, cores=cpu.cores, logical=cpu.logical_cores, machine=cpu.machine),
        width,
    )
    lines += wrap(say(lang, "simd", simd=" ".join(cpu.simd) or say(lang, "simd-none")), width)
    if mx.available:
        features = " ".join(mx.features) or say(lang, "mxnet-no-features")
        cuda = "" if mx.has_cuda else say(lang, "mxnet-no-cuda")
        lines += wrap(say(lang, "mxnet", version=mx.version, features=features, cuda=cuda), width)
    else:
        lines += wrap(say(lang, "mxnet-missing", problem=mx.problem), width) + wrap(
            say(lang, "fix", fix=mx.fix), width, say(lang, "fix-indent")
        )
    if found.gpus:
        for gpu in found.gpus:
            memory = (
                say(lang, "gpu-memory", gib=gpu.memory_mib / 1024)
                if gpu.memory_mib
                else say(lang, "gpu-memory-unknown")
            )
            driver = say(lang, "gpu-driver", driver=gpu.driver) if gpu.driver else ""
            usable = say(lang, "gpu-usable" if gpu.mxnet_usable else "gpu-unusable")
            lines += wrap(
                say(lang, "gpu", index=gpu.index, name=gpu.name, memory=memory, driver=driver, usable=usable),
                width,
            )
    else:
        lines += wrap(say(lang, "gpus-none", count=mx.num_gpus, smi=found.nvidia_smi), width)
    for note in found.notes:
        lines += wrap(say(lang, "note", note=note), width)
    return lines


def matmul_lines(device: DeviceMeasurements, repeats: int, width: int, lang: str = "en") -> list[str]:
    """GFLOP/s by matrix size, with bars, for every dtype measured."""
    lines = []
    for dtype in dict.fromkeys(p.dtype for p in device.matmul):
        rates = device.matmul_gflops(dtype)
        top = max(rates.values())
        lines += wrap(say(lang, "matmul", dtype=dtype, device=device.device, repeats=repeats), width)
        bar_room = max(4, width - 19)
        lines.append(f"  {'n':>5}  {'GFLOP/s':>8}")
        for n, rate in rates.items():
            lines.append(f"  {n:>5}  {rate:>8.3g}  {BAR * max(1, round(rate / top * bar_room))}")
    return lines


def bandwidth_lines(device: DeviceMeasurements, width: int, lang: str = "en") -> list[str]:
    """Copy bandwidth by array size, and the elementwise add."""
    lines = wrap(say(lang, "bandwidth", device=device.device), width)
    for point in device.copy:
        lines.append(f"  copy {point.mib:>4} MiB  {point.gbs:>6.3g} GB/s")
    add = device.add
    lines.append(
        f"  add  {add.n * 4 // 2**20:>4} MiB  {add.gbs:>6.3g} GB/s  = {add.gflops:.3g} GFLOP/s"
    )
    lines += wrap(say(lang, "overhead", seconds=seconds(device.op_overhead_s)), width)
    return lines


def roofline_lines(roofline: Roofline, width: int, lang: str = "en") -> list[str]:
    """Header, chart and legend of one device's roofline."""
    roof = roofline.roof
    header = say(
        lang, "roofline", device=roofline.device, dtype=roofline.dtype, peak=roof.peak_gflops,
        bandwidth=roof.bandwidth_gbs, ridge=roof.ridge,
    )
    lines = wrap(header, width, "")
    lines += chart(roofline, width=min(width, 78), height=12 if width >= 60 else 10)
    for p in roofline.points:
        measured = p.measured_gflops or 0.0
        verdict = {
            "compute": say(lang, "compute-bound"),
            "bandwidth": say(lang, "bandwidth-bound"),
            "overhead": say(lang, "overhead-bound", bound=say(lang, f"roof-{p.bound}")),
        }[p.limit]
        point = say(
            lang, "point", letter=p.letter, name=p.workload.name, intensity=p.workload.intensity,
            roof=p.attainable_gflops, measured=measured, percent=percent(measured / p.attainable_gflops),
            verdict=verdict,
        )
        lines += wrap(point, width, "")
    return lines


def compare_lines(reference: DeviceMeasurements, width: int, lang: str = "en") -> list[str]:
    """Known cards beside the measured device, with ratios and sources."""
    comparisons = compare(reference.peak_gflops(), reference.bandwidth_gbs)
    wide = width >= 72
    fp16_column = ["fp16"] if wide else []
    columns = [say(lang, "col-card"), "fp32", *fp16_column, say(lang, "col-mem"), "GB/s", "×fp32", "×GB/s"]
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
    widths = [max(cells(h), *(cells(r[i]) for r in rows)) for i, h in enumerate(columns)]
    machine = say(lang, "this-cpu" if reference.device == "cpu" else "this-gpu")
    about = say(
        lang, "compare", machine=machine, peak=reference.peak_gflops(), bandwidth=reference.bandwidth_gbs
    )
    lines = wrap(about, width, "")
    for row in [columns, *rows]:
        shown = [pad(row[0], widths[0])] + [
            " " * (w - cells(cell)) + cell for cell, w in zip(row[1:], widths[1:])
        ]
        lines.append("  " + "  ".join(shown))
    lines += wrap(headline(comparisons[-1], machine, lang), width, "")
    lines += wrap(NOTE if lang == "en" else say(lang, "note-cards"), width, "")
    # Long URLs cannot be wrapped or cropped usefully at 50-80 columns: the JSON carries them.
    lines.append(say(lang, "sources"))
    for c in comparisons:
        lines += wrap(f"{c.card.name}: {c.card.source}", width)
    return lines


def cost_lines(estimate: EpochEstimate, width: int, lang: str = "en") -> list[str]:
    """The epoch estimate with its three terms and the assumptions behind it."""
    c, step = estimate.config, estimate.step
    estimated = "" if estimate.fixed_measured else say(lang, "how-estimated")
    terms = [
        (
            "compute",
            say(lang, "term-compute"),
            estimate.compute_s,
            say(lang, "how-compute", steps=estimate.steps, flops=step.flops),
        ),
        (
            "bandwidth",
            say(lang, "term-bandwidth"),
            estimate.memory_s,
            say(lang, "how-bandwidth", steps=estimate.steps, bytes=nbytes(step.bytes)),
        ),
        (
            "overhead",
            say(lang, "term-overhead"),
            estimate.overhead_s,
            say(
                lang, "how-overhead", steps=estimate.steps, seconds=seconds(estimate.fixed_step_s),
                estimated=estimated,
            ),
        ),
    ]
    about = say(
        lang, "cost", impl=c.impl, batch=c.batch_size, examples=c.examples, features=len(c.true_w),
        steps=estimate.steps, ops=step.ops, flops=step.flops, bytes=nbytes(step.bytes),
    )
    lines = wrap(about, width, "")
    for key, name, value, how in terms:
        lines += wrap(
            f"{BINDS if key == estimate.binds else ' '} {pad(name, 10)} {seconds(value):>9}  {how}",
            width,
            " ",
        )
    binding = next(name for key, name, _, _ in terms if key == estimate.binds)
    epoch = say(
        lang, "epoch", seconds=seconds(estimate.seconds), total=seconds(estimate.total_seconds),
        epochs=c.epochs, plural="s" if c.epochs != 1 else "", binding=binding, binds=BINDS,
    )
    lines += wrap(epoch, width, "")
    if estimate.binds == "overhead":
        roof_only = max(estimate.compute_s, estimate.memory_s)
        lines += wrap(say(lang, "roof-only", seconds=seconds(roof_only)), width, "")
    lines.append(say(lang, "assumptions"))
    for text in ASSUMPTIONS if lang == "en" else ASSUMPTIONS_ZH:
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
    name: str, found: Detection | None, measured: Measurements | None, width: int, lang: str = "en"
) -> list[str]:
    """One section's text in `lang`; measured sections are empty until there are measurements."""
    if name == "detect":
        return detect_lines(found, width, lang) if found else []
    if name not in MEASURED_SECTIONS:
        raise ValueError(f"unknown section {name!r}")
    return MEASURED_SECTIONS[name](measured, width, lang) if measured is not None else []


def _matmul_section(measured: Measurements, width: int, lang: str) -> list[str]:
    repeats = measured.plan.repeats if measured.plan else 0
    return [line for d in (measured.cpu, *measured.gpus) for line in matmul_lines(d, repeats, width, lang)]


def _bandwidth_section(measured: Measurements, width: int, lang: str) -> list[str]:
    return [line for d in (measured.cpu, *measured.gpus) for line in bandwidth_lines(d, width, lang)]


def _roofline_section(measured: Measurements, width: int, lang: str) -> list[str]:
    charts = [["", *roofline_lines(r, width, lang)] for r in rooflines(measured)]
    return [line for chart_lines in charts for line in chart_lines][1:]  # a blank line between charts


MEASURED_SECTIONS: dict[str, Callable[[Measurements, int, str], list[str]]] = {
    "matmul": _matmul_section,
    "bandwidth": _bandwidth_section,
    "roofline": _roofline_section,
    "compare": lambda measured, width, lang: compare_lines(reference_device(measured), width, lang),
    "cost": lambda measured, width, lang: cost_lines(estimate_epoch_seconds(TrainConfig(), measured), width, lang),
}
"""The sections drawn from measurements, by name."""


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
