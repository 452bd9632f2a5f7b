"""Snapshots of the key screens at 100x30 (pytest-textual-snapshot; `--snapshot-update` to accept)."""

from __future__ import annotations

import os
from pathlib import Path

from d2l_tui.ui.app import make_app

FIXTURES = Path(__file__).parent / "fixtures"

SIZE = (100, 30)


async def settle(pilot) -> None:
    """Wait for background loading (lesson bodies, MXNet) so the picture is stable."""
    # The first screen is pushed from the message loop and the loaders start after its first
    # paint: wait for MXNet's verdict, then for every worker (the lesson's mounting included).
    while pilot.app.mxnet_status.startswith("MXNet: loading"):
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_course_map(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the course map in Chinese: the lessons in order with their marks,
    minutes and quiz scores, the summary of the highlighted lesson, 0% and 'MXNet ... ready'."""
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_chinese_lesson(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the preface in Chinese: the outline of sections on the left, the title,
    the first paragraphs and the objectives list on the right, Chinese text wrapped evenly."""
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_broken_lesson(snap_compare, isolated_data_dir: Path) -> None:
    """You should see a lesson with a red box listing its problems as file:line: message,
    then the paragraphs that still work and cards marking the broken and unknown blocks."""
    # A relative path, so the picture does not depend on where the repository is checked out.
    course = Path(os.path.relpath(FIXTURES / "broken_course"))
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="zh", open_lesson="bad-blocks")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
