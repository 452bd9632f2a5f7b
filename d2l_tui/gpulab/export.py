"""The GPU lab's findings as JSON data for scripts (`d2l-tui gpu --format json`)."""

from __future__ import annotations

from typing import Any

from d2l_tui.gpulab.cards import compare
from d2l_tui.gpulab.cost import estimate_epoch_seconds
from d2l_tui.gpulab.detect import Detection
from d2l_tui.gpulab.report import reference_device, rooflines
from d2l_tui.gpulab.results import DeviceMeasurements, Measurements
from d2l_tui.gpulab.roofline import device_roofline
from d2l_tui.training.config import TrainConfig


def json_report(found: Detection, measured: Measurements | None) -> dict[str, Any]:
    """All of it as plain data: cpu, gpus, matmul_gflops by size, bandwidth_gbs, roofline, compare, cost."""
    detected = found.to_dict()
    data: dict[str, Any] = {
        "cpu": detected["cpu"],
        "mxnet": detected["mxnet"],
        "gpus": detected["gpus"],
        "nvidia_smi": found.nvidia_smi,
        "notes": list(found.notes),
    }
    if measured is None:
        return data
    cpu = measured.cpu
    data.update(
        {
            "quick": measured.quick,
            "seconds": measured.seconds,
            "repeats": measured.plan.repeats if measured.plan else None,
            "matmul_gflops": {str(n): v for n, v in cpu.matmul_gflops().items()},
            "bandwidth_gbs": cpu.bandwidth_gbs,
            "copy_gbs": {str(p.mib): p.gbs for p in cpu.copy},
            "add": {"elements": cpu.add.n, "gflops": cpu.add.gflops, "gbs": cpu.add.gbs},
            "op_overhead_s": cpu.op_overhead_s,
            "train_step_s": {s.impl: s.seconds for s in measured.steps},
            "roofline": rooflines(measured)[0].to_dict(),
            "gpu_measurements": [_device_json(gpu) for gpu in measured.gpus],
            "compare": {
                "against": reference_device(measured).device,
                "cards": [
                    c.to_dict()
                    for c in compare(
                        reference_device(measured).peak_gflops(),
                        reference_device(measured).bandwidth_gbs,
                    )
                ],
            },
            "cost": estimate_epoch_seconds(TrainConfig(), measured).to_dict(),
        }
    )
    return data


def _device_json(device: DeviceMeasurements) -> dict[str, Any]:
    return {
        "device": device.device,
        "matmul_gflops": {
            dtype: {str(n): v for n, v in device.matmul_gflops(dtype).items()}
            for dtype in ("float32", "float16")
        },
        "bandwidth_gbs": device.bandwidth_gbs,
        "op_overhead_s": device.op_overhead_s,
        "roofline": {
            dtype: device_roofline(device, None, dtype).to_dict()
            for dtype in ("float32", "float16")
        },
    }
