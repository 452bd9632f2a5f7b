"""The `device` panel in the real app: detection at once, a measurement on `m` with progress, cancel with x or Esc."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Static

from d2l_tui.gpulab import measure as measure_module
from d2l_tui.gpulab.measure import Plan
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.widgets.device_panel import DevicePanel

COURSE = Path(__file__).parent / "fixtures" / "device_course"
SIZE = (100, 30)
SMALL = Plan(
    (32, 64),
    (4,),
    4,
    repeats=2,
    min_sample_s=0.02,
    overhead_ops=20,
    train_steps=3,
    train_impls=("scratch",),
)
"""Real measurements, small enough for a test but long enough (~1 s) to watch the progress bar move."""
SLOW = Plan(
    (256, 256, 256, 256), (16,), 16, repeats=5, min_sample_s=0.2, overhead_ops=100, train_steps=20
)
"""A run of about 8 s, to cancel in the middle."""


async def wait_for(pilot, condition, timeout: float = 20.0) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await pilot.pause(0.02)


async def open_panel(pilot, app, panel_id: str = "device-lab") -> DevicePanel:
    """Wait for the lesson and the panel's detection; focus the panel as a learner tabbing to it would."""
    await wait_for(
        pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query(f"#{panel_id}")
    )
    panel = app.screen.query_one(f"#{panel_id}", DevicePanel)
    await wait_for(pilot, lambda: panel.found is not None)
    panel.focus()
    await pilot.pause()
    return panel


def section(panel: DevicePanel, name: str) -> Static:
    return panel.query_one(f"#device-section-{name}", Static)


def status(panel: DevicePanel) -> str:
    return str(panel.query_one(".device-status", Static).render())


async def test_measure_key_shows_progress_then_results(
    monkeypatch, isolated_data_dir: Path
) -> None:
    monkeypatch.setattr(measure_module, "QUICK_PLAN", SMALL)
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="device")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        assert section(panel, "detect").has_class("-filled"), (
            "detection is shown without pressing anything"
        )
        assert "CPU" in str(section(panel, "detect").render())
        assert not section(panel, "matmul").has_class("-filled") and "Press m" in status(panel)
        seen: list[tuple[float, bool, bool]] = []

        def progressed() -> bool:
            in_group = any(w.group == "run:device" and w.is_running for w in app.workers)
            seen.append((panel._bar.percentage or 0.0, panel.has_class("-running"), in_group))
            return not panel.running

        app.simulate_key(
            "m"
        )  # a real key event; pilot.press would wait for the busy process to go idle
        await wait_for(pilot, lambda: panel.running)
        await wait_for(pilot, progressed)
        during = [s for s in seen if 0 < s[0] < 1]
        assert during, "the bar moved while measuring"
        assert all(shown and in_group for _, shown, in_group in during), (
            "bar shown; q would ask before quitting"
        )
        await pilot.pause()
        assert not panel.has_class("-running") and "Measured in" in status(panel)
        for name in ("matmul", "bandwidth", "roofline", "compare", "cost"):
            assert section(panel, name).has_class("-filled"), name
        assert "GFLOP/s" in str(section(panel, "matmul").render())
        roofline = str(section(panel, "roofline").render())
        assert "A add" in roofline and "C matmul 64×64" in roofline
        assert "H100 SXM" in str(section(panel, "compare").render())
        assert "an epoch" in str(section(panel, "cost").render())
        assert app.session.latest_measurements() is panel.measured and panel.measured.cpu.peak_gflops() > 0


async def test_cancel_with_x_and_with_escape(monkeypatch, isolated_data_dir: Path) -> None:
    monkeypatch.setattr(measure_module, "QUICK_PLAN", SLOW)
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="device")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        for key in ("x", "escape"):
            app.simulate_key(
                "m"
            )  # real key events; pilot.press would wait for the busy process to go idle
            await wait_for(pilot, lambda: panel.running and (panel._bar.progress or 0) >= 2)
            pressed = time.monotonic()
            app.simulate_key(key)
            await wait_for(pilot, lambda: not panel.running, timeout=3)
            assert time.monotonic() - pressed < 1.5, (
                f"{key} stopped the run within about one sample"
            )
            assert "Cancelled" in status(panel) and not section(panel, "matmul").has_class(
                "-filled"
            )
            assert isinstance(app.screen, LessonScreen), (
                f"{key} during a run cancels; it does not leave the lesson"
            )
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen), (
            "with nothing running, Esc goes back to the map as usual"
        )


async def test_a_block_shows_only_its_show_list(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="device")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app, "device-roof-only")
        assert [box.id for box in panel.query(".device-section")] == [
            "device-section-detect",
            "device-section-roofline",
        ]
        full = app.screen.query_one("#device-lab", DevicePanel)
        assert len(full.query(".device-section")) == 6
        await app.workers.wait_for_complete()
