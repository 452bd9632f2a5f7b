"""`Kernel`: run learner code notebook-style in a separate, warm, interruptible MXNet process."""

from __future__ import annotations

import itertools
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from d2l_tui.kernel.clean import StreamCleaner, clean_output, clean_text

from d2l_tui.kernel.process import KernelProcess
from d2l_tui.kernel.results import (
    CellResult,
    CellStatus,
    describe_exit,
    result_from_message,
    timeout_note,
)


class KernelBusy(RuntimeError):
    """`run` was called while another cell is still running in the same kernel."""


class Kernel:
    """A notebook-style namespace in its own process, with NumPy and MXNet imported and warm.

    `Kernel().run("nd.ones((3, 4)) * 2")` starts the process on first use; `start()` starts it
    early so MXNet is imported before the learner runs a cell. `run` blocks its calling thread
    (run it in a worker thread in the UI); `interrupt()` may be called from any other thread.
    The process leads its own process group: closing, restarting or quitting ends whatever a
    cell started in it too.
    """

    def __init__(
        self,
        setup: str | None = None,
        *,
        max_output_chars: int = 200_000,
        max_output_lines: int = 10_000,
        interrupt_grace_s: float = 2.0,
        startup_timeout_s: float = 60.0,
        python: str | None = None,
    ) -> None:
        self.setup = setup
        """Code run once after every (re)start, e.g. a lesson's imports; assign, then restart."""
        self.limits = (max_output_chars, max_output_lines)
        self.interrupt_grace_s = interrupt_grace_s
        """How long an interrupted cell may take to stop before the kernel is restarted."""
        self.startup_timeout_s = startup_timeout_s
        self._python = python
        self._process: KernelProcess | None = None
        self._run_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._current_id: int | None = None
        self._hello: dict[str, Any] | None = None
        self._setup_id: int | None = None
        self.setup_result: CellResult | None = None
        """The result of running `setup` in the current process, once it has run."""
        self._notices: list[str] = []
        self._mxnet_reported = False
        self.generation = 0
        """How many kernel processes this `Kernel` has started (0 before the first).

        It grows by one whenever a new process starts: the first start, `restart()`, a `run` or
        `start()` after `close()` (e.g. a pool closed it to make room), and the fresh kernel that
        replaces one that ignored an interrupt. Variables live in one process, so a cell that ran
        under an older generation must run again before later cells can use what it defined.
        A process that died keeps its generation until something starts the next one.
        """

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Kernel:
        """Start the kernel process (MXNet starts importing at once) unless it is running."""
        if self._process is not None and self._process.alive:
            return self
        if self._process is not None:
            self._process.close(force=True)
        self._process = KernelProcess(self.limits, self._python)
        self.generation += 1
        self._hello, self.setup_result, self._setup_id = None, None, None
        if self.setup:
            self._setup_id = next(self._ids)
            setup = {"type": "run", "id": self._setup_id, "code": self.setup, "label": "setup"}
            self._process.send(setup)
        return self

    def restart(self, setup: str | None = None) -> Kernel:
        """Replace the kernel with a fresh one (empty namespace); `setup` replaces `self.setup`."""
        if setup is not None:
            self.setup = setup
        self.close()
        return self.start()

    def close(self) -> None:
        """Stop the kernel process and reap it; a later `run` starts a new one."""
        process, self._process = self._process, None
        if process is not None:
            # Busy or still importing MXNet: it would not read a shutdown request soon.
            process.close(force=self._run_lock.locked() or self._hello is None)

    def __enter__(self) -> Kernel:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until MXNet is imported and `setup` has run; False on timeout or death."""
        limit = self.startup_timeout_s if timeout is None else timeout
        deadline = time.monotonic() + limit
        if not self._run_lock.acquire(timeout=limit):
            return False
        try:
            process = self._process or self.start()._process
            assert process is not None
            while not self._ready():
                message = self._next(process, deadline)
                if message is None or message["type"] == "exit":
                    return False
            return True
        finally:
            self._run_lock.release()

    def _ready(self) -> bool:
        setup_done = self._setup_id is None or self.setup_result is not None
        return self._hello is not None and setup_done

    # -- facts -----------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True while the kernel process runs."""
        return self._process is not None and self._process.alive

    @property
    def pid(self) -> int | None:
        """The kernel process id, if started."""
        return self._process.pid if self._process else None

    @property
    def mxnet_version(self) -> str | None:
        """MXNet's version in the kernel once imported; None if unavailable or not yet."""
        return self._hello.get("mxnet") if self._hello else None

    @property
    def mxnet_problem(self) -> dict[str, str] | None:
        """`{"reason": ..., "fix": ...}` when the kernel could not import MXNet."""
        return self._hello.get("problem") if self._hello else None

    # -- running ---------------------------------------------------------------------------

    def interrupt(self) -> None:
        """Stop the running cell (KeyboardInterrupt in the kernel); does nothing when idle."""
        request_id, process = self._current_id, self._process
        if request_id is not None and process is not None:
            # The waiting run() sends the signal, so only it decides what happens next.
            process.messages.put({"type": "interrupt", "id": request_id})

    def run(
        self,
        code: str,
        *,
        timeout: float | None = None,
        want_value: bool = False,
        on_output: Callable[[str], None] | None = None,
    ) -> CellResult:
        """Run one cell and return its result; never raises for bad code or a dead kernel.

        Args:
            timeout: seconds the cell may run before it is stopped (status TIMEOUT).
            want_value: also return the last expression's value as data (`CellResult.value`).
            on_output: called in this thread with printed text as it arrives (~10 times a second),
                already safe to draw (see `kernel.clean`); the chunks only ever append, so a
                progress bar's redraws (`\r`) show on new lines while it runs, and only its last
                state in the result's `output`. The cut note, if any, comes last.
        """
        if not self._run_lock.acquire(blocking=False):
            raise KernelBusy("another cell is still running in this kernel")
        try:
            self._current_id = request_id = next(self._ids)
            process = self._process or self.start()._process
            assert process is not None
            if not process.alive:
                return self._died(process, CellRun(request_id), earlier=True)
            request = {"type": "run", "id": request_id, "code": code, "want_value": want_value}
            return self._run(process, request, timeout, on_output)
        finally:
            self._current_id = None
            self._run_lock.release()

    def _next(self, process: KernelProcess, deadline: float | None) -> dict[str, Any] | None:
        """Return the next message (None at `deadline`), noting hello and setup results."""
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            message = process.messages.get(timeout=wait)
        except queue.Empty:
            return None
        if message["type"] == "hello":
            self._hello = message
            if message.get("problem") and not self._mxnet_reported:
                self._mxnet_reported = True
                problem = message["problem"]
                notice = (f"MXNet is not available, so only plain Python runs: {problem['reason']}\n"
                          f"To fix it: {problem['fix']}")
                self._notices.append(clean_text(notice) or "")  # the reason quotes an error
        elif message["type"] == "result" and message["id"] == self._setup_id:
            self.setup_result = self._result(message, None, None)
            if not self.setup_result.ok:
                failure = f"The lesson's setup code failed:\n{self.setup_result.error}"
                self._notices.append(failure)
        return message

    def _run(
        self,
        process: KernelProcess,
        request: dict[str, Any],
        timeout: float | None,
        on_output: Callable[[str], None] | None,
    ) -> CellResult:
        """Run one cell in three steps: wait for hello, send it and pump output, stop if asked."""
        run = CellRun(request["id"], timeout, on_output)
        early = self._wait_for_hello(process, run)
        if early is not None:
            return early
        if not process.send(request):
            return self._died(process, run)
        run.deadline = None if timeout is None else time.monotonic() + timeout
        return self._pump(process, run)

    def _wait_for_hello(self, process: KernelProcess, run: CellRun) -> CellResult | None:
        """Step 1: wait until the kernel has imported MXNet; a result only if the cell cannot run.

        Nothing is sent before the kernel's hello: a SIGINT during its start-up would kill it.
        """
        startup_deadline = run.started + self.startup_timeout_s
        while self._hello is None:
            message = self._next(process, startup_deadline)
            if message is None:
                process.close(force=True)
                return self._died(process, run, note="it did not start in time")
            if message["type"] == "interrupt" and message["id"] == run.request_id:
                error = "stopped before the kernel was ready\n"
                return CellResult(CellStatus.INTERRUPTED, error=error)
            if message["type"] == "exit":
                return self._died(process, run)
        return None

    def _pump(self, process: KernelProcess, run: CellRun) -> CellResult:
        """Step 2: pass on the cell's output as it arrives until its result (or the end) comes."""
        while True:
            message = self._next(process, run.wake_at())
            message = message or {"type": "tick", "id": run.request_id}
            kind = message["type"]
            if kind == "exit":
                return self._died(process, run)
            if message.get("id") != run.request_id:
                continue  # e.g. the setup's result, already noted by _next
            if kind == "stream":
                run.show(message["text"])
            elif kind == "result":
                return self._finish(run, message)
            elif kind in ("tick", "interrupt"):
                stopped = self._stop(process, run, CellStatus.TIMEOUT if kind == "tick" else None)
                if stopped is not None:
                    return stopped

    def _stop(
        self, process: KernelProcess, run: CellRun, reason: CellStatus | None
    ) -> CellResult | None:
        """Step 3, stop and grace: interrupt the cell once, restart the kernel if it ignores that.

        Called when the time limit passes (`reason` TIMEOUT) or `interrupt()` asks (None), and
        again at the end of the grace; returns a result only when the kernel had to be replaced.
        """
        if run.give_up_at is not None:
            if time.monotonic() >= run.give_up_at:
                return self._force_restart(process, run)
            return None  # already stopping: a second request changes nothing
        run.reason = reason or CellStatus.INTERRUPTED
        run.give_up_at = time.monotonic() + self.interrupt_grace_s
        if not process.interrupt():
            return self._force_restart(process, run)
        return None

    def _finish(self, run: CellRun, message: dict[str, Any]) -> CellResult:
        """The cell's result; what the stream did not carry yet (the cut note) goes out first."""
        result = self._result(message, run.reason, run.timeout)
        run.show(_unstreamed(message.get("output", ""), run.streamed), final=True)
        return result

    def _result(
        self, message: dict[str, Any], reason: CellStatus | None, timeout: float | None
    ) -> CellResult:
        return result_from_message(message, reason, timeout, self._take_notices())

    def _take_notices(self) -> tuple[str, ...]:
        notices, self._notices = tuple(self._notices), []
        return notices

    def _force_restart(self, process: KernelProcess, run: CellRun) -> CellResult:
        """The cell ignored the interrupt (stuck in C code, or no SIGINT here): start afresh."""
        process.close(force=True)
        if self._process is process:
            self._process = None
            self.start()
        note = timeout_note(run.timeout) if run.reason is CellStatus.TIMEOUT else ""
        error = (f"{note}the kernel did not stop within {self.interrupt_grace_s:g} s, "
                 "so it was restarted: all variables were reset\n")
        return CellResult(run.reason or CellStatus.INTERRUPTED, run.output(), error=error,
                          duration_s=time.monotonic() - run.started, restarted=True,
                          notices=self._take_notices())

    def _died(
        self, process: KernelProcess, run: CellRun, earlier: bool = False, note: str = ""
    ) -> CellResult:
        """Report that the kernel process is gone, and how it ended."""
        try:
            code = process.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.close(force=True)
            code = process.popen.returncode
        how = note or describe_exit(code)
        error = (f"the kernel is not running: it died earlier ({how})" if earlier
                 else f"the kernel died ({how})")
        return CellResult(CellStatus.DIED, run.output(), error=error, exit_code=code,
                          kernel_log=clean_text(process.log_tail()) or "",
                          duration_s=time.monotonic() - run.started,
                          notices=self._take_notices())


@dataclass
class CellRun:
    """One cell's run as the parent sees it: its raw output so far, and why it is being stopped."""

    request_id: int
    timeout: float | None = None
    on_output: Callable[[str], None] | None = None
    started: float = field(default_factory=time.monotonic)
    streamed: list[str] = field(default_factory=list)
    """The raw text streamed so far (before cleaning)."""
    deadline: float | None = None
    """When the time limit runs out, once the cell has been sent."""
    reason: CellStatus | None = None
    """Why the cell is being stopped (TIMEOUT or INTERRUPTED), once it is."""
    give_up_at: float | None = None
    """When an interrupted cell that has not stopped gets a fresh kernel instead."""
    cleaner: StreamCleaner = field(default_factory=StreamCleaner)

    def wake_at(self) -> float | None:
        """When the pump must look again even without a message: the end of grace or time."""
        return self.give_up_at if self.reason is not None else self.deadline

    def show(self, raw: str, final: bool = False) -> None:
        """Note a raw chunk and pass its cleaned text on; `final` also flushes what was held."""
        if raw:
            self.streamed.append(raw)
        text = self.cleaner.feed(raw) + (self.cleaner.flush() if final else "")
        if self.on_output and text:
            self.on_output(text)

    def output(self) -> str:
        """What was streamed so far, cleaned (for a cell that ended without a result)."""
        return clean_output("".join(self.streamed))


def _unstreamed(output: str, streamed: list[str]) -> str:
    """Return the part of the final output not streamed yet (e.g. the truncation note)."""
    sent = "".join(streamed)
    return output[len(sent):] if output.startswith(sent) else ""
