"""The kernel process's main loop: cells run in one namespace with MXNet imported once."""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import signal
import sys
import threading
import time
import traceback
import types
from collections.abc import Iterator
from typing import Any, BinaryIO

from d2l_tui.kernel.capture import BoundedOutput
from d2l_tui.kernel.execute import run_cell
from d2l_tui.kernel.protocol import read_message, write_message

# What every lesson's cells may use without importing, as in the book's notebooks.
_PRELUDE_NUMPY = "import numpy as np"
_PRELUDE_MXNET = "from mxnet import nd, autograd, gluon, init"
# How often printed text is streamed to the UI and the parent's death is checked.
_TICK_S = 0.1


def _take_stdio() -> tuple[BinaryIO, BinaryIO]:
    """Move the message channel off fds 0/1, so nothing else (C code, input()) can touch it."""
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)  # C-level prints (MXNet warnings, os.system) land in the kernel log
    sys.stdin = io.StringIO("")
    return channel_in, channel_out


def _about_mxnet(error: ImportError) -> bool:
    """True when a failed import is MXNet's or NumPy's own (missing, or broken inside)."""
    if (error.name or "").split(".")[0] in ("mxnet", "numpy"):
        return True
    frames = traceback.extract_tb(error.__traceback__)
    return any(f"{os.sep}{name}{os.sep}" in frame.filename
               for frame in frames for name in ("mxnet", "numpy"))


def _end_orphaned() -> None:
    """Exit with whatever our cells started: the app is gone (killed, so it could not close us)."""
    if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)  # our own group (the app started us as its leader)
    os._exit(0)


class Worker:
    """Serves run requests from the UI process, one at a time, in one shared namespace."""

    def __init__(
        self, channel_in: BinaryIO, channel_out: BinaryIO, limits: tuple[int, int]
    ) -> None:
        self.channel_in = channel_in
        self.channel_out = channel_out
        self.limits = limits
        self.output = BoundedOutput(*limits)
        # The namespace is a real __main__ module, so pickle finds classes defined in cells.
        main_module = types.ModuleType("__main__")
        main_module.__builtins__ = builtins  # type: ignore[attr-defined]
        sys.modules["__main__"] = main_module
        self.namespace: dict[str, Any] = main_module.__dict__
        self.cell_count = 0
        self._armed = False  # SIGINT interrupts only the learner's code, never the protocol
        self._lock = threading.Lock()  # one writer on the channel at a time
        self._streaming_id: int | None = None
        self._streamed = 0
        self.problem: dict[str, str] | None = None
        """Why MXNet could not be imported (`reason`, `fix`), as `d2l-tui doctor` says it."""

    def on_sigint(self, _signum: int, _frame: object) -> None:
        """Raise KeyboardInterrupt in the learner's code; ignore it anywhere else."""
        if self._armed:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def _interruptible(self) -> Iterator[None]:
        self._armed = True
        try:
            yield
        finally:
            self._armed = False

    def send(self, message: dict[str, Any]) -> None:
        """Write one message to the UI process."""
        with self._lock:
            write_message(self.channel_out, message)

    def load_prelude(self) -> dict[str, Any]:
        """Import NumPy and MXNet into the namespace; return what the hello message reports."""
        from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet

        try:
            mx = load_mxnet()  # imports NumPy first
        except MXNetUnavailable as problem:
            self.problem = {"reason": problem.reason, "fix": problem.fix}
            with contextlib.suppress(ImportError):  # without NumPy, plain Python still runs
                exec(_PRELUDE_NUMPY, self.namespace)
            return {"mxnet": None, "problem": self.problem}
        exec(_PRELUDE_NUMPY, self.namespace)
        exec(_PRELUDE_MXNET, self.namespace)
        return {"mxnet": mx.__version__, "problem": None}

    def import_help(self, error: ImportError) -> str:
        """The doctor's reason and fix, for a cell's import that failed because MXNet is unusable."""
        if self.problem is None or not _about_mxnet(error):
            return ""
        return (f"MXNet is not available here: {self.problem['reason']}\n"
                f"To fix it: {self.problem['fix']}\n")

    def housekeeping(self) -> None:
        """Stream new output every tick; exit if the UI process has gone away."""
        parent = os.getppid()
        while True:
            time.sleep(_TICK_S)
            self._stream_new_output()
            if os.getppid() != parent:
                _end_orphaned()

    def _stream_new_output(self) -> None:
        with self._lock:
            pieces, count = self.output.pieces, len(self.output.pieces)
            if self._streaming_id is None or count <= self._streamed:
                return
            text = "".join(pieces[self._streamed : count])
            self._streamed = count
            stream = {"type": "stream", "id": self._streaming_id, "text": text}
            write_message(self.channel_out, stream)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one cell and return the result message."""
        label = request.get("label")
        if label is None:
            self.cell_count += 1
            label = self.cell_count
        with self._lock:
            self.output.reset()
            self._streaming_id, self._streamed = request["id"], 0
        sys.stdout = sys.stderr = self.output
        started = time.perf_counter()
        try:
            outcome = run_cell(
                request["code"],
                self.namespace,
                f"<cell {label}>",
                want_value=bool(request.get("want_value")),
                guard=self._interruptible,
                limits=self.limits,
                import_help=self.import_help,
            )
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            with self._lock:
                self._streaming_id = None
        return {
            "type": "result",
            "id": request["id"],
            "status": outcome.status,
            "output": self.output.getvalue(),
            "value_repr": outcome.value_repr,
            "value": outcome.value,
            "error": outcome.error,
            "missing_name": outcome.missing_name,
            "missing_module": outcome.missing_module,
            "notes": outcome.notes,
            "dropped_chars": self.output.dropped_chars,
            "dropped_lines": self.output.dropped_lines,
            "duration_s": time.perf_counter() - started,
        }

    def serve(self) -> bool:
        """Answer requests until the UI process says shutdown (True) or the channel closes."""
        while True:
            request = read_message(self.channel_in)
            if request is None or request.get("type") == "shutdown":
                return request is not None
            try:
                reply = self.run(request)
            except Exception as error:  # noqa: BLE001 - a kernel bug must still answer the request
                reply = {"type": "result", "id": request.get("id"), "status": "error",
                         "error": f"internal kernel error: {type(error).__name__}: {error}\n"}
            self.send(reply)


def main(argv: list[str] | None = None) -> None:
    """Start the kernel: take the channel, import MXNet right away, then serve."""
    args = sys.argv[1:] if argv is None else argv
    limits = (int(args[0]), int(args[1])) if len(args) >= 2 else (200_000, 10_000)
    channel_in, channel_out = _take_stdio()
    worker = Worker(channel_in, channel_out, limits)
    signal.signal(signal.SIGINT, worker.on_sigint)
    threading.Thread(target=worker.housekeeping, name="kernel-housekeeping", daemon=True).start()
    hello = worker.load_prelude()
    worker.send({"type": "hello", "pid": os.getpid(), "python": sys.version.split()[0], **hello})
    if not worker.serve():
        _end_orphaned()  # the channel closed without a goodbye: the app is gone


if __name__ == "__main__":
    main()
