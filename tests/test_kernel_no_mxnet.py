"""A kernel in a Python that lacks MXNet (or NumPy too) runs plain Python, and a cell that
imports what is missing is told why and how to fix it, in the words `d2l-tui doctor` uses."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import numpy
import pytest

from d2l_tui.kernel import CellStatus, Kernel
from d2l_tui.mxnet_env import fix_command

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the interpreter wrapper is a shell script")


@pytest.fixture(scope="module")
def python_without_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    """This Python started with -S: no site-packages on sys.path, so neither MXNet nor NumPy."""
    path = tmp_path_factory.mktemp("bare") / "python"
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def numpy_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put this NumPy (and only NumPy, not MXNet) on the kernel's path."""
    site = Path(numpy.__file__).parent.parent
    for name in ("numpy", "numpy.libs"):
        if (site / name).exists():
            (tmp_path / name).symlink_to(site / name)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))


def test_importing_mxnet_says_it_is_not_installed_and_the_fix(python_without_site, numpy_only):
    with Kernel(python=python_without_site) as kernel:
        assert kernel.run("np.arange(4).sum()").value_repr == "6"  # NumPy works, as before
        assert kernel.mxnet_problem is not None
        reason, fix = kernel.mxnet_problem["reason"], kernel.mxnet_problem["fix"]
        assert reason.startswith("MXNet is not installed") and fix == fix_command()
        for code in ("import mxnet as mx", "from mxnet import nd, autograd"):
            result = kernel.run(code)
            assert result.status is CellStatus.ERROR and result.missing_module == "mxnet"
            lines = (result.error or "").splitlines()
            assert lines[-3] == "ModuleNotFoundError: No module named 'mxnet'"
            assert lines[-2] == f"MXNet is not available here: {reason}"
            assert lines[-1] == f"To fix it: {fix}"
        other = kernel.run("import no_such_module_d2l")
        assert "To fix it" not in (other.error or "")  # only MXNet's own imports get MXNet's fix


def test_without_numpy_the_kernel_still_starts_and_says_why(python_without_site, monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    with Kernel(python=python_without_site) as kernel:
        first = kernel.run("sum(range(4))")
        assert first.ok and first.value_repr == "6"
        assert "No module named 'numpy'" in first.notices[0]
        result = kernel.run("import numpy as np")
        assert result.status is CellStatus.ERROR and result.missing_module == "numpy"
        lines = (result.error or "").splitlines()
        assert lines[-1] == f"To fix it: {fix_command()}" and "No module named 'numpy'" in lines[-2]
