"""One way to run code in the app's kernels, shared by code cells, the scratchpad and code quizzes.

`KernelRunner` is a mixin for a widget or screen: its workers start, run, replay and restart
kernels off the UI thread and report back only with `post_message` (Output, Replayed,
Finished, Restarted); a failure to run becomes a result, never a crash. It also asks, once per
course folder, whether that folder's code may run (`when_trusted`), and keeps the workbook of
saved cells (`workbook_of`, `save_workbook`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget

from d2l_tui.trust import TrustStore, folder_key
from d2l_tui.ui.kernels import KernelPool
from d2l_tui.ui.reach import session, tutor_app
from d2l_tui.words import say_in
from d2l_tui.workbook import Workbook

if TYPE_CHECKING:  # the kernel package imports NumPy: it loads off the UI thread
    from d2l_tui.kernel import CellResult, Kernel

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "busy": "This namespace is busy running other code (a cell or the scratchpad). Stop that first.",
        "not-run": "The code could not be run: {error}",
        "trust-question": "The code in this course folder will run on your computer. Do you trust it?\n\n{folder}",
        "yes": "Yes, run it (y)",
        "no": "No (n)",
        "trust-no": "Nothing ran. To trust this folder later, run a cell again and answer yes.",
        "trust-said-no": "Nothing ran: you chose not to trust this course folder. Run again to be asked once more.",
        "trust-unsaved": "Your answer holds for this session only: {error}",
        "workbook-unsaved": "Your code and outputs cannot be saved ({error}); they are kept until you quit.",
    },
    "zh": {
        "busy": "这个命名空间正忙着运行别的代码（某个单元格或草稿本），请先停止它。",
        "not-run": "代码没法运行：{error}",
        "trust-question": "这个课程文件夹里的代码会在你的电脑上运行，信任它吗？\n\n{folder}",
        "yes": "信任，运行（y）",
        "no": "不信任（n）",
        "trust-no": "什么都没有运行。以后想信任这个文件夹：再运行一个单元格，回答“信任”即可。",
        "trust-said-no": "没有运行：你选择了不信任这个课程文件夹。再运行一次会重新询问。",
        "trust-unsaved": "你的回答只在这次有效：{error}",
        "workbook-unsaved": "你的代码和输出没法保存（{error}），在退出之前会一直保留。",
    },
}
"""The runner's words per language."""


def say(lang: str, key: str, **params: object) -> str:
    """The runner's words `key` in `lang`."""
    return say_in(LABELS, lang, key, **params)


@dataclass(frozen=True)
class CodeJob:
    """What a run does: re-run cells above whose variables the kernel lost, then run `code`."""

    key: str
    """The kernel: a lesson id, or the scratchpad's or the quiz's own."""
    setup: str | None
    code: str | None
    """The code to run; None to run only the cells above (run all above)."""
    cell: str | None = None
    """The cell's key in the workbook, noted in the kernel once it ran without error."""
    above: Sequence[tuple[str, str]] = ()
    """(cell key, code) of the cells above that may be re-run, in lesson order."""
    replay_all: bool = False
    """Run every cell in `above`, not only those the kernel lost."""
    lang: str = "en"


@dataclass(frozen=True)
class RunOutcome:
    """How a run went: the result, and which cells above were re-run first."""

    result: CellResult | None
    """The run's result; for a replay that failed, that cell's result; None when only cells above ran."""
    replayed: tuple[str, ...] = field(default=())
    failed: str | None = None
    """The key of the cell above whose re-run failed (then `code` did not run)."""


class KernelRunner:
    """Mixin for a widget or screen that runs code in the app's kernels (see the module docstring)."""

    RUN_GROUP = "run:code"
    """The worker group of runs; starting with `run:` makes quitting ask first."""

    @dataclass
    class Output(Message):
        """Printed text arrived from the running code."""

        text: str

    @dataclass
    class Replayed(Message):
        """A cell above was re-run to restore its variables."""

        cell: str
        result: CellResult

    @dataclass
    class Finished(Message):
        """The run ended: a `RunOutcome` for code, or what a job given to `run_with_kernel` returned.

        Posted to the app instead when the runner has left the screen meanwhile (the app hands
        it to `finished_away`, so what ran is still kept).
        """

        outcome: Any
        runner: KernelRunner

    @dataclass
    class Restarted(Message):
        """The namespace was replaced by a fresh one."""

    def pool(self) -> KernelPool:
        """The app's kernels."""
        return session(self._node()).kernels

    def _node(self) -> DOMNode:
        assert isinstance(self, DOMNode)
        return self

    # Workers --------------------------------------------------------------------------------

    def finished_away(self, outcome: Any) -> None:
        """A run ended after this runner left the screen; override to keep what it made."""

    def start_warming(self, key: str, setup: str | None) -> None:
        """Start a kernel now, so MXNet is loaded by the time the learner runs code."""
        pool = self.pool()
        self._node().run_worker(lambda: pool.warm(key, setup), thread=True, group="kernel-warm", exit_on_error=False)

    def restart_namespace(self, key: str, setup: str | None) -> None:
        """Replace a kernel's namespace with a fresh one (setup runs again); posts Restarted."""
        pool, node = self.pool(), self._node()

        def restart() -> None:  # closing the old kernel may wait up to a second
            pool.restart(key, setup)
            node.post_message(self.Restarted())

        node.run_worker(restart, thread=True, group="kernel-restart", exit_on_error=False)

    def run_code(self, job: CodeJob) -> None:
        """Run a job off the UI thread; Output, Replayed and then Finished(RunOutcome) come back."""
        from d2l_tui.kernel import CellResult, CellStatus

        def failed(error: str) -> RunOutcome:
            return RunOutcome(CellResult(CellStatus.ERROR, error=error))

        pool, node = self.pool(), self._node()

        def body(kernel: Kernel) -> RunOutcome:
            return self._code_body(job, kernel, pool, node)

        self.run_with_kernel(job.key, job.setup, body, failed, job.lang)

    def run_with_kernel(
        self, key: str, setup: str | None, body: Callable[[Kernel], object],
        failed: Callable[[str], object], lang: str,
    ) -> None:
        """Lend the kernel for `key` to `body` in a worker; post Finished with what it returns
        (or with `failed(words)` when the kernel is busy or cannot run)."""
        pool, node = self.pool(), self._node()
        app = node.app

        def work() -> None:
            from d2l_tui.kernel import KernelBusy

            try:
                with pool.holding(key, setup) as kernel:
                    outcome = body(kernel)
            except KernelBusy:
                outcome = failed(say(lang, "busy"))
            except Exception as error:  # noqa: BLE001 - a failure to run must show, not crash the app
                outcome = failed(say(lang, "not-run", error=error))
            message = self.Finished(outcome, self)
            if not node.post_message(message):  # gone from the screen: the app still gets it
                app.post_message(message)

        node.run_worker(work, thread=True, group=self.RUN_GROUP, exit_on_error=False)

    def _code_body(self, job: CodeJob, kernel: Kernel, pool: KernelPool, node: DOMNode) -> RunOutcome:
        """In the worker: re-run the cells above the kernel lost, then the code."""
        pool.note_used(job.key)  # (a quiz's check keeps no variables, so it does not count)
        done = set(pool.executed(job.key, kernel))
        replayed: list[str] = []
        for cell, code in job.above:
            if cell in done and not job.replay_all:
                continue
            result = kernel.run(code)
            node.post_message(self.Replayed(cell, result))
            if not result.ok:
                return RunOutcome(result, tuple(replayed), failed=cell)
            pool.mark_executed(job.key, kernel, cell)
            replayed.append(cell)
        if job.code is None:
            return RunOutcome(None, tuple(replayed))

        def stream(text: str) -> None:
            node.post_message(self.Output(text))

        result = kernel.run(job.code, on_output=stream)
        if result.ok and job.cell is not None:
            pool.mark_executed(job.key, kernel, job.cell)
        return RunOutcome(result, tuple(replayed))

    # Trust ----------------------------------------------------------------------------------

    def when_trusted(self, go: Callable[[], None], lang: str, refused: Callable[[], None] | None = None) -> None:
        """Call `go` if the course folder's code may run, asking once per folder if not known;
        otherwise call `refused` (if given)."""
        node = self._node()
        app, store = tutor_app(node), trust_of(node)
        folder = app.course.root
        answer = store.answer(folder)
        if answer:
            go()
            return
        said = session(node).notes_said
        reminder = f"trust-said-no:{folder_key(folder)}"
        if answer is False and reminder not in said:
            said.add(reminder)  # the next run asks again
            app.notify(say(lang, "trust-said-no"), severity="warning", timeout=6)
            if refused is not None:
                refused()
            return

        def answered(trusted: bool | None) -> None:
            if not store.remember(folder, bool(trusted)):
                app.notify(say(lang, "trust-unsaved", error=store.error), severity="warning", timeout=8)
            if trusted:
                go()
            else:
                said.add(reminder)
                app.notify(say(lang, "trust-no"), severity="warning", timeout=8)
                if refused is not None:
                    refused()

        from d2l_tui.ui.screens.confirm import ConfirmScreen

        question = say(lang, "trust-question", folder=folder_key(folder))
        app.push_screen(ConfirmScreen(question, yes=say(lang, "yes"), no=say(lang, "no")), answered)


def folder_trusted(node: DOMNode) -> bool:
    """True when the app's course folder may run code without asking (setup may run unasked)."""
    return bool(trust_of(node).answer(tutor_app(node).course.root))


def trust_of(node: DOMNode) -> TrustStore:
    """The learner's trust answers (opened on first use)."""
    state = session(node)
    if state.trust is None:
        state.trust = TrustStore.open(tutor_app(node).data_dir)
    return state.trust


def workbook_of(node: DOMNode) -> Workbook:
    """The saved cells of the learner's data folder (opened on first use)."""
    state = session(node)
    if state.workbook is None:
        state.workbook = Workbook.open(tutor_app(node).data_dir)
    return state.workbook


def save_workbook(node: Widget, lang: str) -> None:
    """Write the changed cells; if the disk refuses, say so once and keep them in memory."""
    book = workbook_of(node)
    if not book.save() and "workbook-unsaved" not in session(node).notes_said:
        session(node).notes_said.add("workbook-unsaved")
        node.app.notify(say(lang, "workbook-unsaved", error=book.error), severity="warning", timeout=10)
