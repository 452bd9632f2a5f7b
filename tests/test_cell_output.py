"""How a cell's result reads: a kernel without MXNet says what is missing and the fix, in zh and en."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import numpy
import pytest

from d2l_tui.kernel import Kernel
from d2l_tui.mxnet_env import fix_command
from d2l_tui.ui.widgets.cell_output import result_text

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the interpreter wrapper is a shell script")


@pytest.fixture
def python_with_numpy_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """This Python without site-packages (so no MXNet), with this NumPy on its path."""
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    site = Path(numpy.__file__).parent.parent
    path = tmp_path / "path"
    path.mkdir()
    for name in ("numpy", "numpy.libs"):
        if (site / name).exists():
            (path / name).symlink_to(site / name)
    monkeypatch.setenv("PYTHONPATH", str(path))
    return str(python)


def test_a_cell_without_mxnet_says_what_is_missing_and_the_fix(python_with_numpy_only: str) -> None:
    with Kernel(python=python_with_numpy_only) as kernel:
        first = kernel.run("np.arange(4).sum()")
        zh = result_text(first, "F8", "zh").plain
        assert zh.startswith("这里加载不了 MXNet，只能运行普通的 Python 代码。\n解决办法：在终端里运行 " + fix_command())
        assert zh.endswith("6") and "MXNet is not available" not in zh
        en = result_text(first, "F8", "en").plain
        assert en.startswith("MXNet cannot be loaded here, so only plain Python runs: MXNet is not installed")
        assert f"To fix it, run in a terminal: {fix_command()}" in en

        imported = kernel.run("import mxnet as mx")
        zh = result_text(imported, "F8", "zh").plain
        assert zh.endswith("这个 Python 里没有安装模块“mxnet”。\n解决办法：在终端里运行 " + fix_command())
        en = result_text(imported, "F8", "en").plain
        assert en.endswith(f"To fix it: {fix_command()}") and en.count(fix_command()) == 1
