"""Processes a cell starts end with its kernel: on close, restart, a forced restart and quit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from d2l_tui.kernel import CellStatus, Kernel

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")

START_SLEEP = "import subprocess\nsleeper = subprocess.Popen(['sleep', '300'])\nprint(sleeper.pid)"


def running(pid: int) -> bool:
    """True while `pid` runs; a zombie (killed, waiting for init to reap it) does not count."""
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return state.stdout.strip()[:1] not in ("", "Z")


def gone_soon(pid: int, within_s: float = 3.0) -> bool:
    """True when `pid` stops running within `within_s`."""
    deadline = time.monotonic() + within_s
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def start_sleep(kernel: Kernel) -> int:
    """Run a cell that starts `sleep 300` and return the sleep's pid (checked to be running)."""
    result = kernel.run(START_SLEEP)
    assert result.ok, result.error
    pid = int(result.output)
    assert running(pid)
    return pid


@pytest.fixture(scope="module")
def kernel():
    """One kernel these tests restart and close over and over."""
    with Kernel(interrupt_grace_s=0.5) as k:
        yield k


def test_close_ends_what_a_cell_started(kernel):
    sleeper = start_sleep(kernel)
    kernel.close()
    assert gone_soon(sleeper)


def test_restart_ends_what_a_cell_started(kernel):
    sleeper = start_sleep(kernel)
    kernel.restart()
    assert gone_soon(sleeper)
    assert kernel.run("'fresh'").value_repr == "'fresh'"


def test_forced_restart_ends_what_a_cell_started(kernel):
    sleeper = start_sleep(kernel)
    threading.Timer(0.3, kernel.interrupt).start()
    stuck = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass"
    result = kernel.run(stuck)
    assert result.restarted
    assert gone_soon(sleeper)


def test_a_dead_kernels_leftovers_end_at_the_restart(kernel):
    sleeper = start_sleep(kernel)
    assert kernel.run("import os\nos._exit(1)").status is CellStatus.DIED
    kernel.restart()
    assert gone_soon(sleeper)


def test_a_cell_started_process_outside_the_group_is_not_touched(kernel):
    """The group, not every descendant: a cell that asks for its own session keeps it (as in a shell)."""
    code = ("import subprocess\nown = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
            "print(own.pid)")
    own = int(kernel.run(code).output)
    kernel.restart()
    try:
        assert running(own)
    finally:
        os.kill(own, signal.SIGKILL)


APP = """
import sys, time
from d2l_tui.kernel import Kernel
kernel = Kernel()
result = kernel.run({code!r})
print(result.output.strip(), kernel.pid, flush=True)
if sys.argv[1] == "hang":
    time.sleep(300)
""".format(code=START_SLEEP)


def run_app(mode: str) -> tuple[subprocess.Popen[str], int, int]:
    """Start a small 'app' that runs the sleep cell; return it, the sleep's pid, the kernel's pid."""
    app = subprocess.Popen([sys.executable, "-c", APP, mode], stdout=subprocess.PIPE, text=True)
    assert app.stdout is not None
    sleeper, kernel_pid = map(int, app.stdout.readline().split())
    return app, sleeper, kernel_pid


def test_quitting_the_app_ends_what_a_cell_started():
    app, sleeper, kernel_pid = run_app("quit")  # exits without closing its kernel
    assert app.wait(timeout=30) == 0
    assert gone_soon(sleeper) and gone_soon(kernel_pid)


def test_a_killed_app_still_leaves_nothing_running():
    app, sleeper, kernel_pid = run_app("hang")
    app.kill()  # no atexit: the orphaned kernel notices and ends its group itself
    app.wait(timeout=10)
    assert gone_soon(sleeper) and gone_soon(kernel_pid)
