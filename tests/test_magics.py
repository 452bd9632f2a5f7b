"""IPython magics in cells, in a real kernel: the book's `%matplotlib inline`, `%time`, `%timeit`."""

from __future__ import annotations

import re

import pytest

from d2l_tui.kernel import Kernel
from d2l_tui.kernel.magics import MagicRefused, rewrite

TIME_LINES = re.compile(r"CPU times: user .+, sys: .+, total: .+\nWall time: [\d.]+ (s|ms|µs|ns)\n")
TIMEIT_LINE = re.compile(
    r"[\d.]+ (s|ms|µs|ns) ± [\d.]+ (s|ms|µs|ns) per loop \(mean ± std\. dev\. of (\d+) runs?, "
    r"([\d,]+) loops? each\)\n"
)


@pytest.fixture(scope="module")
def kernel():
    with Kernel() as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


def test_the_book_s_first_lines_run_with_matplotlib_a_noted_no_op(kernel: Kernel) -> None:
    result = kernel.run("%matplotlib inline\nfrom mxnet import nd\nx = nd.arange(4)\nx.sum().asscalar()")
    assert result.ok, result.error
    assert result.output == "%matplotlib inline ✔\n" and result.value_repr == "6.0"


def test_line_time_keeps_the_value_and_the_assignment(kernel: Kernel) -> None:
    result = kernel.run("%time total = sum(range(1000))\n%time total * 2")
    assert result.ok, result.error
    assert len(TIME_LINES.findall(result.output)) == 2, result.output
    assert result.value_repr == "999000"
    assert kernel.run("total").value_repr == "499500"


def test_cell_time_times_the_whole_cell_and_shows_its_value(kernel: Kernel) -> None:
    result = kernel.run("%%time\nimport time\ntime.sleep(0.05)\nprint('slept')\n6 * 7")
    assert result.ok, result.error
    assert result.output.startswith("slept\nCPU times:") and result.value_repr == "42"
    wall = re.search(r"Wall time: ([\d.]+) ms", result.output)
    assert wall and 50 <= float(wall.group(1)) < 1000, result.output


def test_timeit_line_and_cell_forms_loop_the_code(kernel: Kernel) -> None:
    kernel.run("calls = []")
    result = kernel.run("%timeit -n 3 -r 2 calls.append(1)")
    assert result.ok, result.error
    match = TIMEIT_LINE.fullmatch(result.output)
    assert match and match.group(3) == "2" and match.group(4) == "3", result.output
    assert kernel.run("len(calls)").value_repr == "6"
    result = kernel.run("%%timeit -n 5 -r 1 acc = []\nacc.append(nd.ones(2).sum())")
    assert result.ok, result.error
    assert result.value_repr is None
    assert TIMEIT_LINE.fullmatch(result.output), result.output
    assert kernel.run("len(acc)").value_repr == "5"  # the setup ran once, the body 5 times
    auto = kernel.run("%timeit nd.ones(3)")
    assert auto.ok and TIMEIT_LINE.fullmatch(auto.output), auto.output


def test_shell_lines_and_other_magics_are_refused_and_nothing_runs(kernel: Kernel) -> None:
    result = kernel.run("before = 1\n!pip install d2l\nafter = 2")
    assert not result.ok and "Shell commands" in (result.error or "") and "!pip install d2l" in (result.error or "")
    assert kernel.run("'after' in dir() or 'before' in dir()").value_repr == "False"
    result = kernel.run("%cd /tmp")
    assert not result.ok and "%cd is an IPython magic" in (result.error or "")
    result = kernel.run("x = 1\n%%timeit\nx")
    assert not result.ok and "first line" in (result.error or "")


def test_an_error_inside_timed_code_is_the_learner_s_traceback(kernel: Kernel) -> None:
    result = kernel.run("%%time\nx = 1\n1 / 0")
    assert not result.ok and "ZeroDivisionError" in (result.error or "")
    assert '<cell' in (result.error or "") and "line 3" in (result.error or "")
    assert "Wall time" in result.output


def test_valid_python_is_never_rewritten() -> None:
    source = "a = (10\n% 3)\nb = 'x'\n"
    assert rewrite(source).source == source
    assert rewrite("%time x = 1\ny = 2").source.count("\n") == 1  # line numbers stay
    with pytest.raises(MagicRefused):
        rewrite("  !ls")
