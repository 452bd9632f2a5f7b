"""Panel state kept across restarts as JSON in the data folder: training run histories (and the
file helpers the device panel's saved measurements share).

Plain JSON only (never pickle: the data folder may be writable by someone else), written
atomically (a reader sees the old file or the new one), bounded (the last runs per panel, curves
downsampled, a limited number of panels), and read defensively: a file that is not what we wrote
is set aside with a warning, never a crash; a bad entry is skipped.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from d2l_tui.training.history import RunRecord

FORMAT_VERSION = 1
RUNS_FILE = "training-runs.json"
MAX_PANELS = 100
"""Panels remembered; the least recently saved are forgotten beyond this."""
SAVED_CURVE_POINTS = 256
"""Points kept of a saved run's loss curve (the chart is at most a few hundred dots wide)."""
MAX_FILE_BYTES = 8 * 2**20
"""A saved-state file larger than this is not ours (100 panels × 5 runs fit in well under 1 MiB)."""


class SavedFileProblem(Exception):
    """A saved-state file could not be read; the message says why, in plain words."""


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The JSON object a saved-state file holds; None when there is no file; raises `SavedFileProblem`."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SavedFileProblem(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise SavedFileProblem(str(error) or type(error).__name__) from None
    if (
        not isinstance(data, dict)
        or data.get("version") != FORMAT_VERSION
        or not isinstance(data.get("panels"), dict)
    ):
        raise SavedFileProblem(f"not a version {FORMAT_VERSION} file of saved panels")
    return data


def set_aside(path: Path) -> Path | None:
    """Move an unreadable file out of the way (kept, not deleted), so the next save does not overwrite it."""
    aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as JSON so that a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def bounded_panels(panels: dict[str, Any], limit: int = MAX_PANELS) -> dict[str, Any]:
    """Keep the `limit` most recently saved panels (each entry carries its "saved" time)."""
    if len(panels) <= limit:
        return panels

    def saved_at(item: tuple[str, Any]) -> float:
        value = item[1].get("saved", 0) if isinstance(item[1], dict) else 0
        return float(value) if isinstance(value, (int, float)) else 0.0

    return dict(sorted(panels.items(), key=saved_at)[-limit:])


def _number(value: float | None) -> float | None:
    """A float as JSON can hold it: NaN and infinities (a diverged run's last losses) become null."""
    return value if value is not None and math.isfinite(value) else None


def _float(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    return float(value)


def downsample(values: tuple[float, ...], most: int = SAVED_CURVE_POINTS) -> tuple[float, ...]:
    """At most `most` points: neighbours averaged in equal groups, so the curve keeps its shape."""
    if len(values) <= most:
        return values
    size = len(values) / most
    groups = [values[round(i * size) : round((i + 1) * size)] for i in range(most)]
    return tuple(sum(group) / len(group) for group in groups if group)


def record_to_json(record: RunRecord) -> dict[str, Any]:
    """A run record as plain JSON data (its curve downsampled)."""
    settings = {k: list(v) if isinstance(v, tuple) else v for k, v in record.settings.items()}
    return {
        "settings": settings,
        "engine": record.engine,
        "outcome": record.outcome,
        "steps": record.steps,
        "curve": [_number(v) for v in downsample(record.curve)],
        "epoch_losses": [_number(v) for v in record.epoch_losses],
        "w": [_number(v) for v in record.w],
        "b": _number(record.b),
        "message": str(record.message),
        "test_loss": _number(record.test_loss),
        "test_acc": _number(record.test_acc),
    }


OUTCOMES = ("finished", "diverged", "stopped", "failed")


def record_from_json(data: Any) -> RunRecord:
    """A run record from `record_to_json`'s data; raises ValueError for anything else."""
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        raise TypeError("a run is not an object with settings")
    settings = {str(k): tuple(v) if isinstance(v, list) else v for k, v in data["settings"].items()}
    outcome, steps = data.get("outcome"), data.get("steps")
    if (
        outcome not in OUTCOMES
        or isinstance(steps, bool)
        or not isinstance(steps, int)
        or steps < 0
    ):
        raise ValueError("a run's outcome or steps are not valid")
    return RunRecord(
        settings=settings,
        engine=str(data.get("engine", "")),
        outcome=outcome,
        steps=steps,
        curve=tuple(_float(v) for v in _list(data.get("curve"))),
        epoch_losses=tuple(_float(v) for v in _list(data.get("epoch_losses"))),
        w=tuple(_float(v) for v in _list(data.get("w"))),
        b=_optional(data.get("b")),
        message=str(data.get("message", "")),
        # Runs saved before the test set was recorded have neither: they show without it.
        test_loss=_optional(data.get("test_loss")),
        test_acc=_optional(data.get("test_acc")),
    )


def _optional(value: Any) -> float | None:
    """A number that may be missing (or null: not finite) as a float, else None."""
    return None if value is None else _float(value)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"not a list: {type(value).__name__}")
    return value


class PanelsFile:
    """A data-folder file of saved panels by key, read on first use; an unreadable one is set aside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._panels: dict[str, Any] | None = None
        self.problem: str | None = None
        """Why the file was ignored when it was read (it was set aside), for a warning; else None."""
        self.moved_to: Path | None = None
        """Where the unreadable file was moved (None when it could not be moved)."""

    def _loaded(self) -> dict[str, Any]:
        if self._panels is None:
            try:
                data = read_json_file(self.path)
            except SavedFileProblem as error:
                self.problem = str(error)
                self.moved_to = set_aside(self.path)
                data = None
            self._panels = dict(data["panels"]) if data else {}
        return self._panels

    def _store(self, key: str, entry: dict[str, Any]) -> None:
        """Keep one panel's entry (the file stays bounded) and write the file; raises OSError when it cannot."""
        panels = self._loaded()
        panels[key] = entry
        self._panels = bounded_panels(panels)
        write_json_atomic(self.path, {"version": FORMAT_VERSION, "panels": self._panels})


class SavedRuns(PanelsFile):
    """The training panels' run histories in the data folder, read on first use, saved after each run."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir / RUNS_FILE)

    def runs(self, key: str, limit: int) -> list[RunRecord]:
        """The saved runs of one panel, oldest first, at most `limit`; bad entries are skipped."""
        entry = self._loaded().get(key)
        found: list[RunRecord] = []
        for item in (
            entry.get("runs", [])
            if isinstance(entry, dict) and isinstance(entry.get("runs"), list)
            else []
        ):
            try:
                found.append(record_from_json(item))
            except (ValueError, TypeError):
                continue
        return found[-limit:]

    def save(self, key: str, records: Iterable[RunRecord], limit: int) -> None:
        """Remember a panel's runs (the last `limit`) and write the file; raises OSError when it cannot."""
        self._store(key, {"saved": time.time(), "runs": [record_to_json(r) for r in list(records)[-limit:]]})
