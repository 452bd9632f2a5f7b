"""The scratchpad: a Python console with history, sharing the current lesson's namespace."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, RichLog, Static

from d2l_tui.ui.kernel_runner import CodeJob, KernelRunner, RunOutcome, folder_trusted
from d2l_tui.ui.kernels import SCRATCHPAD_KEY, lesson_setup
from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.widgets.cell_output import key_name, result_text
from d2l_tui.ui.widgets.course_footer import CourseFooter
from d2l_tui.ui.widgets.python_editor import PythonEditor
from d2l_tui.ui.widgets.quiz_parts import wants_newline
from d2l_tui.words import say_in

if TYPE_CHECKING:
    from d2l_tui.course.model import Lesson

PROMPT = ">>> "
MORE = "... "
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "own": "its own namespace",
        "lesson": "the namespace of “{title}”",
        "about": "Scratchpad on {place}: Enter runs (after a block, an empty line), ↑/↓ recall earlier code, "
                 "{stop} stops, {restart} restarts, Esc goes back.",
        "placeholder": "Python, e.g. nd.ones((2, 3))",
        "title": "Scratchpad",
        "still-running": "Still running: {stop} stops it.",
        "stop-first": "Code is still running: {stop} stops it first.",
        "restarted": "The kernel was restarted: a fresh namespace.",
    },
    "zh": {
        "own": "它自己的命名空间",
        "lesson": "“{title}”的命名空间",
        "about": "草稿本，运行在{place}上：Enter 运行（代码块后面要空一行），↑/↓ 调出之前的代码，"
                 "{stop} 停止，{restart} 重启内核，Esc 返回。",
        "placeholder": "Python 代码，例如 nd.ones((2, 3))",
        "title": "草稿本",
        "still-running": "还在运行：按 {stop} 停止。",
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


class PromptInput(PythonEditor):
    """The scratchpad's input, like a Python console: Enter runs complete code and otherwise
    adds a line; up at the first line and down at the last walk the history."""

    @dataclass
    class Submitted(Message):
        """The learner ran what is in the input."""

        value: str

    def __init__(self, placeholder: str = "", id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(language="python", tab_behavior="focus", soft_wrap=True, id=id)  # Esc goes back
        self.placeholder = placeholder
        self.earlier = InputHistory()
        """The code run before (TextArea's own `history` is its undo)."""

    @property
    def value(self) -> str:
        """The code typed so far."""
        return self.text

    @value.setter
    def value(self, code: str) -> None:
        self.text = code
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        complete = event.key == "enter" and not wants_newline(self.text, self.cursor_location, self.document.end)
        if complete and not self.read_only:
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self.text.rstrip()))
            return
        await super()._on_key(event)

    def action_cursor_up(self, select: bool = False) -> None:
        if select or self.cursor_location[0] > 0:
            super().action_cursor_up(select)
        else:
            self.value = self.earlier.previous(self.text)

    def action_cursor_down(self, select: bool = False) -> None:
        if select or self.cursor_location[0] < self.document.line_count - 1:
            super().action_cursor_down(select)
        else:
            self.value = self.earlier.next()


class ScratchpadScreen(KernelRunner, Screen):
    """A console on a lesson's kernel (or a kernel of its own, opened from the course map)."""

    DEFAULT_CSS = """
    ScratchpadScreen #scratchpad-about { height: auto; padding: 0 1; color: $text-muted; }
    ScratchpadScreen RichLog { height: 1fr; padding: 0 1; background: $surface; }
    ScratchpadScreen PromptInput { height: auto; min-height: 3; max-height: 12; border: tall $accent; }
    ScratchpadScreen.-running PromptInput { border: tall $warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="scratchpad-close"),
        Binding("ctrl+c", "interrupt", "Stop", priority=True, id="scratchpad-interrupt"),
        Binding("f8", "restart", "Restart kernel", id="scratchpad-restart"),
        Binding("ctrl+l", "clear", "Clear", id="scratchpad-clear"),
    ]
    RUN_GROUP = "run:scratchpad"
    running: reactive[bool] = reactive(False, bindings=True, toggle_class="-running")

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
        from d2l_tui.ui.screens.lesson import LessonScreen

        lesson: Lesson | None = next((s.lesson for s in reversed(screens) if isinstance(s, LessonScreen)), None)
        if lesson is None:
            return cls(SCRATCHPAD_KEY, None, None)
        return cls(lesson.id, lesson_setup(lesson), lesson.title)

    def _say(self, key: str, **params: object) -> str:
        return say_in(LABELS, self.lang, key, **params)

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        yield Header()
        stop = self._key("scratchpad-interrupt", "ctrl+c")
        restart = self._key("scratchpad-restart", "f8")
        title = self.lesson_title
        place = self._say("lesson", title=title) if title is not None else self._say("own")
        about = self._say("about", place=place, stop=stop, restart=restart)
        yield Static(Text(about), id="scratchpad-about")
        yield RichLog(wrap=True, markup=False, highlight=False)
        yield PromptInput(placeholder=self._say("placeholder"), id="scratchpad-input")
        yield CourseFooter()  # the keys' words in the course language

    def on_mount(self) -> None:
        self.sub_title = self._say("title")  # the screen's own: see LessonScreen.on_mount
        self.query_one(PromptInput).focus()
        if self.setup is None or folder_trusted(self):  # a lesson's setup runs only once trusted
            self.start_warming(self.kernel_key, self.setup)

    def on_unmount(self) -> None:
        if self.running:  # leave the lesson's kernel free for its cells
            self.pool().interrupt(self.kernel_key)

    def _key(self, binding_id: str, default: str) -> str:
        return key_name(self.app, binding_id, default)

    def _write(self, text: Text) -> None:
        self.query_one(RichLog).write(text)
        self.transcript.append(text.plain)

    # Running -----------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    def _submitted(self, event: PromptInput.Submitted) -> None:
        code = event.value
        if self.running:
            stop = self._key("scratchpad-interrupt", "ctrl+c")
            self.notify(self._say("still-running", stop=stop), timeout=3)
            return
        prompt = self.query_one(PromptInput)
        prompt.earlier.add(code)
        prompt.value = ""
        echo = Text()
        for index, line in enumerate(code.split("\n")):
            echo.append(("\n" if index else "") + (MORE if index else PROMPT), style="bold cyan")
            echo.append(line)
        self._write(echo)
        if not code.strip():
            return
        if self.setup is None:
            self._run(code)
        else:
            self.when_trusted(lambda: self._run(code), self.lang)

    def _run(self, code: str) -> None:
        if self.running or not self.is_attached:
            return
        self.running = True
        self.run_code(CodeJob(self.kernel_key, self.setup, code, lang=self.lang))

    def on_kernel_runner_output(self, message: KernelRunner.Output) -> None:
        """Write streamed output a whole line at a time."""
        message.stop()
        complete, _, self._pending = (self._pending + message.text).rpartition("\n")
        if complete:
            self._write(Text.from_ansi(complete))

    def on_kernel_runner_finished(self, message: KernelRunner.Finished) -> None:
        message.stop()
        self.running = False
        if self._pending:
            self._write(Text.from_ansi(self._pending))
            self._pending = ""
        outcome: RunOutcome = message.outcome
        if outcome.result is None:
            return
        # The printed output already arrived as it was streamed.
        rest = dataclasses.replace(outcome.result, output="", dropped_lines=0, dropped_chars=0)
        text = result_text(rest, self._key("scratchpad-restart", "f8"), self.lang)
        if text.plain:
            self._write(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "interrupt":
            return self.running  # otherwise Ctrl+C copies, as everywhere else
        return True

    def action_interrupt(self) -> None:
        self.pool().interrupt(self.kernel_key)

    def action_clear(self) -> None:
        self.query_one(RichLog).clear()
        self.transcript.clear()

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_restart(self) -> None:
        """A fresh namespace (the lesson's cells lose their variables too)."""
        if self.running or self.pool().is_running(self.kernel_key):
            stop = self._key("scratchpad-interrupt", "ctrl+c")
            self.notify(self._say("stop-first", stop=stop), timeout=3)
            return
        if self.setup is None:
            self.restart_namespace(self.kernel_key, None)
        else:
            self.when_trusted(lambda: self.restart_namespace(self.kernel_key, self.setup), self.lang)

    def on_kernel_runner_restarted(self, message: KernelRunner.Restarted) -> None:
        message.stop()
        self._write(Text(self._say("restarted"), style="italic"))
