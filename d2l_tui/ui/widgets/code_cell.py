"""The `code` block: an editable cell run in the lesson's kernel, its output shown below it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from d2l_tui.course.model import Block
from d2l_tui.ui.kernels import SCRATCHPAD_KEY, KernelPool, lesson_setup
from d2l_tui.ui.widgets.cell_output import key_name, result_text, running_text, say, status_line
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.ui.widgets.python_editor import PythonEditor

if TYPE_CHECKING:  # the kernel package imports NumPy; it loads off the UI thread
    from d2l_tui.kernel import CellResult


class CodeCell(ItemWidget):
    """Starter code in a Python editor; runs in the lesson's kernel in a worker thread.

    Like Jupyter, it has two modes: in the editor every key types, Esc leaves it; then the
    cell itself has focus and the lesson's keys (n, p, j, k, /) work again, Enter edits.
    """

    DEFAULT_CSS = """
    CodeCell { height: auto; margin: 0 0 1 0; border: round $secondary; }
    CodeCell:focus-within { border: round $accent; }
    CodeCell:focus { border: heavy $accent; }
    CodeCell.-failed { border: round $error; }
    CodeCell.-failed:focus-within { border: round $accent; }
    CodeCell.-running, CodeCell.-running:focus-within { border: round $warning; }
    CodeCell > PythonEditor { height: auto; max-height: 20; border: none; padding: 0; }
    CodeCell > PythonEditor:focus { border: none; }
    CodeCell > .code-hint { height: 1; padding: 0 1; color: $text-muted; text-style: italic; }
    CodeCell > .code-output { height: auto; padding: 0 1; border-top: dashed $secondary; }
    CodeCell > .code-output { display: none; }
    CodeCell.-has-output > .code-output { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+r,ctrl+enter,shift+enter,ctrl+j,r", "run", "Run", id="code-run"),
        # Priority, so a TextArea's copy does not take it; only while running (see check_action).
        Binding("ctrl+c", "interrupt", "Stop", id="code-interrupt", priority=True),
        Binding("f5", "reset", "Starter code", id="code-reset"),
        Binding("f8", "restart", "Restart kernel", id="code-restart"),
        Binding("escape", "leave_editor", "Leave editor", id="code-leave"),
        Binding("enter,e", "edit", "Edit", id="code-edit"),
    ]
    can_focus = True
    running: reactive[bool] = reactive(False, bindings=True, toggle_class="-running")

    @dataclass
    class Output(Message):
        """Printed text arrived from the running cell."""

        text: str

    @dataclass
    class Finished(Message):
        """The run ended; `result` says how."""

        result: CellResult

    @dataclass
    class Restarted(Message):
        """The lesson's namespace was replaced by a fresh one."""

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.starter = block.data["code"].rstrip("\n")
        self.lang = "en"
        self.result: CellResult | None = None
        """The last run's result, once a run has finished."""
        self._streamed: list[str] = []
        self._parked = False  # the cell itself may take focus only when Esc leaves the editor
        self._output_plain = ""
        self._lesson_kernel: tuple[str, str | None] = (SCRATCHPAD_KEY, None)

    def compose(self) -> ComposeResult:
        self.lang = getattr(self.app, "lang", "en")
        self.border_title = self.block.data.get("title") or say(self.lang, "title")
        yield PythonEditor.code_editor(
            self.starter, language="python", tab_behavior="focus", soft_wrap=False
        )
        yield Static(classes="code-hint")
        yield Static(classes="code-output")

    @property
    def editor(self) -> PythonEditor:
        """The cell's editor."""
        return self.query_one(PythonEditor)

    @property
    def output_text(self) -> str:
        """The output area's text, as the learner sees it."""
        return self._output_plain

    def on_mount(self) -> None:
        if not self.query(PythonEditor):
            return  # taken apart while it mounted (the app is closing): no hint, and no kernel to start
        lesson = getattr(self.screen, "lesson", None)
        if lesson is not None:
            self._lesson_kernel = (lesson.id, lesson_setup(lesson))
        self._show_hint()
        self._warm(self._pool(), *self._lesson_kernel)

    @work(thread=True, group="kernel-warm", exit_on_error=False)
    def _warm(self, pool: KernelPool, key: str, setup: str | None) -> None:
        """Start the lesson's kernel now, so MXNet is loaded by the time the learner runs."""
        pool.warm(key, setup)

    def on_unmount(self) -> None:
        if self.running:  # a loop left behind would keep the lesson's kernel busy
            self._pool().interrupt(self._lesson_kernel[0])

    def _pool(self) -> KernelPool:
        return self.app.kernels  # type: ignore[attr-defined]

    # Focus: the editor, or the cell itself after Esc ----------------------------------------

    def allow_focus(self) -> bool:
        # Tab goes straight into the editor; the cell is a stop only after Esc.
        return self._parked

    def on_blur(self) -> None:
        self._parked = False
        self._show_hint()

    def on_focus(self) -> None:
        self._show_hint()

    def on_descendant_focus(self) -> None:
        self._show_hint()

    def on_descendant_blur(self) -> None:
        self._show_hint()

    def _key_label(self, binding_id: str, default: str) -> str:
        return key_name(self.app, binding_id, default)

    def _show_hint(self) -> None:
        """One line of keys for what the learner can do now."""
        label, lang = self._key_label, self.lang
        if self.running:
            hint = say(lang, "hint-stop", stop=label("code-interrupt", "ctrl+c"))
        else:
            where = (say(lang, "hint-leave", leave=label("code-leave", "escape")) if self.editor.has_focus
                     else say(lang, "hint-edit", edit=label("code-edit", "enter")))
            hint = say(lang, "hint", run=label("code-run", "ctrl+r"), where=where,
                       reset=label("code-reset", "f5"), restart=label("code-restart", "f8"))
        self.query_one(".code-hint", Static).update(Text(hint))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "interrupt":
            return self.running  # otherwise Ctrl+C copies, as everywhere else
        if action == "leave_editor":
            return self.editor.has_focus
        if action == "edit":
            return not self.editor.has_focus
        return True

    def action_edit(self) -> None:
        self.editor.focus()

    def action_leave_editor(self) -> None:
        self._parked = True
        self.focus(scroll_visible=False)

    # Running -----------------------------------------------------------------------------

    def action_run(self) -> None:
        """Run the editor's code in the lesson's kernel."""
        if self.running:
            stop = self._key_label("code-interrupt", "ctrl+c")
            self.notify(say(self.lang, "still-running", stop=stop), timeout=3)
            return
        key, setup = self._lesson_kernel
        self.running = True
        self._streamed = []
        self.border_subtitle = say(self.lang, "running")
        self._show_output(running_text("", self._key_label("code-interrupt", "ctrl+c"), self.lang))
        self._show_hint()
        self._run_in_kernel(self._pool(), key, setup, self.editor.text, self.lang)

    @work(thread=True, group="run:code-cell", exit_on_error=False)
    def _run_in_kernel(self, pool: KernelPool, key: str, setup: str | None, code: str, lang: str) -> None:
        """Run the cell off the UI thread; results travel back as messages."""
        from d2l_tui.kernel import CellResult, CellStatus, KernelBusy

        try:
            stream = lambda text: self.post_message(self.Output(text))  # noqa: E731
            result = pool.run(key, code, setup, on_output=stream)
        except KernelBusy:
            result = CellResult(CellStatus.ERROR, error=say(lang, "busy"))
        except Exception as error:  # noqa: BLE001 - a failure to run must show, not crash the app
            result = CellResult(CellStatus.ERROR, error=say(lang, "not-run", error=error))
        self.post_message(self.Finished(result))

    def on_code_cell_output(self, message: Output) -> None:
        message.stop()
        if self.running:
            self._streamed.append(message.text)
            stop = self._key_label("code-interrupt", "ctrl+c")
            self._show_output(running_text("".join(self._streamed), stop, self.lang))

    def on_code_cell_finished(self, message: Finished) -> None:
        message.stop()
        self.running = False
        self.result = result = message.result
        self.border_subtitle = status_line(result, self.lang)
        self.set_class(not result.ok, "-failed")
        self._show_output(result_text(result, self._key_label("code-restart", "f8"), self.lang))
        self._show_hint()

    def _show_output(self, text: Text) -> None:
        self.query_one(".code-output", Static).update(text)
        self._output_plain = text.plain
        self.set_class(bool(text.plain), "-has-output")

    def action_interrupt(self) -> None:
        """Stop the running cell; the namespace survives."""
        self._pool().interrupt(self._lesson_kernel[0])
        self.border_subtitle = say(self.lang, "stopping")

    # Reset and restart ---------------------------------------------------------------------

    def action_reset(self) -> None:
        """Put the starter code back (an edit, so Ctrl+Z brings the learner's code back)."""
        editor = self.editor
        editor.replace(self.starter, editor.document.start, editor.document.end)
        self.notify(say(self.lang, "starter-restored"), timeout=3)

    def action_restart(self) -> None:
        """Replace the lesson's namespace with a fresh one (setup runs again)."""
        key, setup = self._lesson_kernel
        if self.running or self._pool().is_running(key):
            stop = self._key_label("code-interrupt", "ctrl+c")
            self.notify(say(self.lang, "stop-first", stop=stop), timeout=3)
            return
        self.border_subtitle = say(self.lang, "restarting")
        self._restart_kernel(self._pool(), key, setup)

    @work(thread=True, group="kernel-restart", exit_on_error=False)
    def _restart_kernel(self, pool: KernelPool, key: str, setup: str | None) -> None:
        """Closing the old kernel may wait up to a second, so it happens off the UI thread."""
        pool.restart(key, setup)
        self.post_message(self.Restarted())

    def on_code_cell_restarted(self, message: Restarted) -> None:
        message.stop()
        self.border_subtitle = say(self.lang, "new-namespace")
        self.set_class(False, "-failed")
        note = say(self.lang, "restarted")
        note += say(self.lang, "restarted-setup" if self._lesson_kernel[1] else "restarted-end")
        self._show_output(Text(note, style="italic"))
        self.notify(say(self.lang, "restarted-notice"), timeout=2)
