"""The pure core never imports Textual, and nothing imports MXNet just to start."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "d2l_tui.course.catalog",
    "d2l_tui.course.check",
    "d2l_tui.progress",
    "d2l_tui.summary",
    "d2l_tui.doctor",
    "d2l_tui.mxnet_env",
]


def imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    return set(out.split())


def test_core_does_not_import_textual() -> None:
    modules = imported_after("; ".join(f"import {m}" for m in CORE_MODULES))
    assert not {m for m in modules if m.split(".")[0] == "textual"}


def test_building_the_app_does_not_import_mxnet() -> None:
    modules = imported_after("from d2l_tui.ui.app import make_app; make_app()")
    assert "mxnet" not in modules
    assert "textual" in modules
