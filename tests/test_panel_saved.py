"""Training runs and device measurements survive a restart: JSON in the data folder, bounded, and
an unreadable file is set aside with a warning, never a crash (real MXNet, the real app)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from d2l_tui.gpulab import measure as measure_module
from d2l_tui.gpulab.saved import MEASUREMENTS_FILE, measurements_from_json, measurements_to_json
from d2l_tui.training.history import RunRecord
from d2l_tui.training.saved import (
    RUNS_FILE,
    SAVED_CURVE_POINTS,
    SavedRuns,
    downsample,
    record_from_json,
    record_to_json,
)
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.device_panel import DevicePanel
from d2l_tui.ui.widgets.loss_chart import LossChart
import test_device_panel as device_tests
from test_training_chart import new_app
from test_training_panel import ended, open_panel, send_key, type_setting, until


def a_record(lr: float = 0.03, curve_points: int = 10, outcome: str = "finished") -> RunRecord:
    return RunRecord(
        settings={"lr": lr, "batch_size": 10, "true_w": (2.0, -3.4)},
        engine="MXNet nd, from scratch",
        outcome=outcome,
        steps=300,
        curve=tuple(float(i) for i in range(curve_points)) + (math.inf, math.nan),
        epoch_losses=(0.1, 0.01),
        w=(2.0, -3.4),
        b=4.2,
    )


def test_a_run_record_goes_through_json_and_back() -> None:
    record = a_record()
    data = json.loads(json.dumps(record_to_json(record), allow_nan=False))  # strict JSON: no NaN
    back = record_from_json(data)
    assert back.settings == record.settings and back.w == record.w and back.b == 4.2
    assert back.curve[:10] == record.curve[:10] and all(math.isnan(v) for v in back.curve[10:])
    assert len(record_to_json(a_record(curve_points=5000))["curve"]) == SAVED_CURVE_POINTS
    assert downsample((1.0, 3.0, 5.0, 7.0), 2) == (2.0, 6.0)


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"settings": 1},
        {"settings": {}, "outcome": "won", "steps": 1},
        {"settings": {}, "outcome": "finished", "steps": -1},
        {"settings": {}, "outcome": "finished", "steps": 3, "curve": ["x"]},
    ],
)
def test_a_bad_run_entry_is_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        record_from_json(bad)


def test_saved_runs_are_bounded_and_bad_entries_skipped(tmp_path: Path) -> None:
    saved = SavedRuns(tmp_path)
    saved.save("lesson/panel", [a_record(lr=i / 100) for i in range(1, 9)], limit=5)
    data = json.loads((tmp_path / RUNS_FILE).read_text(encoding="utf-8"))
    assert [r["settings"]["lr"] for r in data["panels"]["lesson/panel"]["runs"]] == [
        0.04,
        0.05,
        0.06,
        0.07,
        0.08,
    ]
    data["panels"]["lesson/panel"]["runs"].insert(0, {"settings": "garbage"})
    (tmp_path / RUNS_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert [r.settings["lr"] for r in SavedRuns(tmp_path).runs("lesson/panel", 5)] == [
        0.04,
        0.05,
        0.06,
        0.07,
        0.08,
    ]
    for index in range(105):
        saved.save(f"lesson/p{index}", [a_record()], limit=5)
    assert len(json.loads((tmp_path / RUNS_FILE).read_text(encoding="utf-8"))["panels"]) == 100


@pytest.mark.parametrize("text", ["{not json", '{"version": 99, "panels": {}}', "[]", "\udcff"])
def test_an_unreadable_runs_file_is_set_aside_not_lost(tmp_path: Path, text: str) -> None:
    path = tmp_path / RUNS_FILE
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    saved = SavedRuns(tmp_path)
    assert saved.runs("lesson/panel", 5) == [] and saved.problem
    assert saved.moved_to is not None and saved.moved_to.read_bytes() == text.encode(
        "utf-8", "surrogateescape"
    )
    saved.save("lesson/panel", [a_record()], limit=5)
    assert len(SavedRuns(tmp_path).runs("lesson/panel", 5)) == 1


async def test_a_panels_runs_come_back_after_a_restart(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "lr", "0.05")
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        first = panel.history.latest
        assert first is not None and first.settings["lr"] == 0.05
    saved = json.loads((isolated_data_dir / RUNS_FILE).read_text(encoding="utf-8"))
    assert list(saved["panels"]) == ["train/linreg-scratch"]

    again = new_app(isolated_data_dir, "zh")
    async with again.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, again)
        assert [r.settings["lr"] for r in panel.history] == [0.05]
        back = panel.history.latest
        assert back is not None and back.epoch_losses == first.epoch_losses and back.w == first.w
        assert panel.query_one(LossChart).ghost, "the saved run is the faint curve behind the next"
        assert "lr=0.05" in str(panel.query_one(".train-history").render())


async def test_a_corrupt_runs_file_warns_and_the_panel_still_trains(
    isolated_data_dir: Path,
) -> None:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / RUNS_FILE).write_text('{"version": 1, "panels": ', encoding="utf-8")
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_panel(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any("could not be read" in note and "set aside" in note for note in notes), notes
        assert len(panel.history) == 0
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
    assert list(isolated_data_dir.glob(f"{RUNS_FILE}.unreadable-*"))
    assert json.loads((isolated_data_dir / RUNS_FILE).read_text(encoding="utf-8"))["panels"]


async def test_a_device_measurement_comes_back_after_a_restart(
    monkeypatch, isolated_data_dir: Path
) -> None:
    monkeypatch.setattr(measure_module, "QUICK_PLAN", device_tests.SMALL)
    course, size = device_tests.COURSE, device_tests.SIZE
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="device")
    async with app.run_test(size=size) as pilot:
        panel = await device_tests.open_panel(pilot, app)
        app.simulate_key("m")
        await device_tests.wait_for(pilot, lambda: panel.running)
        await device_tests.wait_for(pilot, lambda: not panel.running)
        measured = panel.measured
        assert measured is not None
    data = json.loads((isolated_data_dir / MEASUREMENTS_FILE).read_text(encoding="utf-8"))
    assert measurements_from_json(measurements_to_json(measured)) == measured

    again = make_app(
        lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="device"
    )
    async with again.run_test(size=size) as pilot:
        panel = await device_tests.open_panel(pilot, again)
        assert isinstance(panel, DevicePanel) and panel.measured == measured
        assert again.session.latest_measurements() == measured
        assert "Measured in" in device_tests.status(
            panel
        ) and "earlier session" in device_tests.status(panel)
        await pilot.pause()
        assert device_tests.section(panel, "matmul").has_class("-filled")
    assert list(data["panels"]) == [f"device/{panel.key}"]
