"""The `device` block: this machine detected at once, measured with MXNet on request, its roofline and known GPUs."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import ProgressBar, Static

from d2l_tui.course.model import Block
from d2l_tui.gpulab.block import shown_sections
from d2l_tui.gpulab.report import BINDS, section_lines
from d2l_tui.gpulab.words import progress_label
from d2l_tui.ui.reach import lang_of, lesson_of, session, tutor_app
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import table_for

if TYPE_CHECKING:  # the lab's measuring side loads MXNet lazily; only types are needed here
    from d2l_tui.gpulab.detect import Detection
    from d2l_tui.gpulab.measure import Progress
    from d2l_tui.gpulab.results import Measurements

PROGRESS_INTERVAL = 0.05
"""Seconds between progress messages from the worker (20 a second at most)."""
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "detect": "This machine",
        "matmul": "Matrix multiply (measured)",
        "bandwidth": "Memory bandwidth (measured)",
        "roofline": "Roofline",
        "compare": "Compared with known GPUs",
        "cost": "Cost of an epoch (the book's settings)",
        "title": "This machine: CPU, GPU and the roofline",
        "keys": "m measure with MXNet ({quick}{how_long}) · x/Esc cancel",
        "quick": "quick, ", "quick-s": "about 2 s", "full-s": "about 10 s",
        "examining": "Examining this machine… (MXNet takes about a second to load)",
        "no-mxnet": "MXNet is unavailable, so nothing can be measured: {problem} Fix: {fix}",
        "press-m": "Press m to measure matrix multiplies, memory bandwidth and real training steps.",
        "cannot": "Cannot measure without MXNet. Fix: {fix}",
        "starting": "Starting… (loading MXNet)",
        "cancelling": "Cancelling…",
        "cancelled": "Cancelled; nothing was kept. Press m to measure again.",
        "cannot-measure": "Cannot measure: {reason} Fix: {fix}",
        "failed": "The measurement failed: {error}",
        "measuring": "Measuring {what}…",
        "drawing": "Drawing…",
        "quick-run": "quick run", "full-run": "full run",
        "done": "Measured in {seconds:.1f} s ({kind}, median of {repeats} samples each). Press m to measure again.",
        "saved-unreadable": "The saved measurements could not be read ({why}); the file was set aside: {path}",
        "kept": " (Measured in an earlier session, {when}.)",
        "saved-failed": "The measurement could not be saved ({error}); it is kept until you quit.",
    },
    "zh": {
        "detect": "本机",
        "matmul": "矩阵乘法（实测）",
        "bandwidth": "内存带宽（实测）",
        "roofline": "屋顶线模型（roofline）",
        "compare": "与已知 GPU 对比",
        "cost": "一轮训练的开销（书中的设置）",
        "title": "本机：CPU、GPU 和屋顶线",
        "keys": "m 用 MXNet 测量（{quick}{how_long}）· x/Esc 取消",
        "quick": "快速，", "quick-s": "约 2 秒", "full-s": "约 10 秒",
        "examining": "正在检查本机…（加载 MXNet 大约要一秒）",
        "no-mxnet": "MXNet 不可用，什么也测不了：{problem} 修复：{fix}",
        "press-m": "按 m 测量矩阵乘法、内存带宽和真实的训练步骤。",
        "cannot": "没有 MXNet 就没法测量。修复：{fix}",
        "starting": "正在开始…（加载 MXNet）",
        "cancelling": "正在取消…",
        "cancelled": "已取消，什么也没保留。按 m 重新测量。",
        "cannot-measure": "没法测量：{reason} 修复：{fix}",
        "failed": "测量失败：{error}",
        "measuring": "正在测量：{what}…",
        "drawing": "正在绘图…",
        "quick-run": "快速测量", "full-run": "完整测量",
        "done": "用时 {seconds:.1f} 秒测完（{kind}，每项取 {repeats} 次的中位数）。按 m 重新测量。",
        "saved-unreadable": "保存的测量结果读不出来（{why}），文件已移到一边：{path}",
        "kept": "（这是以前 {when} 测的结果。）",
        "saved-failed": "测量结果没能保存（{error}），退出前仍然保留。",
    },
}
"""The panel's words per language; section titles are keyed by section name."""
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
        self._kept_from: float | None = None
        """When the measurement shown was saved, if it came from the data folder (wall-clock seconds)."""
        self._run = 0
        self._cancel = threading.Event()
        self.lang = "en"
        self.words = LABELS["en"]

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        self.words = words = table_for(LABELS, self.lang)
        self.border_title = str(self.block.data.get("title") or words["title"])
        how_long = words["quick-s"] if self.quick else words["full-s"]
        quick = words["quick"] if self.quick else ""
        yield Static(words["keys"].format(quick=quick, how_long=how_long), classes="device-keys")
        yield Static(Text(words["examining"], style="italic"), classes="device-status")
        yield ProgressBar(total=None, show_eta=False)
        for name in self.sections:
            yield Static("", classes="device-section", id=f"device-section-{name}")

    def on_mount(self) -> None:
        self._status = self.query_one(".device-status", Static)
        self._bar = self.query_one(ProgressBar)
        lesson = lesson_of(self)
        self._cache_key = (lesson.id if lesson else "", self.key)
        state = session(self)
        self.measured = self._load_measured()
        if state.detected is not None:
            self._show_detection(state.detected)
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
        session(self).detected = message.found
        self._show_detection(message.found)

    def _show_detection(self, found: Detection) -> None:
        self.found = found
        if not found.mxnet.available:
            self._say(
                self.words["no-mxnet"].format(problem=found.mxnet.problem, fix=found.mxnet.fix),
                problem=True,
            )
        elif self.measured is not None:
            self._say(self._done_text(self.measured))
        else:
            self._say(self.words["press-m"])
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
            self._say(self.words["cannot"].format(fix=self.found.mxnet.fix), problem=True)
            return
        self._run += 1
        self._cancel = threading.Event()
        self._set_running(True)
        self._bar.update(total=None, progress=0)
        self._say(self.words["starting"])
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
            self._say(self.words["cancelling"])

    # Measuring ------------------------------------------------------------------------------

    def _measure(self, run: int, cancel: threading.Event, quick: bool) -> None:
        """Worker thread: measure, sending throttled progress and one final message."""
        from d2l_tui.gpulab.measure import Cancelled, measure
        from d2l_tui.mxnet_env import MXNetUnavailable

        last, words = [0.0], self.words

        def moved(progress: Progress) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL or progress.done >= progress.total:
                last[0] = now
                self.post_message(self.Moved(run, progress))

        try:
            measured = measure(quick, on_progress=moved, cancel=cancel)
        except Cancelled:
            self.post_message(
                self.Ended(run, None, words["cancelled"])
            )
        except MXNetUnavailable as missing:
            self.post_message(
                self.Ended(run, None, words["cannot-measure"].format(reason=missing.reason, fix=missing.fix))
            )
        except Exception as error:  # noqa: BLE001 - a failed measurement is reported in the panel, never raised
            self.post_message(
                self.Ended(run, None, words["failed"].format(error=f"{type(error).__name__}: {error}"))
            )
        else:
            self.post_message(self.Ended(run, measured, ""))

    def on_device_panel_moved(self, message: DevicePanel.Moved) -> None:
        if message.run != self._run or not self.running:
            return
        progress = message.progress
        self._bar.update(total=progress.total, progress=progress.done)
        if progress.done < progress.total:
            self._say(self.words["measuring"].format(what=progress_label(progress.label, self.lang)))
        else:
            self._say(self.words["drawing"])

    def on_device_panel_ended(self, message: DevicePanel.Ended) -> None:
        if message.run != self._run:
            return
        self._set_running(False)
        if message.measured is None:
            self._say(message.message, problem=message.message != self.words["cancelled"])
            return
        self.measured, self._kept_from = message.measured, None
        session(self).measured[self._cache_key] = (time.monotonic(), self.measured)
        self._save_measured(self.measured)
        self._say(self._done_text(self.measured))
        self._fill_sections()

    # Kept across restarts ---------------------------------------------------------------------

    @property
    def saved_key(self) -> str:
        """Where this panel's measurement is kept: its lesson and its id."""
        return "/".join(self._cache_key)

    def _load_measured(self) -> Measurements | None:
        """The session's measurement of this panel; on its first mount, the one saved in the data folder."""
        state = session(self)
        if self._cache_key not in state.measured:
            saved = state.measurements_file(tutor_app(self).data_dir)
            last = saved.last(self.saved_key)
            if last is not None:
                self._kept_from = last[0]
                # Older than anything measured in this session: keep the order `latest_measurements` sees.
                age = max(0.0, time.time() - last[0])
                state.measured[self._cache_key] = (time.monotonic() - age, last[1])
            if saved.problem is not None:
                self._note_once("saved-unreadable", why=saved.problem, path=str(saved.moved_to or saved.path))
        return state.measured.get(self._cache_key, (0.0, None))[1]

    def _save_measured(self, measured: Measurements) -> None:
        saved = session(self).measurements_file(tutor_app(self).data_dir)
        try:
            saved.save(self.saved_key, measured)
        except OSError as error:
            self._note_once("saved-failed", error=error.strerror or str(error))

    def _note_once(self, what: str, **values: str) -> None:
        """Warn once per session."""
        said = session(self).notes_said
        if f"device-{what}" not in said:
            said.add(f"device-{what}")
            self.notify(self.words[what].format(**values), severity="warning", timeout=8)

    # Painting -------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        """Show or hide the progress bar, and let the footer offer Cancel only while running."""
        self.running = running
        self.set_class(running, "-running")
        self.refresh_bindings()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self._status.update(Text(text))
        self._status.set_class(problem, "-problem")

    def _done_text(self, measured: Measurements) -> str:
        kind = self.words["quick-run" if measured.quick else "full-run"]
        repeats = measured.plan.repeats if measured.plan else 0
        said = self.words["done"].format(seconds=measured.seconds, kind=kind, repeats=repeats)
        if self._kept_from:  # read from the data folder: say so, it may be another day's machine load
            said += self.words["kept"].format(when=time.strftime("%Y-%m-%d %H:%M", time.localtime(self._kept_from)))
        return said

    def _fill_sections(self) -> None:
        """Render every shown section at the panel's width; measured ones stay hidden until measured."""
        width = self.content_region.width
        if width <= 0 or not self.is_mounted:
            return
        for name in self.sections:
            lines = section_lines(name, self.found, self.measured, width, self.lang)
            box = self.query_one(f"#device-section-{name}", Static)
            box.set_class(bool(lines), "-filled")
            if lines:
                box.update(_section_text(self.words[name], lines))


def _section_text(title: str, lines: list[str]) -> Text:
    """A bold title over the section's lines; lines never re-wrap (charts and tables are laid out already)."""
    text = Text()
    text.append(title, style="bold")
    for line in lines:
        text.append("\n")
        text.append(line, style="bold" if line.startswith(f" {BINDS}") else "")
    return text
