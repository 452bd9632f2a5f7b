"""A device panel's last measurement kept across restarts, as JSON in the data folder.

The same rules as the training runs' file (see training/saved.py): plain JSON, atomic, bounded,
and an unreadable file is set aside with a warning.
"""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path
from typing import Any

from d2l_tui.gpulab.results import (
    AddPoint,
    CopyPoint,
    DeviceMeasurements,
    MatmulPoint,
    Measurements,
    StepTiming,
)
from d2l_tui.training.saved import PanelsFile

MEASUREMENTS_FILE = "device-measurements.json"
MAX_ITEMS = 64
"""Points per list at most (a full plan has 7 matmul sizes per dtype): more is not ours."""


def _device_to_json(device: DeviceMeasurements) -> dict[str, Any]:
    return {
        "device": device.device,
        "matmul": [[p.n, p.dtype, p.seconds] for p in device.matmul],
        "copy": [[p.mib, p.seconds] for p in device.copy],
        "add": [device.add.n, device.add.seconds],
        "op_overhead_s": device.op_overhead_s,
    }


def measurements_to_json(measured: Measurements) -> dict[str, Any]:
    """A measurement run as plain JSON data."""
    return {
        "cpu": _device_to_json(measured.cpu),
        "gpus": [_device_to_json(gpu) for gpu in measured.gpus],
        "steps": [[s.impl, s.batch, s.features, s.seconds] for s in measured.steps],
        "plan": dataclasses.asdict(measured.plan) if measured.plan else None,
        "seconds": measured.seconds,
        "quick": measured.quick,
        "notes": list(measured.notes),
    }


def _seconds(value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"not a positive time: {value!r}")
    return float(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"not a positive whole number: {value!r}")
    return value


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValueError("not a short list")
    return value


def _device_from_json(data: Any) -> DeviceMeasurements:
    if not isinstance(data, dict):
        raise TypeError("a device is not an object")
    add = _items(data.get("add"))
    copies = tuple(CopyPoint(_whole(m), _seconds(s)) for m, s in _items(data.get("copy")))
    if not copies:
        raise ValueError("no copy timings")  # the bandwidth is the largest copy's
    return DeviceMeasurements(
        device=str(data.get("device", "cpu")),
        matmul=tuple(
            MatmulPoint(_whole(n), str(d), _seconds(s)) for n, d, s in _items(data.get("matmul"))
        ),
        copy=copies,
        add=AddPoint(_whole(add[0]), _seconds(add[1])),
        op_overhead_s=_seconds(data.get("op_overhead_s")),
    )


def _plan_from_json(data: Any) -> Any:
    from d2l_tui.gpulab.measure import Plan

    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("the plan is not an object")
    names = {f.name for f in dataclasses.fields(Plan)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names
    }
    return Plan(**values)


def measurements_from_json(data: Any) -> Measurements:
    """A measurement run from `measurements_to_json`'s data; raises ValueError (or TypeError) otherwise."""
    if not isinstance(data, dict):
        raise TypeError("a measurement is not an object")
    steps = tuple(
        StepTiming(str(i), _whole(b), _whole(f), _seconds(s))
        for i, b, f, s in _items(data.get("steps", []))
    )
    seconds = data.get("seconds", 0.0)
    return Measurements(
        cpu=_device_from_json(data.get("cpu")),
        gpus=tuple(_device_from_json(g) for g in _items(data.get("gpus", []))),
        steps=steps,
        plan=_plan_from_json(data.get("plan")),
        seconds=float(seconds)
        if isinstance(seconds, (int, float)) and math.isfinite(seconds)
        else 0.0,
        quick=bool(data.get("quick", True)),
        notes=tuple(str(n) for n in _items(data.get("notes", []))),
    )


class SavedMeasurements(PanelsFile):
    """Each device panel's last measurement in the data folder, read on first use, saved after each run."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir / MEASUREMENTS_FILE)

    def last(self, key: str) -> tuple[float, Measurements] | None:
        """When (wall-clock seconds) and what a panel last measured; None when nothing usable is saved."""
        entry = self._loaded().get(key)
        if not isinstance(entry, dict):
            return None
        try:
            saved = entry.get("saved")
            when = (
                float(saved)
                if isinstance(saved, (int, float)) and not isinstance(saved, bool)
                else 0.0
            )
            return when, measurements_from_json(entry.get("measured"))
        except (ValueError, TypeError):
            return None

    def save(self, key: str, measured: Measurements) -> None:
        """Remember a panel's measurement and write the file; raises OSError when it cannot."""
        self._store(key, {"saved": time.time(), "measured": measurements_to_json(measured)})
