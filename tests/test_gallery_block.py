"""The `gallery` block in a real lesson: the shipped digits, and Fashion-MNIST falling back to them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from test_app import settle
from test_training_panel import until

from d2l_tui.course.directives import validate_directive
from d2l_tui.datasets import class_names, load_digits
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.classify_gallery import GalleryBlock
from d2l_tui.ui.widgets.image_view import Gallery

COURSE = Path(os.path.relpath(Path(__file__).parent / "fixtures" / "classify_course"))


def loaded(app) -> bool:
    blocks = list(app.screen.query(GalleryBlock))
    return len(blocks) == 2 and all(b.query_one(Gallery).pictures for b in blocks)


async def test_digits_and_a_fallback_for_missing_fashion_mnist(isolated_data_dir: Path) -> None:
    app = make_app(
        lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="pictures"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: loaded(app), what="the galleries")
        first, fashion = app.screen.query(GalleryBlock)
        split = load_digits()
        pictures = first.query_one(Gallery).pictures
        assert [p.label for p in pictures] == [str(int(y)) for y in split.train_y[:10]]
        assert (pictures[3].pixels == split.train_x[3]).all()
        assert (
            str(first.query_one(".gallery-title").render())
            == "手写数字（UCI，8×8）：训练集第 1 到 10 张图片"
        )
        # Fashion-MNIST was never downloaded: digits instead, and one line in Chinese saying why.
        note = str(fashion.query_one(".gallery-note").render())
        assert fashion.query_one(".gallery-note").has_class("-shown")
        # The only Latin letters are the dataset's name and the command that fetches it.
        said = note.replace("d2l-tui data fetch", "").replace("fashion-mnist", "")
        assert "手写数字" in note and not re.search(r"[A-Za-z]", said)
        labels = [p.label for p in fashion.query_one(Gallery).pictures]
        assert labels == [str(int(y)) for y in split.test_y[5:9]]


def test_check_refuses_bad_gallery_settings() -> None:
    assert validate_directive("gallery", {"dataset": "digits", "count": 10}) == []
    problems = validate_directive(
        "gallery", {"dataset": "mnist", "split": "dev", "start": -1, "count": 50}
    )
    assert [key for key, _ in problems] == [("dataset",), ("split",), ("start",), ("count",)]
    assert "fashion-mnist" in problems[0][1]
    assert class_names("fashion-mnist", "zh")[9] == "短靴"


def test_gallery_lesson_snapshot_in_chinese(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the Chinese lesson '先看看数据': the title '手写数字（UCI，8×8）：训练集第 1 到 10
    张图片' over four digits (5 at 100 columns is too wide for 80) with their classes under them,
    then the note that Fashion-MNIST is missing and the digits used instead."""
    app = make_app(
        lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="pictures"
    )

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        await until(pilot, lambda: loaded(pilot.app), what="the galleries")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
