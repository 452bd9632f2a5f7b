"""Real pixels where the terminal has a graphics protocol (textual-image), half-blocks elsewhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_app import settle
from test_training_panel import until

from d2l_tui.datasets import load_digits
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.classify_gallery import GalleryBlock
from d2l_tui.ui.widgets.image_pixels import (
    HALF_BLOCKS,
    SIXEL,
    TGP,
    PixelGallery,
    detect_graphics,
    pil_image,
    wants_pixels,
)
from d2l_tui.ui.widgets.image_view import Gallery

TTY = {"TERM": "xterm-kitty"}

LESSON = "image-classification-data"
"""Its first gallery, `softmax-preview-gallery`, shows the first ten training digits."""


def first_gallery(app) -> GalleryBlock:
    """The lesson's first gallery (the training digits; a second one shows test digits)."""
    return next(b for b in app.screen.query(GalleryBlock) if b.block.data.get("id") == "softmax-preview-gallery")


def test_only_a_real_terminal_outside_tmux_and_the_browser_is_asked() -> None:
    assert wants_pixels(TTY, is_tty=True)
    assert not wants_pixels(TTY, is_tty=False)  # tests, pipes
    assert not wants_pixels({**TTY, "TMUX": "/tmp/tmux-0/default,1,0"}, is_tty=True)
    assert not wants_pixels({**TTY, "TEXTUAL_DRIVER": "textual_serve.web_driver"}, is_tty=True)
    assert not wants_pixels({**TTY, "D2L_TUI_IMAGES": "half-blocks"}, is_tty=True)
    # Terminals not known to draw pictures are not asked (start-up would pay for it) unless told.
    assert not wants_pixels({"TERM": "xterm-256color"}, is_tty=True)
    assert wants_pixels({"TERM": "xterm-256color", "D2L_TUI_IMAGES": "pixels"}, is_tty=True)
    assert wants_pixels({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, is_tty=True)
    assert detect_graphics({**TTY, "TMUX": "x"}) == HALF_BLOCKS
    assert detect_graphics(TTY) == HALF_BLOCKS  # pytest's stdout is not a terminal


async def test_the_app_draws_half_blocks_unless_told(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson=LESSON)
    assert app.graphics == HALF_BLOCKS
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        block = first_gallery(app)
        assert isinstance(block.pictures, Gallery) and not block.query(PixelGallery)


def test_pixels_become_a_greyscale_picture() -> None:
    pytest.importorskip("PIL")
    picture = pil_image(np.array([[0.0, 1.0], [0.5, float("nan")], [2.0, -1.0]]))
    assert picture.mode == "L" and picture.size == (2, 3)
    assert np.asarray(picture).ravel().tolist() == [0, 255, 128, 0, 255, 0]


@pytest.mark.parametrize("graphics", [SIXEL, TGP])
async def test_digits_in_real_pixels_take_the_half_blocks_room(
    isolated_data_dir: Path, graphics: str
) -> None:
    widgets = pytest.importorskip("textual_image.widget")
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson=LESSON)
    app.graphics = graphics  # as d2l-tui sets it after asking a Kitty or Sixel terminal
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        block = first_gallery(app)
        row = block.pictures
        assert isinstance(row, PixelGallery)
        await until(pilot, lambda: row.shown == 10, what="the digits")
        kind = widgets.SixelImage if graphics == SIXEL else widgets.TGPImage
        images = list(row.query(kind))
        assert len(images) == 10
        assert {(i.styles.width.value, i.styles.height.value) for i in images} == {(16, 8)}
        first = load_digits().train_x[0]
        assert np.array_equal(
            np.asarray(images[0].image), (np.clip(first, 0, 1) * 255).round().astype(np.uint8)
        )
        labels = [str(s.render()) for s in row.query(".pixel-label")]
        assert labels == [str(int(y)) for y in load_digits().train_y[:10]]
