"""The `code` block: an editable cell run in the lesson's kernel, its output shown below it.

The learner's code and last output are kept in the workbook (`d2l_tui/workbook.py`) and shown
again whenever the cell is built; a run in a kernel that lost what the cells above made re-runs
them first (see `ui/kernel_runner.py`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static, TextArea

from d2l_tui.course.model import Block, Lesson
from d2l_tui.ui.kernel_runner import (
    CodeJob,
    KernelRunner,
    RunOutcome,
    folder_trusted,
    save_workbook,
    workbook_of,
)
from d2l_tui.ui.kernels import SCRATCHPAD_KEY, lesson_setup
from d2l_tui.ui.reach import lang_of, lesson_of
from d2l_tui.ui.widgets.cell_output import (
    SavedResult,
    Shown,
    key_name,
    result_data,
    result_text,
    running_text,
    say,
    status_line,
)
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.ui.widgets.python_editor import PythonEditor
from d2l_tui.workbook import SavedCell, cells_above, defining_cell, lesson_cells, missing_name

if TYPE_CHECKING:  # the kernel package imports NumPy; it loads off the UI thread
    from d2l_tui.kernel import CellResult

SAVE_DELAY_S = 1.0
"""How long after the last keystroke the cell's code is written to disk."""


class CodeCell(KernelRunner, ItemWidget):
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
    CodeCell > .code-hint { height: auto; padding: 0 1; color: $text-muted; text-style: italic; }
    CodeCell > .code-output { height: auto; padding: 0 1; border-top: dashed $secondary; }
    CodeCell > .code-output { display: none; }
    CodeCell.-has-output > .code-output { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+r,ctrl+enter,shift+enter,ctrl+j,r", "run", "Run", id="code-run"),
        # Priority, so a TextArea's copy does not take it; only while running (see check_action).
        Binding("ctrl+c", "interrupt", "Stop", id="code-interrupt", priority=True),
        # Priority: in the editor F6 would otherwise select the line.
        # Not in the Footer (it would push the app's keys out): the hint line and Help list it.
        Binding("f6,ctrl+shift+r", "run_above", "Run all above", id="code-run-above", priority=True, show=False),
        Binding("f5", "reset", "Starter code", id="code-reset"),
        Binding("f8", "restart", "Restart kernel", id="code-restart"),
        Binding("escape", "leave_editor", "Leave editor", id="code-leave"),
        Binding("enter,e", "edit", "Edit", id="code-edit"),
    ]
    RUN_GROUP = "run:code-cell"
    can_focus = True
    running: reactive[bool] = reactive(False, bindings=True, toggle_class="-running")

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.starter = block.data["code"].rstrip("\n")
        self.lang = "en"
        self.result: CellResult | None = None
        """The last run's result, once a run has finished."""
        self.key = ""
        """The cell's key in the workbook: lesson id and block id (or index)."""
        self._streamed: list[str] = []
        self._parked = False  # the cell itself may take focus only when Esc leaves the editor
        self._output_plain = ""
        self._lesson: Lesson | None = None
        self._kernel: tuple[str, str | None] = (SCRATCHPAD_KEY, None)
        self._save_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        self._lesson = lesson = lesson_of(self)
        if lesson is not None:
            self._kernel = (lesson.id, lesson_setup(lesson))
            self.key = next((key for key, block in lesson_cells(lesson) if block is self.block), "")
        saved = workbook_of(self).get(self.key) if self.key else None
        self.border_title = self.block.data.get("title") or say(self.lang, "title")
        code = saved.code if saved is not None else self.starter
        yield PythonEditor.code_editor(code, language="python", tab_behavior="focus", soft_wrap=False)
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
        self._show_hint()
        saved = workbook_of(self).get(self.key) if self.key else None
        if saved is not None and saved.ran:
            self._show_saved(saved)
        if folder_trusted(self):  # an untrusted folder's setup must not run before the learner asks
            self.start_warming(*self._kernel)

    def on_unmount(self) -> None:
        if self.running:  # a loop left behind would keep the lesson's kernel busy
            self.pool().interrupt(self._kernel[0])
        save_workbook(self, self.lang)

    def _show_saved(self, saved: SavedCell) -> None:
        """The output of the learner's last run (in today's language), with when it ran."""
        assert saved.result is not None
        result = SavedResult.from_data(saved.result)
        self._show_output(self._result_text(result))
        status = status_line(result, self.lang)
        self.border_subtitle = say(self.lang, "saved-status", status=status, time=_when(saved.ran_at))
        self.set_class(not result.ok, "-failed")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is not self.editor or not self.key:
            return
        workbook_of(self).edit(self.key, self.editor.text)
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY_S, self._save_soon, name="code-save")
        else:
            self._save_timer.reset()  # one write after the learner pauses, not one per key

    def _save_soon(self) -> None:
        self._save_timer = None
        save_workbook(self, self.lang)

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
                       above=label("code-run-above", "f6"), reset=label("code-reset", "f5"),
                       restart=label("code-restart", "f8"))
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
        """Run the editor's code in the lesson's kernel (first the cells above it lost)."""
        if not self._can_start():
            return
        code = self.editor.text
        self.when_trusted(lambda: self._start(code, self._cells_above(ran_only=True)), self.lang)

    def action_run_above(self) -> None:
        """Run every cell above this one, in order, in the lesson's kernel."""
        if not self._can_start():
            return
        above = self._cells_above(ran_only=False)
        if not above:
            self.notify(say(self.lang, "none-above"), timeout=3)
            return
        self.when_trusted(lambda: self._start(None, above), self.lang)

    def _can_start(self) -> bool:
        if self.running:
            stop = self._key_label("code-interrupt", "ctrl+c")
            self.notify(say(self.lang, "still-running", stop=stop), timeout=3)
        return not self.running

    def _cells_above(self, ran_only: bool) -> list[tuple[str, str]]:
        """(key, current code) of the code cells above this one (see `workbook.cells_above`)."""
        if self._lesson is None:
            return []
        return cells_above(self._lesson, self.block, workbook_of(self), ran_only)

    def _start(self, code: str | None, above: list[tuple[str, str]]) -> None:
        if self.running or not self.is_attached:
            return
        key, setup = self._kernel
        self.running = True
        self._streamed = []
        self.border_subtitle = say(self.lang, "running")
        self._show_output(running_text("", self._key_label("code-interrupt", "ctrl+c"), self.lang))
        self._show_hint()
        job = CodeJob(key, setup, code, self.key or None, above, replay_all=code is None, lang=self.lang)
        self.run_code(job)

    def on_kernel_runner_output(self, message: KernelRunner.Output) -> None:
        message.stop()
        if self.running:
            self._streamed.append(message.text)
            stop = self._key_label("code-interrupt", "ctrl+c")
            self._show_output(running_text("".join(self._streamed), stop, self.lang))

    def on_kernel_runner_replayed(self, message: KernelRunner.Replayed) -> None:
        """A cell above was re-run: it shows (and keeps) that run's output."""
        message.stop()
        cell = next((c for c in self.screen.query(CodeCell) if c.key == message.cell), None)
        if cell is not None and cell is not self and not cell.running:
            cell.show_result(message.result)
        elif cell is None:  # not mounted yet: its output is kept for when it is
            code = dict(self._cells_above(ran_only=False)).get(message.cell, "")
            self._keep(message.cell, code, message.result)

    def on_kernel_runner_finished(self, message: KernelRunner.Finished) -> None:
        message.stop()
        self.running = False
        outcome: RunOutcome = message.outcome
        lead = self._lead_line(outcome)
        if outcome.result is None:  # only the cells above ran: they show their own outputs
            self.border_subtitle = ""
            self.set_class(False, "-failed")
            self._show_output(Text(lead, style="italic"))
        elif outcome.failed is not None:
            self.border_subtitle = status_line(outcome.result, self.lang)
            self.set_class(True, "-failed")
            restart = self._key_label("code-restart", "f8")
            self._show_output(Text(lead + "\n", style="yellow") + result_text(outcome.result, restart, self.lang))
        else:
            self.show_result(outcome.result, lead)
        self._show_hint()

    def _lead_line(self, outcome: RunOutcome) -> str:
        """The line above the output that says which cells above ran first."""
        if outcome.failed is not None:
            return say(self.lang, "replay-failed", title=self._title_of(outcome.failed))
        count = len(outcome.replayed)
        if outcome.result is None:
            return say(self.lang, "ran-above-one" if count == 1 else "ran-above", count=count)
        if not count:
            return ""
        return say(self.lang, "replayed-one" if count == 1 else "replayed", count=count)

    def show_result(self, result: CellResult, lead: str = "") -> None:
        """Show a finished run's result (with a line above it) and keep it in the workbook."""
        self.running = False
        self.result = result
        text = self._result_text(result)
        if lead:
            text = Text(lead + "\n", style="italic dim") + text
        self.border_subtitle = status_line(result, self.lang)
        self.set_class(not result.ok, "-failed")
        self._show_output(text)
        self._show_hint()
        if self.key:
            self._keep(self.key, self.editor.text, result)

    def _result_text(self, result: Shown) -> Text:
        """A result as shown under the cell: what it printed, its value or error, and for a
        NameError the cell above that defines the name."""
        text = result_text(result, self._key_label("code-restart", "f8"), self.lang)
        hint = self._name_hint(result)
        if hint:
            text.append("\n" + hint, style="yellow")
        return text

    def finished_away(self, outcome: object) -> None:
        """The learner left while the cell ran: its output is kept, and shown when they come back."""
        if isinstance(outcome, RunOutcome) and outcome.result is not None and self.key:
            saved = workbook_of(self).get(self.key)
            self._keep(self.key, saved.code if saved else self.starter, outcome.result)

    def _keep(self, key: str, code: str, result: CellResult) -> None:
        """Save a run's result with its time, beside the cell's code."""
        workbook_of(self).put(key, SavedCell(code, result_data(result), time.time()))
        save_workbook(self, self.lang)

    def _name_hint(self, result: Shown) -> str:
        """For a NameError: which cell above defines the name, if one does."""
        name = (result.missing_name or missing_name(result.error)) if result.status == "error" else None
        above = self._cells_above(ran_only=False) if name else []
        found = defining_cell(name, [code for _, code in above]) if name else None
        if name is None or found is None:
            return ""
        title = self._title_of(above[found][0])
        return say(self.lang, "defined-above", name=name, title=title,
                   above=self._key_label("code-run-above", "f6"))

    def _title_of(self, key: str) -> str:
        """A cell's title, or 'cell 2' (counting the lesson's code cells from 1)."""
        cells = lesson_cells(self._lesson) if self._lesson is not None else []
        index, block = next(((i, b) for i, (k, b) in enumerate(cells) if k == key), (-1, None))
        return key if block is None else block.data.get("title") or say(self.lang, "cell-n", n=index + 1)

    def _show_output(self, text: Text) -> None:
        self.query_one(".code-output", Static).update(text)
        self._output_plain = text.plain
        self.set_class(bool(text.plain), "-has-output")

    def action_interrupt(self) -> None:
        """Stop the running cell; the namespace survives."""
        self.pool().interrupt(self._kernel[0])
        self.border_subtitle = say(self.lang, "stopping")

    # Reset and restart ---------------------------------------------------------------------

    def action_reset(self) -> None:
        """Put the starter code back (an edit, so Ctrl+Z brings the learner's code back)."""
        editor = self.editor
        editor.replace(self.starter, editor.document.start, editor.document.end)
        self.notify(say(self.lang, "starter-restored"), timeout=3)

    def action_restart(self) -> None:
        """Replace the lesson's namespace with a fresh one (setup runs again)."""
        key, setup = self._kernel
        if self.running or self.pool().is_running(key):
            stop = self._key_label("code-interrupt", "ctrl+c")
            self.notify(say(self.lang, "stop-first", stop=stop), timeout=3)
            return
        self.border_subtitle = say(self.lang, "restarting")
        self.when_trusted(lambda: self.restart_namespace(key, setup), self.lang)

    def on_kernel_runner_restarted(self, message: KernelRunner.Restarted) -> None:
        message.stop()
        self.border_subtitle = say(self.lang, "new-namespace")
        self.set_class(False, "-failed")
        note = say(self.lang, "restarted")
        note += say(self.lang, "restarted-setup" if self._kernel[1] else "restarted-end")
        self._show_output(Text(note, style="italic"))
        self.notify(say(self.lang, "restarted-notice"), timeout=2)


def _when(stamp: float) -> str:
    """When a run was: the time today, else the date and time."""
    then = time.localtime(stamp)
    same_day = time.localtime()[:3] == then[:3]
    return time.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M", then)
