"""The scratchpad: a Python prompt with history, sharing the current lesson's namespace."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, RichLog, Static

from d2l_tui.ui.kernels import SCRATCHPAD_KEY, KernelPool, lesson_setup
from d2l_tui.ui.widgets.cell_output import key_name, result_text
from d2l_tui.words import say_in

if TYPE_CHECKING:  # the kernel package imports NumPy; it loads off the UI thread
    from d2l_tui.kernel import CellResult

PROMPT = ">>> "
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "own": "its own namespace",
        "lesson": "the namespace of “{title}”",
        "about": "Scratchpad on {place}: Enter runs a line, ↑/↓ recall earlier ones, "
                 "{stop} stops, {restart} restarts, Esc goes back.",
        "placeholder": "Python, e.g. nd.ones((2, 3))",
        "title": "Scratchpad",
        "still-running": "Still running: {stop} stops it.",
        "busy": "This namespace is busy running a code cell; stop it first.",
        "not-run": "The line could not be run: {error}",
        "stop-first": "Code is still running: {stop} stops it first.",
        "restarted": "The kernel was restarted: a fresh namespace.",
    },
    "zh": {
        "own": "它自己的命名空间",
        "lesson": "“{title}”的命名空间",
        "about": "草稿本，运行在{place}上：Enter 运行一行，↑/↓ 调出之前的行，"
                 "{stop} 停止，{restart} 重启内核，Esc 返回。",
        "placeholder": "Python 代码，例如 nd.ones((2, 3))",
        "title": "草稿本",
        "still-running": "还在运行：按 {stop} 停止。",
        "busy": "这个命名空间正忙着运行一个代码单元格，请先停止它。",
        "not-run": "这一行没法运行：{error}",
        "stop-first": "还有代码在运行：请先按 {stop} 停止。",
        "restarted": "内核已重启：命名空间是全新的。",
    },
}
"""The scratchpad's words per language."""


class InputHistory:
    """Earlier lines, walked with up and down like a shell; the line being typed is kept."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._index = 0
        self._draft = ""

    def add(self, line: str) -> None:
        """Remember a submitted line (not twice in a row) and go back to a new line."""
        if line.strip() and (not self.lines or self.lines[-1] != line):
            self.lines.append(line)
        self._index, self._draft = len(self.lines), ""

    def previous(self, current: str) -> str:
        """The line before; the oldest one stays put."""
        if self._index == len(self.lines):
            self._draft = current
        self._index = max(0, self._index - 1)
        return self.lines[self._index] if self.lines else current

    def next(self) -> str:
        """The line after; past the newest, the line that was being typed."""
        self._index = min(len(self.lines), self._index + 1)
        return self.lines[self._index] if self._index < len(self.lines) else self._draft


class PromptInput(Input):
    """The scratchpad's input line: up and down walk the history."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier line", show=False, id="scratchpad-history-up"),
        Binding("down", "history(1)", "Later line", show=False, id="scratchpad-history-down"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = InputHistory()

    def action_history(self, step: int) -> None:
        self.value = self.history.previous(self.value) if step < 0 else self.history.next()
        self.cursor_position = len(self.value)


class ScratchpadScreen(Screen):
    """A REPL on a lesson's kernel (or a kernel of its own, opened from the course map)."""

    DEFAULT_CSS = """
    ScratchpadScreen #scratchpad-about { height: auto; padding: 0 1; color: $text-muted; }
    ScratchpadScreen RichLog { height: 1fr; padding: 0 1; background: $surface; }
    ScratchpadScreen PromptInput { margin: 0 0; }
    ScratchpadScreen.-running PromptInput { border: tall $warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="scratchpad-close"),
        Binding("ctrl+c", "interrupt", "Stop", priority=True, id="scratchpad-interrupt"),
        Binding("f8", "restart", "Restart kernel", id="scratchpad-restart"),
        Binding("ctrl+l", "clear", "Clear", id="scratchpad-clear"),
    ]
    running: reactive[bool] = reactive(False, bindings=True, toggle_class="-running")

    @dataclass
    class Output(Message):
        """Printed text arrived from the running line."""

        text: str

    @dataclass
    class Finished(Message):
        """The line finished running."""

        result: CellResult

    @dataclass
    class Restarted(Message):
        """The namespace was replaced by a fresh one."""

    def __init__(self, kernel_key: str, setup: str | None, lesson_title: str | None) -> None:
        super().__init__()
        self.kernel_key = kernel_key
        self.setup = setup
        self.lesson_title = lesson_title
        """The title of the lesson whose namespace this is; None for a namespace of its own."""
        self.lang = "en"
        self.transcript: list[str] = []
        """Everything written to the log, as plain text (what tests and copy read)."""
        self._pending = ""  # streamed text after its last newline, written when complete

    @classmethod
    def for_stack(cls, screens: Sequence[Screen]) -> ScratchpadScreen:
        """A scratchpad on the topmost lesson's namespace, or on its own one."""
        lesson = next((s.lesson for s in reversed(screens) if hasattr(s, "lesson")), None)
        if lesson is None:
            return cls(SCRATCHPAD_KEY, None, None)
        return cls(lesson.id, lesson_setup(lesson), lesson.title)

    def _say(self, key: str, **params: object) -> str:
        return say_in(LABELS, self.lang, key, **params)

    def compose(self) -> ComposeResult:
        self.lang = getattr(self.app, "lang", "en")
        yield Header()
        stop = self._key("scratchpad-interrupt", "ctrl+c")
        restart = self._key("scratchpad-restart", "f8")
        title = self.lesson_title
        place = self._say("lesson", title=title) if title is not None else self._say("own")
        about = self._say("about", place=place, stop=stop, restart=restart)
        yield Static(Text(about), id="scratchpad-about")
        yield RichLog(wrap=True, markup=False, highlight=False)
        yield PromptInput(placeholder=self._say("placeholder"), id="scratchpad-input")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self._say("title")  # the screen's own: see LessonScreen.on_mount
        self.query_one(PromptInput).focus()
        self._warm(self._pool(), self.kernel_key, self.setup)

    def on_unmount(self) -> None:
        if self.running:  # leave the lesson's kernel free for its cells
            self._pool().interrupt(self.kernel_key)

    def _pool(self) -> KernelPool:
        return self.app.kernels  # type: ignore[attr-defined]

    def _key(self, binding_id: str, default: str) -> str:
        return key_name(self.app, binding_id, default)

    @work(thread=True, group="kernel-warm", exit_on_error=False)
    def _warm(self, pool: KernelPool, key: str, setup: str | None) -> None:
        pool.warm(key, setup)

    def _write(self, text: Text) -> None:
        self.query_one(RichLog).write(text)
        self.transcript.append(text.plain)

    # Running -----------------------------------------------------------------------------

    @on(Input.Submitted, "#scratchpad-input")
    def _submitted(self, event: Input.Submitted) -> None:
        line = event.value
        if self.running:
            stop = self._key("scratchpad-interrupt", "ctrl+c")
            self.notify(self._say("still-running", stop=stop), timeout=3)
            return
        prompt = self.query_one(PromptInput)
        prompt.history.add(line)
        prompt.value = ""
        self._write(Text.assemble((PROMPT, "bold cyan"), line))
        if not line.strip():
            return
        self.running = True
        busy, not_run = self._say("busy"), self._say("not-run", error="{error}")
        self._run_line(self._pool(), self.kernel_key, self.setup, line, busy, not_run)

    @work(thread=True, group="run:scratchpad", exit_on_error=False)
    def _run_line(
        self, pool: KernelPool, key: str, setup: str | None, code: str, busy: str, not_run: str
    ) -> None:
        """Run the line off the UI thread; results travel back as messages."""
        from d2l_tui.kernel import CellResult, CellStatus, KernelBusy

        try:
            stream = lambda text: self.post_message(self.Output(text))  # noqa: E731
            result = pool.run(key, code, setup, on_output=stream)
        except KernelBusy:
            result = CellResult(CellStatus.ERROR, error=busy)
        except Exception as error:  # noqa: BLE001 - a failure to run must show, not crash the app
            result = CellResult(CellStatus.ERROR, error=not_run.format(error=error))
        self.post_message(self.Finished(result))

    def on_scratchpad_screen_output(self, message: Output) -> None:
        """Write streamed output a whole line at a time."""
        complete, _, self._pending = (self._pending + message.text).rpartition("\n")
        if complete:
            self._write(Text(complete))

    def on_scratchpad_screen_finished(self, message: Finished) -> None:
        self.running = False
        if self._pending:
            self._write(Text(self._pending))
            self._pending = ""
        # The printed output already arrived as it was streamed.
        rest = dataclasses.replace(message.result, output="", dropped_lines=0, dropped_chars=0)
        text = result_text(rest, self._key("scratchpad-restart", "f8"), self.lang)
        if text.plain:
            self._write(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "interrupt":
            return self.running  # otherwise Ctrl+C copies, as everywhere else
        return True

    def action_interrupt(self) -> None:
        self._pool().interrupt(self.kernel_key)

    def action_clear(self) -> None:
        self.query_one(RichLog).clear()
        self.transcript.clear()

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_restart(self) -> None:
        """A fresh namespace (the lesson's cells lose their variables too)."""
        if self.running or self._pool().is_running(self.kernel_key):
            stop = self._key("scratchpad-interrupt", "ctrl+c")
            self.notify(self._say("stop-first", stop=stop), timeout=3)
            return
        self._restart(self._pool(), self.kernel_key, self.setup)

    @work(thread=True, group="kernel-restart", exit_on_error=False)
    def _restart(self, pool: KernelPool, key: str, setup: str | None) -> None:
        pool.restart(key, setup)
        self.post_message(self.Restarted())

    def on_scratchpad_screen_restarted(self) -> None:
        self._write(Text(self._say("restarted"), style="italic"))
