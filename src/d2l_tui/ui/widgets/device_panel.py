"""The `device` block: this machine detected at once, measured with MXNet on request, its roofline and known GPUs."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import ProgressBar, Static

from d2l_tui.course.model import Block
from d2l_tui.gpulab.block import shown_sections
from d2l_tui.gpulab.report import BINDS, section_lines
from d2l_tui.ui.widgets.prose import ItemWidget

if TYPE_CHECKING:  # the lab's measuring side loads MXNet lazily; only types are needed here
    from d2l_tui.gpulab.detect import Detection
    from d2l_tui.gpulab.measure import Progress
    from d2l_tui.gpulab.results import Measurements

PROGRESS_INTERVAL = 0.05
"""Seconds between progress messages from the worker (20 a second at most)."""
TITLES = {
    "detect": "This machine",
    "matmul": "Matrix multiply (measured)",
    "bandwidth": "Memory bandwidth (measured)",
    "roofline": "Roofline",
    "compare": "Compared with known GPUs",
    "cost": "Cost of an epoch (the book's settings)",
}
# Detection and measurements outlive a panel (leaving and reopening a lesson), per app.
_DETECTED: WeakKeyDictionary[App, Detection] = WeakKeyDictionary()
_MEASURED: WeakKeyDictionary[App, dict[tuple[str, str], tuple[float, Measurements]]] = (
    WeakKeyDictionary()
)


def latest_measurements(app: App) -> Measurements | None:
    """The newest measurements any device panel of this app made (for a cost preview elsewhere)."""
    runs = (_MEASURED.get(app) or {}).values()
    return max(runs, key=lambda run: run[0])[1] if runs else None


class DevicePanel(ItemWidget):
    """Detection shown at once; `m` measures in a worker with a progress bar; `x` or Esc cancels."""

    DEFAULT_CSS = """
    DevicePanel { layout: vertical; height: auto; padding: 0 1; margin: 0 0 1 0; border: round $primary; }
    DevicePanel:focus { border: round $accent; }
    DevicePanel .device-keys { color: $text-muted; height: auto; }
    DevicePanel .device-status { height: auto; }
    DevicePanel .device-status.-problem { color: $warning; }
    DevicePanel ProgressBar { display: none; height: 1; margin: 0 0 0 0; }
    DevicePanel.-running ProgressBar { display: block; }
    DevicePanel .device-section { height: auto; margin: 1 0 0 0; display: none; text-wrap: nowrap; text-overflow: clip; }
    DevicePanel .device-section.-filled { display: block; }
    """
    BINDINGS = [
        Binding("m", "measure", "Measure", id="device-measure"),
        Binding("x,escape", "cancel", "Cancel", id="device-cancel"),
    ]
    can_focus = True

    @dataclass
    class Detected(Message, bubble=False):
        """Detection finished in the worker."""

        found: Detection

    @dataclass
    class Moved(Message, bubble=False):
        """Measurement run number `run` got this far."""

        run: int
        progress: Progress

    @dataclass
    class Ended(Message, bubble=False):
        """Measurement run number `run` ended: with results, or with a message saying why not."""

        run: int
        measured: Measurements | None
        message: str

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        self.key = str(block.data.get("id") or f"s{ref[0]}-i{ref[1]}")
        super().__init__("", ref, id="device-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.key))
        self.block = block
        self.quick = bool(block.data.get("quick", False))
        self.sections = shown_sections(block.data)
        self.found: Detection | None = None
        self.measured: Measurements | None = None
        self.running = False
        self._run = 0
        self._cancel = threading.Event()
        self.border_title = str(
            block.data.get("title") or "This machine: CPU, GPU and the roofline"
        )

    def compose(self) -> ComposeResult:
        how_long = "about 2 s" if self.quick else "about 10 s"
        yield Static(
            f"m measure with MXNet ({'quick, ' if self.quick else ''}{how_long}) · x/Esc cancel",
            classes="device-keys",
        )
        yield Static(
            Text("Examining this machine… (MXNet takes about a second to load)", style="italic"),
            classes="device-status",
        )
        yield ProgressBar(total=None, show_eta=False)
        for name in self.sections:
            yield Static("", classes="device-section", id=f"device-section-{name}")

    def on_mount(self) -> None:
        self._status = self.query_one(".device-status", Static)
        self._bar = self.query_one(ProgressBar)
        lesson = getattr(self.screen, "lesson", None)
        self._cache_key = (getattr(lesson, "id", ""), self.key)
        self.measured = _MEASURED.get(self.app, {}).get(self._cache_key, (0.0, None))[1]
        if self.app in _DETECTED:
            self._show_detection(_DETECTED[self.app])
        else:
            self.run_worker(
                self._detect,
                name=f"detect {self.key}",
                group="device-detect",
                thread=True,
                exit_on_error=False,
            )

    def on_unmount(self) -> None:
        # Leaving the lesson or quitting: the measuring thread must end, or Python waits for it at exit.
        self._cancel.set()

    def on_resize(self) -> None:
        self._fill_sections()

    # Detection ------------------------------------------------------------------------------

    def _detect(self) -> None:
        """Worker thread: detect, then hand the result to the UI thread as a message."""
        from d2l_tui.gpulab.detect import detect

        self.post_message(self.Detected(detect()))

    def on_device_panel_detected(self, message: DevicePanel.Detected) -> None:
        _DETECTED[self.app] = message.found
        self._show_detection(message.found)

    def _show_detection(self, found: Detection) -> None:
        self.found = found
        if not found.mxnet.available:
            self._say(
                f"MXNet is unavailable, so nothing can be measured: {found.mxnet.problem} Fix: {found.mxnet.fix}",
                problem=True,
            )
        elif self.measured is not None:
            self._say(self._done_text(self.measured))
        else:
            self._say(
                "Press m to measure matrix multiplies, memory bandwidth and real training steps."
            )
        self._fill_sections()

    # Keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # x and Esc only mean something during a run; otherwise Esc goes back to the map as usual.
        if action == "cancel":
            return self.running
        return True

    def action_measure(self) -> None:
        """Start a measurement run in a worker thread (the app asks before quitting while it runs)."""
        if self.running:
            return
        if self.found is not None and not self.found.mxnet.available:
            self._say(f"Cannot measure without MXNet. Fix: {self.found.mxnet.fix}", problem=True)
            return
        self._run += 1
        self._cancel = threading.Event()
        self._set_running(True)
        self._bar.update(total=None, progress=0)
        self._say("Starting… (loading MXNet)")
        work = partial(self._measure, self._run, self._cancel, self.quick)
        self.run_worker(
            work,
            name=f"measure {self.key} #{self._run}",
            group="run:device",
            thread=True,
            exit_on_error=False,
        )

    def action_cancel(self) -> None:
        """Stop the run; it ends within one timed sample."""
        if self.running:
            self._cancel.set()
            self._say("Cancelling…")

    # Measuring ------------------------------------------------------------------------------

    def _measure(self, run: int, cancel: threading.Event, quick: bool) -> None:
        """Worker thread: measure, sending throttled progress and one final message."""
        from d2l_tui.gpulab.measure import Cancelled, measure
        from d2l_tui.mxnet_env import MXNetUnavailable

        last = [0.0]

        def moved(progress: Progress) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL or progress.done >= progress.total:
                last[0] = now
                self.post_message(self.Moved(run, progress))

        try:
            measured = measure(quick, on_progress=moved, cancel=cancel)
        except Cancelled:
            self.post_message(
                self.Ended(run, None, "Cancelled; nothing was kept. Press m to measure again.")
            )
        except MXNetUnavailable as missing:
            self.post_message(
                self.Ended(run, None, f"Cannot measure: {missing.reason} Fix: {missing.fix}")
            )
        except Exception as error:  # noqa: BLE001 - a failed measurement is reported in the panel, never raised
            self.post_message(
                self.Ended(run, None, f"The measurement failed: {type(error).__name__}: {error}")
            )
        else:
            self.post_message(self.Ended(run, measured, ""))

    def on_device_panel_moved(self, message: DevicePanel.Moved) -> None:
        if message.run != self._run or not self.running:
            return
        progress = message.progress
        self._bar.update(total=progress.total, progress=progress.done)
        self._say(f"Measuring {progress.label}…" if progress.done < progress.total else "Drawing…")

    def on_device_panel_ended(self, message: DevicePanel.Ended) -> None:
        if message.run != self._run:
            return
        self._set_running(False)
        if message.measured is None:
            self._say(message.message, problem=not message.message.startswith("Cancelled"))
            return
        self.measured = message.measured
        _MEASURED.setdefault(self.app, {})[self._cache_key] = (time.monotonic(), self.measured)
        self._say(self._done_text(self.measured))
        self._fill_sections()

    # Painting -------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        """Show or hide the progress bar, and let the footer offer Cancel only while running."""
        self.running = running
        self.set_class(running, "-running")
        self.refresh_bindings()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self._status.update(Text(text))
        self._status.set_class(problem, "-problem")

    @staticmethod
    def _done_text(measured: Measurements) -> str:
        kind = "quick run" if measured.quick else "full run"
        return f"Measured in {measured.seconds:.1f} s ({kind}, median of {measured.plan.repeats} samples each). Press m to measure again."

    def _fill_sections(self) -> None:
        """Render every shown section at the panel's width; measured ones stay hidden until measured."""
        width = self.content_region.width
        if width <= 0 or not self.is_mounted:
            return
        for name in self.sections:
            lines = section_lines(name, self.found, self.measured, width)
            box = self.query_one(f"#device-section-{name}", Static)
            box.set_class(bool(lines), "-filled")
            if lines:
                box.update(_section_text(TITLES[name], lines))


def _section_text(title: str, lines: list[str]) -> Text:
    """A bold title over the section's lines; lines never re-wrap (charts and tables are laid out already)."""
    text = Text()
    text.append(title, style="bold")
    for line in lines:
        text.append("\n")
        text.append(line, style="bold" if line.startswith(f" {BINDS}") else "")
    return text
