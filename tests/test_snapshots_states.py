"""Snapshots of the other states a learner sees: lessons at three sizes, a finished training panel,
the function plot, the device panel, review, Help, the palette and a restored cell (`--snapshot-update`)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from d2l_tui.gpulab.detect import CpuInfo, Detection, MXNetInfo
from d2l_tui.gpulab.measure import QUICK_PLAN
from d2l_tui.gpulab.results import (
    AddPoint,
    CopyPoint,
    DeviceMeasurements,
    MatmulPoint,
    Measurements,
    StepTiming,
)
from d2l_tui.trust import TrustStore
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.widgets.code_cell import CodeCell
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.training_panel import TrainingPanel
from d2l_tui.workbook import Workbook
from test_snapshots_quiz import hold_still, settle, tab_to, tick_the_runs

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (100, 30)
DEADLINE_S = 120.0
"""A generous limit for a run or a cell (MXNet loads first); each normally takes seconds."""


def course(name: str) -> Path:
    """A fixture course by a relative path, so no checkout path shows in a picture."""
    return Path(os.path.relpath(FIXTURES / name))


async def wait_until(pilot, condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen"
        await pilot.pause(0.1)


async def quiet(pilot) -> None:
    """Settle, then clear the toasts and stop the cursors blinking (no clock in the picture)."""
    await settle(pilot)
    await hold_still(pilot)


# Lessons at 100x30, 80x24 and 60x20 --------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)], ids=["100x30", "80x24", "60x20"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lesson(snap_compare, isolated_data_dir: Path, lang: str, size: tuple[int, int]) -> None:
    """You should see the linear-algebra lesson opened: its title and first paragraphs, the outline on
    the left from 80 columns up (none at 60), and the Footer's keys whole, in the lesson's language
    (no English words on the Chinese screens)."""
    app = make_app(data_dir=isolated_data_dir, lang=lang, open_lesson="linear-algebra")
    assert snap_compare(app, terminal_size=size, run_before=quiet)


# A finished training panel, linear and log ---------------------------------------------------


def trained(log: bool):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot)
        panel = app.screen.query(TrainingPanel).first()
        await tab_to(pilot, app, panel)
        await pilot.press("s")
        await wait_until(pilot, lambda: panel.history and not panel.view.active, "the run's end")
        if not log:  # the panel starts on a log axis
            await pilot.press("y")
        await quiet(pilot)

    return run_before


@pytest.mark.parametrize("log", [True, False], ids=["log", "linear"])
def test_finished_training_panel(snap_compare, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                 log: bool) -> None:
    """You should see the "From scratch" panel after 3 epochs of linear regression (lr 0.03, batch 10,
    1000 examples, the default seed): the loss curve falling to the noise floor (on a log axis in the
    log picture, straight on a linear one), the learned w₁, w₂, b beside the true and exact ones, and the
    run listed as this panel's first run. The steps/s comes from a clock that ticks 1 ms per reading
    (the real one differs on every run)."""
    tick_the_runs(monkeypatch)
    app = make_app(lessons_dir=course("train_course"), data_dir=isolated_data_dir, lang="en", open_lesson="train")
    assert snap_compare(app, terminal_size=SIZE, run_before=trained(log))


# The function plot ----------------------------------------------------------------------------


def test_function_plot(snap_compare, isolated_data_dir: Path) -> None:
    """You should see f(x) = 3x² − 4x drawn over [-1, 3] in braille with its tangent at x = 1, the axes
    labelled, and the plot's keys in the Footer (the plot is focused)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("tab")
        await quiet(pilot)

    app = make_app(lessons_dir=course("plot_course"), data_dir=isolated_data_dir, lang="en", open_lesson="plots")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# The device panel with a fixed measurement ----------------------------------------------------


def fake_machine() -> tuple[Detection, Measurements]:
    """A made-up 4-core CPU without GPUs, measured at made-up speeds: the same picture on every machine."""
    cpu = CpuInfo("Example CPU @ 3.0GHz", 4, 8, ("sse4_2", "avx2"), "x86_64")
    found = Detection(cpu, MXNetInfo(True, "1.9.1", ("BLAS_OPEN",), 0), nvidia_smi="not found")
    sizes = QUICK_PLAN.matmul_sizes
    matmul = tuple(MatmulPoint(n, "float32", 2 * n**3 / (50e9 * n / 1024)) for n in sizes)
    copy = tuple(CopyPoint(mib, 2 * mib * 2**20 / 8e9) for mib in QUICK_PLAN.copy_mib)
    measured = DeviceMeasurements("cpu(0)", matmul, copy, AddPoint(2**24, 2**24 * 12 / 8e9), 20e-6)
    steps = (StepTiming("scratch", 10, 2, 300e-6), StepTiming("gluon", 10, 2, 450e-6))
    return found, Measurements(measured, steps=steps, plan=QUICK_PLAN, seconds=3.0)


def test_device_panel(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the device panel "This machine" with a made-up CPU (Example CPU, 4 cores, AVX2, no
    GPU) and its made-up measurement: about 50 GFLOP/s for 1024² matmul, 8 GB/s copies, the roofline
    with the CPU's ridge, and the step timings of both implementations."""
    found, measured = fake_machine()
    app = make_app(lessons_dir=course("device_course"), data_dir=isolated_data_dir, lang="en", open_lesson="device")
    # Before the panel mounts: it shows these instead of detecting and measuring this machine.
    app.session.detected = found
    app.session.measured[("device", "lab")] = (time.monotonic(), measured)
    assert snap_compare(app, terminal_size=SIZE, run_before=quiet)


# Review, Help and the palette -----------------------------------------------------------------


def test_review_screen(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the review screen holding the choice question answered wrong once, ready to be
    tried again, with its lesson's title."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        card = pilot.app.screen.query_one(QuizCard)
        await tab_to(pilot, pilot.app, card)
        await pilot.press("2", "enter")
        assert card.grade is not None and card.grade.outcome == "wrong"
        await pilot.press("R")
        await quiet(pilot)

    app = make_app(lessons_dir=course("snapshot_quiz_course"), data_dir=isolated_data_dir, lang="en",
                   open_lesson="choice")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help(snap_compare, isolated_data_dir: Path, lang: str) -> None:
    """You should see Help over a lesson: the keys of the lesson, the app and the blocks with what each
    does, in the app's language."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await quiet(pilot)

    app = make_app(data_dir=isolated_data_dir, lang=lang, open_lesson="preface")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_palette(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the command palette over the course map, searching "line": the linear-regression
    lessons and commands matching it, the best match highlighted."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+p", *"line")
        await pilot.pause(0.5)  # the palette searches in a worker of its own
        await quiet(pilot)

    app = make_app(data_dir=isolated_data_dir, lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# A restored cell ------------------------------------------------------------------------------

RAN_AT = 1767605400.0
"""2026-01-05 09:30 UTC: the time the restored cell says it ran (the picture is drawn with TZ=UTC)."""


async def run_first_cell(cells: Path, data_dir: Path) -> None:
    """Run the lesson's first cell in a real kernel, as a learner would, and quit (the app saves it)."""
    app = make_app(cells, data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen), "the lesson's opening")
        await app.screen.mount_all_now()
        await pilot.pause()
        cell = app.screen.query(CodeCell).first()
        cell.editor.focus()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not cell.running and cell.output_text, "the cell's output")


def freeze_the_clock(data_dir: Path) -> None:
    """Give the saved run a fixed time and duration: the real ones change with every test run."""
    path = Workbook.open(data_dir).path("cells")
    saved = json.loads(path.read_text(encoding="utf-8"))
    (cell,) = [cell for cell in saved["cells"].values() if cell["result"]]
    assert cell["result"]["status"] == "ok" and cell["result"]["output"].strip() == "made a"
    cell["ran_at"], cell["result"]["duration_s"] = RAN_AT, 0.012
    path.write_text(json.dumps(saved), encoding="utf-8")


def test_restored_cell(snap_compare, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """You should see the cells lesson after a restart: the first cell's code and its output "made a"
    back from the workbook, its border saying it ran fine in 12 ms on 2026-01-05 09:30, and the cells
    below it not run."""
    cells = course("cells_course")
    TrustStore.open(isolated_data_dir).remember(cells, True)
    asyncio.run(run_first_cell(cells, isolated_data_dir))
    freeze_the_clock(isolated_data_dir)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        app = make_app(cells, isolated_data_dir, lang="en", open_lesson="cells")
        assert snap_compare(app, terminal_size=SIZE, run_before=quiet)
    finally:
        monkeypatch.undo()
        time.tzset()
