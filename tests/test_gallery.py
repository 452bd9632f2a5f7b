"""The half-block image and the gallery: real digits, their colours, labels in zh and en, widths."""

from __future__ import annotations

import math
from pathlib import Path

from rich.color import Color
from textual.app import App, ComposeResult

from d2l_tui.datasets import class_names, load_digits
from d2l_tui.ui.widgets.image_view import (
    UPPER_HALF,
    Gallery,
    GreyImage,
    Picture,
    fit_label,
    grey,
    half_block_rows,
    image_size,
)


def digits_pictures(count: int, lang: str = "en") -> list[Picture]:
    """The first `count` test digits with their class names."""
    split = load_digits()
    names = class_names("digits", lang)
    return [Picture(split.test_x[i], names[int(split.test_y[i])]) for i in range(count)]


class GalleryApp(App[None]):
    """An app showing one gallery and one image, nothing else."""

    def __init__(self, pictures: list[Picture], empty: str = "") -> None:
        super().__init__()
        self.pictures, self.empty = pictures, empty

    def compose(self) -> ComposeResult:
        yield Gallery(self.pictures, empty=self.empty)
        if self.pictures:
            yield GreyImage(self.pictures[0].pixels)


def test_upper_pixel_is_foreground_lower_is_background() -> None:
    rows = half_block_rows([[0.0, 1.0], [1.0, 0.5]])
    assert len(rows) == 1
    (left_text, left), (right_text, right) = rows[0]
    assert left_text == right_text == UPPER_HALF
    assert left.color == Color.from_rgb(0, 0, 0) and left.bgcolor == Color.from_rgb(255, 255, 255)
    assert right.color == Color.from_rgb(255, 255, 255)
    assert right.bgcolor == Color.from_rgb(128, 128, 128)


def test_odd_heights_and_zoom() -> None:
    assert len(half_block_rows([[0.5]] * 3)) == 2
    rows = half_block_rows([[0.2, 0.9]], zoom=2)
    assert len(rows) == 1 and len(rows[0]) == 4
    assert image_size([[0.0] * 28] * 28, 1) == (28, 14)
    assert image_size([[0.0] * 8] * 8, 2) == (16, 8)


def test_bad_pixels_are_clamped() -> None:
    assert grey(math.nan) == grey(-3.0) == Color.from_rgb(0, 0, 0)
    assert grey(7.0) == Color.from_rgb(255, 255, 255)


def test_labels_are_cut_by_cells_not_characters() -> None:
    assert fit_label("运动鞋", 6) == "运动鞋"
    assert fit_label("运动鞋", 5) == "运动…"
    assert fit_label("ankle boot", 6) == "ankle…"


async def test_gallery_shows_what_fits_with_its_labels() -> None:
    pictures = digits_pictures(10)
    app = GalleryApp(pictures)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        gallery = app.query_one(Gallery)
        # 8x8 digits drawn twice as large: 16 columns each, 2 between, 5 fit in 100.
        assert gallery.shown == 5
        assert gallery.size.height == 8 + 1
        label_line = "".join(s.text for s in gallery.render_line(8))
        assert label_line.split() == [p.label for p in pictures[:5]]
        # The ink of the first digit is bright where its pixel is: cells are real pixels.
        first = gallery.render_line(0)
        cells = [s for s in first if s.text == UPPER_HALF][:16]
        expected = half_block_rows(pictures[0].pixels, 2)[0]
        assert [s.style.color for s in cells] == [style.color for _, style in expected]
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert gallery.shown == 3
        image = app.query_one(GreyImage)
        assert (image.size.width, image.size.height) == (16, 8)


async def test_gallery_second_labels_and_empty_words() -> None:
    pictures = [
        Picture(p.pixels, f"预测 {p.label}", f"实为 {p.label}") for p in digits_pictures(4, "zh")
    ]
    app = GalleryApp(pictures)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        gallery = app.query_one(Gallery)
        assert gallery.size.height == 8 + 2
        assert "实为" in "".join(s.text for s in gallery.render_line(9))
        gallery.show([], empty="还没有分错的图片")
        await pilot.pause()
        assert gallery.size.height == 1
        assert "".join(s.text for s in gallery.render_line(0)).strip() == "还没有分错的图片"


SNAP_APP = Path(__file__)


def test_gallery_snapshot(snap_compare) -> None:
    """You should see five handwritten digits in grey on black, 16 columns by 8 rows each, with
    their class names 6 3 2 4 0 (the test split's first) centred under them, and the first digit
    again alone below."""
    assert snap_compare(GalleryApp(digits_pictures(10)), terminal_size=(100, 30))
