"""What the kernel tells the UI as data: the missing name, its own package, its generation."""

from __future__ import annotations

import os

import pytest

import d2l_tui
from d2l_tui.kernel import CellStatus, Kernel


@pytest.fixture(scope="module")
def kernel():
    """One warm kernel; the generation test makes its own."""
    with Kernel() as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


def test_name_error_carries_the_missing_name(kernel):
    result = kernel.run("weights = nd.ones(3)\nbias * weights")
    assert result.status is CellStatus.ERROR and result.missing_name == "bias"
    assert result.error.splitlines()[-1] == "NameError: name 'bias' is not defined"


def test_missing_name_inside_a_function_from_an_earlier_cell(kernel):
    assert kernel.run("def forward(x):\n    return net_scale * x").ok
    assert kernel.run("forward(2)").missing_name == "net_scale"
    assert kernel.run("net_scale = 3\nforward(2)").value_repr == "6"


def test_only_name_errors_carry_a_name(kernel):
    assert kernel.run("1 / 0").missing_name is None
    assert kernel.run("'fine'").missing_name is None
    local = kernel.run("def count():\n    total += 1\ncount()")
    assert local.status is CellStatus.ERROR and "UnboundLocalError" in local.error
    assert local.missing_name is None  # the function's own variable: no earlier cell defines it


def test_a_missing_module_is_named(kernel):
    result = kernel.run("import no_such_module_d2l.sub")
    assert result.status is CellStatus.ERROR and result.missing_module == "no_such_module_d2l"
    assert kernel.run("import math").missing_module is None


def test_the_kernel_imports_the_package_the_app_runs_from(kernel):
    result = kernel.run("import d2l_tui\nd2l_tui.__file__", want_value=True)
    assert result.value is not None
    assert os.path.samefile(result.value.value, d2l_tui.__file__)


def test_generation_grows_with_every_fresh_process():
    kernel = Kernel(interrupt_grace_s=0.3)
    assert kernel.generation == 0  # nothing started yet
    assert kernel.run("a = 1").ok and kernel.generation == 1
    kernel.start()  # already running: same process, same variables
    assert kernel.generation == 1
    kernel.restart()
    assert kernel.generation == 2 and kernel.run("a").missing_name == "a"
    kernel.close()
    assert kernel.generation == 2  # closed: nothing new started yet
    assert kernel.run("b = 1").ok and kernel.generation == 3  # re-warmed on use
    assert kernel.run("import os\nos._exit(1)").status is CellStatus.DIED
    assert kernel.run("1").status is CellStatus.DIED and kernel.generation == 3  # stays dead
    kernel.restart()
    assert kernel.generation == 4
    kernel.close()
