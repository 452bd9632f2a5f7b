"""The steps of `Kernel.run`, each on its own, with real kernel processes: wait for the kernel's
hello, pump a cell's output to its result, and stop a cell (interrupt, then grace, then restart)."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from d2l_tui.kernel import CellStatus, Kernel
from d2l_tui.kernel.client import CellRun
from d2l_tui.kernel.process import KernelProcess

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fake interpreters are shell scripts")


def fake_python(folder: Path, body: str) -> str:
    """A program standing in for Python that never says hello (it runs `body` instead)."""
    path = folder / "python"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture(scope="module")
def kernel():
    """A warm kernel with a short interrupt grace, driven step by step."""
    with Kernel(interrupt_grace_s=0.5) as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


def started(kernel: Kernel) -> KernelProcess:
    """The kernel's current process (started if need be)."""
    process = kernel.start()._process
    assert process is not None
    return process


def send(kernel: Kernel, code: str, **run_options: object) -> tuple[KernelProcess, CellRun]:
    """Send a cell as `run` does after the hello, and return what the pump needs."""
    process = started(kernel)
    request_id = next(kernel._ids)
    run = CellRun(request_id, **run_options)  # type: ignore[arg-type]
    assert process.send({"type": "run", "id": request_id, "code": code})
    return process, run


# -- step 1: wait for hello ---------------------------------------------------------------


def test_hello_wait_returns_nothing_once_the_kernel_is_ready():
    with Kernel() as kernel:
        process = started(kernel)
        assert kernel._wait_for_hello(process, CellRun(1)) is None
        assert kernel.mxnet_version  # the hello was noted on the way


def test_hello_wait_gives_up_on_a_kernel_that_never_starts(tmp_path):
    kernel = Kernel(startup_timeout_s=0.5, python=fake_python(tmp_path, "exec sleep 30"))
    process = started(kernel)
    begun = time.monotonic()
    result = kernel._wait_for_hello(process, CellRun(1))
    assert result is not None and result.status is CellStatus.DIED
    assert result.error == "the kernel died (it did not start in time)"
    assert time.monotonic() - begun < 3 and not process.alive
    kernel.close()


def test_hello_wait_reports_a_kernel_that_exits_first(tmp_path):
    body = "echo 'no interpreter here' >&2; exit 3"
    kernel = Kernel(python=fake_python(tmp_path, body))
    result = kernel._wait_for_hello(started(kernel), CellRun(1))
    assert result is not None and result.status is CellStatus.DIED and result.exit_code == 3
    assert result.error == "the kernel died (exit code 3)"
    assert result.kernel_log == "no interpreter here"
    kernel.close()


def test_hello_wait_can_be_interrupted(tmp_path):
    kernel = Kernel(python=fake_python(tmp_path, "exec sleep 30"))
    process = started(kernel)
    kernel._current_id = 7  # what run() sets before it waits
    threading.Timer(0.2, kernel.interrupt).start()
    result = kernel._wait_for_hello(process, CellRun(7))
    assert result is not None and result.status is CellStatus.INTERRUPTED
    assert result.error == "stopped before the kernel was ready\n"
    kernel.close()
    assert not process.alive


# -- step 2: pump output ----------------------------------------------------------------


def test_pump_passes_output_on_and_returns_the_result(kernel):
    chunks: list[str] = []
    code = "import time\nfor i in range(3):\n    print(i)\n    time.sleep(0.25)\n'done'"
    process, run = send(kernel, code, on_output=chunks.append)
    result = kernel._pump(process, run)
    assert result.ok and result.output == "0\n1\n2\n" and result.value_repr == "'done'"
    assert "".join(chunks) == "0\n1\n2\n" and len(chunks) >= 2, chunks
    assert "".join(run.streamed) == "0\n1\n2\n"


def test_pump_ignores_messages_for_other_cells(kernel):
    process, run = send(kernel, "print('mine')")
    process.messages.put({"type": "stream", "id": run.request_id + 1000, "text": "not mine\n"})
    process.messages.put({"type": "interrupt", "id": run.request_id + 1000})
    result = kernel._pump(process, run)
    assert result.ok and result.output == "mine\n" and run.reason is None


def test_pump_sends_the_cut_note_after_the_streamed_output():
    chunks: list[str] = []
    with Kernel(max_output_lines=3) as kernel:
        process, run = send(kernel, "for i in range(10):\n    print(i)", on_output=chunks.append)
        result = kernel._pump(process, run)
    assert result.dropped_lines == 7
    assert "".join(chunks) == result.output
    assert result.output.endswith("[output truncated: 7 more lines (14 characters) not shown]\n")


def test_pump_reports_a_death_with_what_was_printed():
    with Kernel() as kernel:
        code = "print('last words', flush=True)\nimport os, time\ntime.sleep(0.3)\nos._exit(4)"
        process, run = send(kernel, code)
        result = kernel._pump(process, run)
    assert result.status is CellStatus.DIED and result.exit_code == 4
    assert result.output == "last words\n"


# -- step 3: stop and grace ----------------------------------------------------------------


def test_stop_interrupts_once_and_the_pump_returns_the_stopped_cell(kernel):
    assert kernel.run("kept = 5").ok
    process, run = send(kernel, "while True: pass", timeout=0.1)
    time.sleep(0.2)
    assert kernel._stop(process, run, CellStatus.TIMEOUT) is None  # SIGINT sent, grace begins
    assert run.reason is CellStatus.TIMEOUT and run.give_up_at is not None
    assert kernel._stop(process, run, None) is None  # a second request changes nothing
    assert run.reason is CellStatus.TIMEOUT
    result = kernel._pump(process, run)
    assert result.status is CellStatus.TIMEOUT and not result.restarted
    assert result.error.startswith("stopped: the code ran longer than the time limit of 0.1 s")
    assert kernel.run("kept").value_repr == "5"  # the namespace survived


def test_stop_restarts_a_kernel_that_ignores_the_interrupt(kernel):
    generation, pid = kernel.generation, kernel.pid
    code = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('stuck')\nwhile True: pass"
    process, run = send(kernel, code)
    time.sleep(0.3)
    assert kernel._stop(process, run, None) is None and run.reason is CellStatus.INTERRUPTED
    assert process.alive  # still ignoring it, within the grace
    time.sleep(0.6)
    result = kernel._stop(process, run, None)
    assert result is not None and result.status is CellStatus.INTERRUPTED and result.restarted
    assert "did not stop within 0.5 s, so it was restarted" in result.error
    assert not process.alive and kernel.pid != pid and kernel.generation == generation + 1
    assert kernel.run("1 + 1").value_repr == "2"


def test_stop_without_a_signal_to_send_restarts_at_once(kernel):
    process, run = send(kernel, "import time\ntime.sleep(30)")
    process.close(force=True)  # nothing left to signal: interrupt() is impossible
    result = kernel._stop(process, run, CellStatus.TIMEOUT)
    assert result is not None and result.status is CellStatus.TIMEOUT and result.restarted
    assert kernel.run("'fresh'").value_repr == "'fresh'"


def test_the_wake_up_time_follows_the_stop():
    run = CellRun(1, timeout=2.0, deadline=100.0)
    assert run.wake_at() == 100.0  # running: look again when time is up
    run.reason, run.give_up_at = CellStatus.TIMEOUT, 101.0
    assert run.wake_at() == 101.0  # stopping: look again when the grace ends
