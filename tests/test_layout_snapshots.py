"""Snapshots of the key screens at 60x20, where layout gives way first (`--snapshot-update` to accept)."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.ui.app import make_app
from test_snapshots import settle

SMALL = (60, 20)


def test_narrow_course_map(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the Chinese course map at 60 columns: every column whole (quiz scores too),
    long titles ending in "…", and a Footer of whole keys without the palette key."""
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_narrow_chinese_lesson(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the preface in Chinese at 60 columns: no outline (o shows it), the text
    over the whole width, and a Footer of whole keys in Chinese."""
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)
