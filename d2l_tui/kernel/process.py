"""One kernel child process: start it, talk to it, signal it, and reap it with its group.

The child leads its own process group (its own session), so processes a cell starts
(`subprocess.Popen(["sleep", "300"])`, a data loader's workers) share that group, and closing
the kernel ends the whole group with `os.killpg`, not only the kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from d2l_tui.kernel.protocol import ProtocolError, read_message, write_message

# The child imports the very d2l_tui package its parent runs from, loaded by its location,
# and nothing else from that folder: not a copy in its working folder (`-c` puts the working
# folder first on sys.path), not an older installed copy beside a checkout under test, and not
# the rest of an install's site-packages, which a kernel started without it must not see.
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
_BOOTSTRAP = (
    "import sys, importlib.util as u; where = sys.argv.pop(1); "
    "spec = u.spec_from_file_location('d2l_tui', where + '/__init__.py', "
    "submodule_search_locations=[where]); package = u.module_from_spec(spec); "
    "sys.modules['d2l_tui'] = package; spec.loader.exec_module(package); "
    "from d2l_tui.kernel.worker import main; main()"
)
_live: set[KernelProcess] = set()


@atexit.register
def _close_all() -> None:
    """Quitting the app must leave no kernel process (or zombie) behind."""
    for process in list(_live):
        process.close(force=True)


class KernelProcess:
    """A running `d2l_tui.kernel.worker`; its messages arrive on `messages`, ending with 'exit'."""

    def __init__(self, limits: tuple[int, int], python: str | None = None) -> None:
        # The child's stderr (crash messages, C-level prints) goes to a file read after a death.
        self._log = tempfile.TemporaryFile(prefix="d2l-kernel-", suffix=".log")
        if os.name == "posix":
            # Own session and group: a terminal Ctrl-C must not reach the kernel (only interrupt()
            # does), and closing ends every process a cell started (see end_group).
            extra: dict[str, Any] = {"start_new_session": True}
        else:
            flags = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
            extra = {"creationflags": flags}
        self.popen = subprocess.Popen(
            [python or sys.executable, "-c", _BOOTSTRAP, _PACKAGE_DIR, *map(str, limits)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            **extra,
        )
        _live.add(self)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._write_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="kernel-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.popen.pid

    @property
    def alive(self) -> bool:
        """True while the child process runs."""
        return self.popen.poll() is None

    def _read(self) -> None:
        """Forward every message to the queue; at the end, reap the child and report its exit."""
        stream = self.popen.stdout
        assert stream is not None  # opened with stdout=PIPE
        try:
            while (message := read_message(stream)) is not None:
                self.messages.put(message)
        except (ProtocolError, OSError, ValueError):
            pass  # a garbled or closed channel ends this kernel just like a death
        try:
            code = self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            code = self.popen.wait()
        self.messages.put({"type": "exit", "code": code})

    def send(self, message: dict[str, Any]) -> bool:
        """Send one message; False when the child can no longer receive."""
        stream = self.popen.stdin
        assert stream is not None  # opened with stdin=PIPE
        try:
            with self._write_lock:
                write_message(stream, message)
        except (OSError, ValueError):
            return False
        return True

    def interrupt(self) -> bool:
        """Send SIGINT; False where that is impossible (Windows, or already dead)."""
        if os.name != "posix" or not self.alive:
            return False
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            return False
        return True

    def end_group(self) -> None:
        """Kill every process left in the kernel's process group (what its cells started)."""
        if os.name != "posix":
            return
        # The group id is the kernel's pid. Once the kernel is reaped the id could only be reused
        # after the group is empty, and then killpg finds no one (ProcessLookupError).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def log_tail(self, max_chars: int = 2_000) -> str:
        """Return the end of the child's stderr."""
        if not hasattr(os, "pread"):
            return ""
        fd = self._log.fileno()
        size = os.fstat(fd).st_size
        # pread leaves the file offset alone: the child shares it and may still be writing.
        data = os.pread(fd, max_chars, max(0, size - max_chars))
        return data.decode("utf-8", "replace").strip()

    def close(self, grace_s: float = 1.0, force: bool = False) -> None:
        """Ask the child to exit, kill it after `grace_s` (at once if `force`), and reap it;
        then end what its cells started."""
        _live.discard(self)
        if force:
            self.end_group()
        elif self.alive:
            self.send({"type": "shutdown"})
        try:
            if self.popen.stdin:
                self.popen.stdin.close()
        except OSError:
            pass
        try:
            self.popen.wait(timeout=0 if force else grace_s)
        except subprocess.TimeoutExpired:
            self.end_group()
            self.popen.wait()
        self.end_group()
        self._reader.join(timeout=5)
        if self.popen.stdout:
            self.popen.stdout.close()
        # The log stays open (until this object goes) so a death can still be explained.
