"""The GPU lab's core: detection, real (tiny) MXNet measurements, cancelling, the roofline, the cards, the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading

import pytest

from d2l_tui.cli import main
from d2l_tui.course.directives import validate_directive
from d2l_tui.gpulab import measure as measure_module
from d2l_tui.gpulab.cards import CARDS, compare, headline
from d2l_tui.gpulab.cost import estimate_epoch_seconds
from d2l_tui.gpulab.detect import SIMD_OF_INTEREST, detect, merge_gpus, parse_nvidia_smi
from d2l_tui.gpulab.measure import Cancelled, Measurements, Plan, Progress, measure
from d2l_tui.gpulab.report import SECTIONS, detect_lines, section_lines, text_report
from d2l_tui.gpulab.roofline import Roof, chart, device_roofline, place
from d2l_tui.gpulab.words import cells, progress_label, wrap_cjk
from d2l_tui.gpulab.workloads import elementwise_add, linreg_step, matmul
from d2l_tui.training.config import TrainConfig

TINY = Plan(
    (16, 32),
    (1,),
    1,
    repeats=2,
    min_sample_s=0.002,
    overhead_ops=20,
    train_steps=2,
    train_impls=("scratch", "numpy"),
)
"""Real measurements, sized to take a fraction of a second."""


@pytest.fixture(scope="module")
def tiny() -> tuple[Measurements, list[Progress]]:
    seen: list[Progress] = []
    return measure(True, plan=TINY, on_progress=seen.append), seen


@pytest.mark.skipif(shutil.which("nvidia-smi") is not None, reason="this machine has nvidia-smi")
def test_detection_without_a_gpu_says_so() -> None:
    found = detect()
    assert found.gpus == () and found.nvidia_smi == "not found"
    assert (
        found.mxnet.available and found.mxnet.version.startswith("1.") and found.mxnet.num_gpus == 0
    )
    assert found.cpu.cores >= 1 and found.cpu.model
    assert set(found.cpu.simd) <= set(SIMD_OF_INTEREST)
    text = "\n".join(detect_lines(found, 80))
    assert "GPUs   none: mx.context.num_gpus() = 0; nvidia-smi not found" in text
    assert "runs on the CPU" in text


def test_nvidia_smi_output_is_read_and_merged_with_mxnet() -> None:
    smi = parse_nvidia_smi(
        "0, NVIDIA H100 80GB HBM3, 81559, 550.54.15\n1, Tesla T4, 15360, 550.54.15\ngarbage\n"
    )
    assert [(g.index, g.name, g.memory_mib, g.driver) for g in smi] == [
        (0, "NVIDIA H100 80GB HBM3", 81559, "550.54.15"),
        (1, "Tesla T4", 15360, "550.54.15"),
    ]
    merged = merge_gpus(smi, mxnet_count=1, mxnet_memory={})
    assert [g.mxnet_usable for g in merged] == [True, False]
    assert merge_gpus([], mxnet_count=0, mxnet_memory={}) == ()


def test_a_tiny_measurement_gives_positive_figures_and_progress(tiny) -> None:
    measured, seen = tiny
    cpu = measured.cpu
    assert set(cpu.matmul_gflops()) == {16, 32} and all(v > 0 for v in cpu.matmul_gflops().values())
    assert cpu.bandwidth_gbs > 0 and cpu.add.gflops > 0 and cpu.op_overhead_s > 0
    assert [s.impl for s in measured.steps] == ["scratch", "numpy"] and all(
        s.seconds > 0 for s in measured.steps
    )
    assert measured.gpus == () or all(g.peak_gflops("float16") > 0 for g in measured.gpus)
    done = [p.done for p in seen]
    assert done == sorted(done) and seen[-1].done == seen[-1].total and seen[-1].fraction == 1.0
    assert any(p.label.startswith("matmul 16×16") for p in seen)


def test_cancel_mid_run_stops_within_a_sample() -> None:
    slow = Plan(
        (512, 512, 512), (64,), 64, repeats=5, min_sample_s=0.3, overhead_ops=200, train_steps=50
    )
    cancel, seen = threading.Event(), []

    def progress(step: Progress) -> None:
        """Cancel as the third sample starts, as the lab's Esc does between two of them."""
        seen.append(step)
        if len(seen) == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        measure(False, plan=slow, on_progress=progress, cancel=cancel)
    # Counted, not timed (a loaded CI machine stretches any clock): the third sample was cut short
    # inside its timing loop, and no sample started after it, of the ~30 in the plan.
    assert len(seen) == 3


def test_roofline_classifies_made_up_numbers() -> None:
    roof = Roof(peak_gflops=100.0, bandwidth_gbs=10.0)
    assert roof.ridge == 10.0
    assert roof.attainable(1.0) == 10.0 and roof.attainable(1000.0) == 100.0
    assert roof.bound(0.5) == "bandwidth" and roof.bound(10.0) == "compute"
    assert matmul(600).intensity == pytest.approx(100.0) and elementwise_add(
        1000
    ).intensity == pytest.approx(1 / 12)
    assert place(roof, "C", matmul(600), measured=95.0).limit == "compute"
    assert place(roof, "A", elementwise_add(10**6), measured=0.8).limit == "bandwidth"
    step = place(roof, "B", linreg_step(10, 2), measured=1e-4)
    assert step.bound == "bandwidth" and step.limit == "overhead"
    # A bigger minibatch does more work per byte only barely: linear regression stays bandwidth-bound.
    assert roof.bound(linreg_step(100_000, 2).intensity) == "bandwidth"
    assert linreg_step(10, 2).ops == linreg_step(1000, 5).ops == 24


def test_roofline_chart_fits_and_places_the_points(tiny) -> None:
    measured, _ = tiny
    roofline = device_roofline(measured.cpu, measured.step("scratch"))
    assert [p.letter for p in roofline.points] == ["A", "B", "C"]
    for width in (46, 72, 80):
        lines = chart(roofline, width=width)
        assert all(len(line) <= width for line in lines)
        body = "\n".join(lines)
        assert all(letter in body for letter in "ABC") and "┊" in body
        a_col = next(line.index("A") for line in lines if "A" in line)
        c_col = next(line.index("C") for line in lines if "C" in line)
        assert a_col < c_col, "the add sits left of the matmul: fewer FLOPs per byte"


def test_cards_table_and_ratios() -> None:
    assert len(CARDS) == 7 and len({c.name for c in CARDS}) == 7
    for card in CARDS:
        assert card.fp32_tflops > 0 and card.memory_gb > 0 and card.bandwidth_gbs > 0
        assert card.source and card.url.startswith("https://www.nvidia.com/")
        assert (card.fp16_tflops is None) == (card.name == "GTX 1080 Ti"), "only Pascal lacks tensor cores"
        if card.fp16_tflops:
            assert card.fp16_tflops > card.fp32_tflops
    h100 = compare(peak_gflops=1000.0, bandwidth_gbs=100.0)[-1]
    assert h100.card.name == "H100 SXM"
    assert h100.compute_ratio == pytest.approx(
        h100.card.fp32_tflops
    ) and h100.bandwidth_ratio == pytest.approx(h100.card.bandwidth_gbs / 100)
    assert headline(h100, "this CPU").startswith(
        f"An H100 SXM has about {h100.compute_ratio:.0f}× this CPU's measured fp32 compute"
    )


def test_cost_estimate_follows_the_configuration(tiny) -> None:
    measured, _ = tiny
    book = estimate_epoch_seconds(TrainConfig(), measured)
    assert book.steps == 100 and book.step.ops == 24 and book.seconds > 0
    assert book.total_seconds == pytest.approx(3 * book.seconds)
    assert book.binds == "overhead" and book.fixed_measured
    bigger = estimate_epoch_seconds({"batch_size": 100, "examples": 1000}, measured)
    assert bigger.steps == 10 and bigger.seconds < book.seconds
    many = estimate_epoch_seconds({"examples": 10_000}, measured)
    assert many.steps == 1000 and many.memory_s > book.memory_s
    gluon = estimate_epoch_seconds({"impl": "gluon"}, measured)
    assert not gluon.fixed_measured, (
        "gluon was not timed in this run: the estimate says it used the per-operation cost"
    )
    assert set(book.to_dict()) >= {"epoch_seconds", "binds", "assumptions", "steps_per_epoch"}


def test_json_shape_from_the_cli(monkeypatch, capsys) -> None:
    monkeypatch.setattr(measure_module, "QUICK_PLAN", TINY)
    assert main(["gpu", "--quick", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "cpu",
        "gpus",
        "mxnet",
        "matmul_gflops",
        "bandwidth_gbs",
        "roofline",
        "compare",
        "cost",
    } <= set(data)
    assert data["cpu"]["cores"] >= 1 and isinstance(data["gpus"], list)
    assert set(data["matmul_gflops"]) == {"16", "32"} and all(
        v > 0 for v in data["matmul_gflops"].values()
    )
    assert data["bandwidth_gbs"] > 0 and data["quick"] is True
    roofline = data["roofline"]
    assert roofline["ridge_flops_per_byte"] == pytest.approx(
        roofline["peak_gflops"] / roofline["bandwidth_gbs"]
    )
    assert [w["bound"] in ("compute", "bandwidth") for w in roofline["workloads"]] == [True] * 3
    assert len(data["compare"]["cards"]) == len(CARDS) and data["cost"]["epoch_seconds"] > 0
    assert data["compare"]["cards"][-1]["url"] == "https://www.nvidia.com/en-us/data-center/h100/"


def test_text_report_is_readable_at_80_columns(tiny) -> None:
    measured, _ = tiny
    text = text_report(detect(), measured, 80)
    assert all(len(line) <= 80 for line in text.splitlines())
    for title in (
        "This machine",
        "Matrix multiply",
        "Memory bandwidth",
        "Roofline",
        "Compared with known GPUs",
        "Cost of an epoch",
    ):
        assert title in text
    assert "Sources" in text and "H100 SXM: NVIDIA H100 Tensor Core GPU datasheet" in text


def test_chinese_report_fits_its_width_and_keeps_the_numbers(tiny) -> None:
    measured, _ = tiny
    found = detect()
    for width in (60, 80):
        for name in SECTIONS:
            if name == "compare" and width < 72:
                continue  # the card table is as wide in English: a table cannot wrap
            chinese = section_lines(name, found, measured, width, "zh")
            assert [line for line in chinese if cells(line) > width] == [], (name, width)
    roofline = "\n".join(section_lines("roofline", found, measured, 80, "zh"))
    assert "双对数坐标" in roofline and "FLOP/byte" in roofline and "bound" not in roofline
    cost = "\n".join(section_lines("cost", found, measured, 80, "zh"))
    assert "假设：" in cost and "Assumptions" not in cost


def test_chinese_wrapping_breaks_between_characters_never_inside_words() -> None:
    lines = wrap_cjk("在 cpu 上；复制（copy）把每个字节读一遍、写一遍（搬运量是大小的 2 倍）", 20, "  ", "    ")
    assert all(cells(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == "在cpu上；复制（copy）把每个字节读一遍、写一遍（搬运量是大小的2倍）"
    assert not any(line.strip()[0] in "，。；）" for line in lines[1:])
    assert not any(line.endswith("（") for line in lines)
    # Two closing marks in a row, at the edge: the character before them moves down with both.
    assert wrap_cjk("一次损失（多 7 个操作）。", 22, "", "  ") == ["一次损失（多 7 个操", "  作）。"]


def test_every_progress_label_has_chinese_words(tiny) -> None:
    _, seen = tiny
    labels = {progress.label for progress in seen if progress.done < progress.total}
    assert labels, "the measurement reported progress"
    for label in labels:
        assert progress_label(label, "zh") != label, label
        assert progress_label(label, "en") == label


def test_device_block_show_items_are_checked() -> None:
    assert validate_directive("device", {"show": ["detect", "roofline"], "quick": True}) == []
    [(key, message)] = validate_directive("device", {"show": ["detect", "rooflin"]})
    assert key == ("show",) and "did you mean 'roofline'" in message
    assert "at least one" in validate_directive("device", {"show": []})[0][1]


def test_the_core_imports_neither_textual_nor_mxnet() -> None:
    modules = [
        f"d2l_tui.gpulab.{m}"
        for m in ("detect", "measure", "roofline", "cards", "cost", "report", "command")
    ]
    code = "; ".join(f"import {m}" for m in modules) + "; import sys; print(' '.join(sys.modules))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
    )
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "mxnet")}
