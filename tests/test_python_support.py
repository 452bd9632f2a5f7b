"""On a Python the course does not support, `doctor` still starts and names the one-line fix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import d2l_tui
from d2l_tui.mxnet_env import UV_FIX, Platform, fix_command


def test_fix_commands_quote_each_requirement_on_its_own():
    assert fix_command(Platform("linux", "x86_64", (3, 11))).endswith("mxnet==1.9.1 'numpy==1.23.5'")
    assert fix_command(Platform("linux", "x86_64", (3, 12))).endswith("mxnet==1.9.1 'numpy>=1.26,<2' setuptools")


def test_on_a_newer_python_the_fix_is_uv_not_pip():
    assert fix_command(Platform("linux", "x86_64", (3, 13))) == UV_FIX


def python_3_13() -> str | None:
    """A Python 3.13 interpreter that runs here: on PATH, or one of pyenv's versions."""
    candidates = [shutil.which("python3.13"), *map(str, Path.home().glob(".pyenv/versions/3.13*/bin/python3.13"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.executable)"],
                               capture_output=True, text=True, timeout=60)
        if probe.returncode == 0 and probe.stdout.strip():
            return probe.stdout.strip()
    return None


PYTHON_3_13 = python_3_13()


@pytest.mark.skipif(PYTHON_3_13 is None, reason="no Python 3.13 on this machine")
def test_doctor_on_python_3_13_names_the_supported_versions_and_the_fix(tmp_path: Path):
    # A bare Python 3.13 with only the package's source on its path (nothing installed for it),
    # as a learner who runs `python3.13 -m d2l_tui doctor` from a checkout would have.
    shutil.copytree(Path(d2l_tui.__file__).parent, tmp_path / "d2l_tui",
                    ignore=shutil.ignore_patterns("__pycache__", "lessons"))
    done = subprocess.run(
        [str(PYTHON_3_13), "-m", "d2l_tui", "doctor"], cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)}, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    python_line = next(line for line in done.stdout.splitlines() if "Python" in line)
    assert python_line.startswith("!!") and "3.13" in python_line
    assert "3.10, 3.11 or 3.12" in done.stdout and "uv run d2l-tui" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
