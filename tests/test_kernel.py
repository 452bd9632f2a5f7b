"""The kernel runs cells in its own warm process: output, values, errors, interrupts, timeouts."""

from __future__ import annotations

import os
import statistics
import threading
import time

import numpy as np
import pytest

from d2l_tui.kernel import CellStatus, Kernel, KernelBusy, compare_values


@pytest.fixture(scope="module")
def kernel():
    """One warm kernel shared by the tests that leave it alive."""
    with Kernel() as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


def interrupt_after(kernel: Kernel, delay: float) -> dict[str, float]:
    """Interrupt `kernel` from another thread after `delay` s; record when."""
    sent: dict[str, float] = {}

    def fire() -> None:
        sent["at"] = time.monotonic()
        kernel.interrupt()

    threading.Timer(delay, fire).start()
    return sent


def test_warm_cell_answers_in_well_under_100_ms(kernel):
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        result = kernel.run("nd.ones((3, 4)) * 2")
        timings.append(time.perf_counter() - started)
    assert result.value_repr == (
        "\n[[2. 2. 2. 2.]\n [2. 2. 2. 2.]\n [2. 2. 2. 2.]]\n<NDArray 3x4 @cpu(0)>"
    )
    assert statistics.median(timings) < 0.05, timings
    assert kernel.mxnet_version and kernel.mxnet_problem is None


def test_output_comes_first_then_the_value(kernel):
    result = kernel.run("print('你好')\nprint('x', 1)\n40 + 2")
    assert result.ok and result.output == "你好\nx 1\n" and result.value_repr == "42"
    assert result.text == "你好\nx 1\n42\n"
    assert kernel.run("print('no value')").value_repr is None
    assert kernel.run("40 + 2;  # a semicolon hides the value").value_repr is None


def test_state_is_shared_across_cells(kernel):
    assert kernel.run("shared = nd.arange(3)\ndef twice(v):\n    return v * 2").ok
    assert kernel.run("twice(shared).asnumpy().tolist()").value_repr == "[0.0, 2.0, 4.0]"
    assert kernel.run("_").value_repr == "[0.0, 2.0, 4.0]"  # `_` is the last value, as in Jupyter


def test_syntax_error_is_short_and_points_at_the_line(kernel):
    result = kernel.run("a = 1\nb = (a +\n")
    assert result.status is CellStatus.ERROR
    assert "SyntaxError" in result.error and '"<cell ' in result.error
    assert "d2l_tui" not in result.error and len(result.error.splitlines()) <= 5, result.error


def test_runtime_error_shows_only_the_learners_lines(kernel):
    kernel.run("def divide(a):\n    return a / 0")
    result = kernel.run("value = 1\ndivide(value)")
    assert result.status is CellStatus.ERROR
    lines = result.error.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert "divide(value)" in result.error and "return a / 0" in result.error
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert "d2l_tui" not in result.error and 'File "/' not in result.error, result.error


def test_mxnet_error_drops_the_cpp_location(kernel):
    result = kernel.run("nd.dot(nd.ones((2, 3)), nd.ones((2, 3)))")
    assert result.status is CellStatus.ERROR
    assert result.error.splitlines()[-1].startswith("MXNetError: Check failed")
    assert "../src" not in result.error and "dot shape error" in result.error


def test_busy_loop_is_interrupted_within_a_second_and_state_survives(kernel):
    assert kernel.run("survivor = 123").ok
    pid = kernel.pid
    sent = interrupt_after(kernel, 0.3)
    result = kernel.run("while True: pass")
    latency = time.monotonic() - sent["at"]
    assert result.status is CellStatus.INTERRUPTED and not result.restarted
    assert result.error.splitlines()[-1] == "KeyboardInterrupt"
    assert latency < 1.0, latency
    assert kernel.pid == pid and kernel.run("survivor").value_repr == "123"


def test_interrupt_while_idle_does_nothing(kernel):
    kernel.interrupt()
    assert kernel.run("'still fine'").value_repr == "'still fine'"


def test_timeout_stops_an_endless_answer(kernel):
    started = time.monotonic()
    result = kernel.run("while True: pass", timeout=0.5)
    assert result.status is CellStatus.TIMEOUT and "time limit of 0.5 s" in result.error
    assert time.monotonic() - started < 1.5
    assert kernel.run("1 + 1", timeout=5).value_repr == "2"  # a quick cell is unaffected


def test_million_line_print_is_cut_with_a_note(kernel):
    started = time.monotonic()
    result = kernel.run("for i in range(1_000_000):\n    print(i)")
    assert time.monotonic() - started < 15
    assert result.ok and result.dropped_lines == 990_000
    kept = result.output.splitlines()
    assert kept[:2] == ["0", "1"] and kept[9_999] == "9999" and len(kept) == 10_001
    assert kept[-1].startswith("[output truncated: 990,000 more lines")


def test_output_is_streamed_while_the_cell_runs(kernel):
    chunks: list[str] = []
    code = "import time\nfor i in range(3):\n    print(i)\n    time.sleep(0.3)"
    result = kernel.run(code, on_output=chunks.append)
    assert "".join(chunks) == result.output == "0\n1\n2\n"
    assert len(chunks) >= 2, chunks


def test_second_run_while_busy_is_refused(kernel):
    worker = threading.Thread(target=kernel.run, args=("import time; time.sleep(0.5)",))
    worker.start()
    time.sleep(0.2)
    with pytest.raises(KernelBusy):
        kernel.run("1")
    worker.join()


def test_value_extraction_for_grading(kernel):
    array = kernel.run("nd.arange(12).reshape((3, 4))", want_value=True).value
    assert array.type_name == "NDArray" and array.shape == (3, 4) and array.dtype == "float32"
    assert np.array_equal(array.value, np.arange(12, dtype=np.float32).reshape(3, 4))
    scalar = kernel.run("nd.arange(4).norm().asscalar()", want_value=True).value
    assert scalar.shape == () and scalar.dtype == "float32"
    assert compare_values(scalar, np.float32(np.sqrt(14)))[0]
    number = kernel.run("3 * 0.5", want_value=True).value
    assert number.value == 1.5 and isinstance(number.value, float) and number.dtype is None
    assert kernel.run("x_unused = 1", want_value=True).value is None
    ok, message = compare_values(array, np.zeros((4, 3), dtype=np.float32))
    assert not ok and "(3, 4)" in message and "(4, 3)" in message


def test_close_reaps_the_process():
    kernel = Kernel().start()
    pid = kernel.pid
    kernel.close()
    assert not kernel.alive
    with pytest.raises(ProcessLookupError):  # a zombie would still accept signal 0
        os.kill(pid, 0)
