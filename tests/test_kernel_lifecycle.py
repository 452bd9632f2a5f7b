"""Kernels that die, hang, restart, run lesson setup code, or have no MXNet."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from d2l_tui.kernel import CellStatus, Kernel


@pytest.fixture(scope="module")
def scratch():
    """A kernel these tests may kill; small output limits and a short interrupt grace."""
    with Kernel("lesson_value = 7", max_output_lines=50, interrupt_grace_s=0.5) as k:
        yield k


def test_setup_runs_before_the_first_cell(scratch):
    assert scratch.run("lesson_value").value_repr == "7"
    assert scratch.setup_result is not None and scratch.setup_result.ok


def test_output_limit_is_configurable(scratch):
    result = scratch.run("for i in range(100):\n    print(i)")
    assert result.output.splitlines()[49] == "49" and result.dropped_lines == 50
    assert result.output.splitlines()[-1].startswith("[output truncated: 50 more lines")


@pytest.mark.skipif(sys.platform == "win32", reason="os._exit behaves the same; kept simple")
def test_exit_is_reported_as_died_then_restart_works(scratch):
    assert scratch.run("doomed = 1").ok
    result = scratch.run("print('bye', flush=True)\nimport os, time\ntime.sleep(0.3)\nos._exit(1)")
    assert result.status is CellStatus.DIED and result.exit_code == 1
    assert result.error == "the kernel died (exit code 1)"
    assert result.output == "bye\n"  # what was streamed before the death is kept
    again = scratch.run("1")
    assert again.status is CellStatus.DIED and "died earlier" in again.error
    scratch.restart()
    assert scratch.run("lesson_value").value_repr == "7"  # setup ran again
    assert scratch.run("doomed").status is CellStatus.ERROR  # the namespace is fresh


def test_crash_in_c_code_is_reported_with_the_kernel_log(scratch):
    result = scratch.run("import ctypes\nctypes.string_at(0)")
    assert result.status is CellStatus.DIED and result.exit_code != 0
    assert "Segmentation fault" in result.kernel_log or result.exit_code == -11
    scratch.restart()
    assert scratch.run("2 * 21").value_repr == "42"


def test_cell_ignoring_interrupts_gets_a_fresh_kernel(scratch):
    pid = scratch.pid
    threading.Timer(0.3, scratch.interrupt).start()
    started = time.monotonic()
    code = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass"
    result = scratch.run(code)
    assert result.status is CellStatus.INTERRUPTED and result.restarted
    assert "restarted" in result.error and time.monotonic() - started < 3
    assert scratch.pid != pid and scratch.run("lesson_value").value_repr == "7"


def test_new_setup_and_failing_setup_are_reported(scratch):
    scratch.restart(setup="lesson_value = 1 / 0")
    result = scratch.run("'cell runs anyway'")
    assert result.ok and result.value_repr == "'cell runs anyway'"
    assert len(result.notices) == 1 and "ZeroDivisionError" in result.notices[0]
    assert scratch.run("1").notices == ()  # reported once


def test_without_mxnet_plain_python_still_runs(tmp_path, monkeypatch):
    fake = tmp_path / "mxnet"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('simulated: libmxnet.so missing')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with Kernel() as kernel:
        first = kernel.run("print(np.arange(3).sum())")
        assert first.ok and first.output == "3\n"
        assert len(first.notices) == 1 and "simulated: libmxnet.so missing" in first.notices[0]
        assert "pip install mxnet==1.9.1" in first.notices[0]
        assert kernel.run("nd").status is CellStatus.ERROR
        assert kernel.run("1").notices == ()
        assert kernel.mxnet_problem and kernel.mxnet_version is None
