"""Greyscale images drawn with half-blocks (two pixels per cell), alone or as a labelled gallery.

A cell shows "▀": its foreground is the upper pixel and its background the lower one, so a
28x28 Fashion-MNIST image takes 28 columns and 14 rows and an 8x8 digit (drawn twice as large)
16 columns and 8 rows. Pixels are floats in [0, 1], 1 the brightest (the datasets' ink).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.color import Color
from rich.style import Style

from d2l_tui.ui.widgets.loss_chart import Row, StripChart

if TYPE_CHECKING:  # NumPy is not imported to draw: the app starts without it
    from typing import TypeAlias

    from numpy.typing import NDArray

    Pixels: TypeAlias = Sequence[Sequence[float]] | NDArray[Any]
    """An image as rows of greys in [0, 1], or a NumPy (h, w) array."""
UPPER_HALF = "▀"
GAP = 2
"""Columns between two images of a gallery."""


def grey(value: float) -> Color:
    """The terminal colour of one pixel; values outside [0, 1] (or NaN) are clamped."""
    level = 0.0 if not math.isfinite(value) else min(1.0, max(0.0, value))
    byte = round(level * 255)
    return Color.from_rgb(byte, byte, byte)


def zoom_for(height: int, width: int) -> int:
    """How many times to enlarge an image: small ones (8x8 digits) twice, 28x28 ones not at all."""
    return 2 if max(height, width) <= 16 else 1


def half_block_rows(pixels: Pixels, zoom: int = 1) -> list[Row]:
    """Rows of half-block cells for an image enlarged `zoom` times (nearest neighbour)."""
    rows = [[float(v) for v in row for _ in range(zoom)] for row in pixels for _ in range(zoom)]
    if len(rows) % 2:
        rows.append([0.0] * (len(rows[0]) if rows else 0))
    styles: dict[tuple[float, float], Style] = {}
    drawn: list[Row] = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        row: Row = []
        for upper, lower in zip(top, bottom, strict=True):
            style = styles.get((upper, lower))
            if style is None:
                style = styles[(upper, lower)] = Style(color=grey(upper), bgcolor=grey(lower))
            row.append((UPPER_HALF, style))
        drawn.append(row)
    return drawn


def image_size(pixels: Pixels, zoom: int) -> tuple[int, int]:
    """(columns, rows) that `half_block_rows(pixels, zoom)` takes."""
    height = len(pixels)
    width = len(pixels[0]) if height else 0
    return width * zoom, math.ceil(height * zoom / 2)


def fit_label(text: str, width: int) -> str:
    """Cut a label to `width` cells (Chinese characters take two), ending in … when cut."""
    if cell_len(text) <= width:
        return text
    kept = ""
    for char in text:
        if cell_len(kept + char + "…") > width:
            break
        kept += char
    return kept.rstrip() + "…"


def pad(text: str, width: int) -> str:
    """Centre a label in `width` cells."""
    left = max(0, width - cell_len(text)) // 2
    return " " * left + text + " " * max(0, width - cell_len(text) - left)


@dataclass(frozen=True)
class Picture:
    """One gallery entry: the image, its label and an optional second label (e.g. the true class)."""

    pixels: Pixels
    label: str
    second: str = ""
    """Shown under `label` in the 'second' style: a misclassified image's true class."""


class GreyImage(StripChart):
    """One greyscale image drawn with half-blocks, as large as `zoom` asks."""

    DEFAULT_CSS = "GreyImage { width: auto; height: auto; }"

    def __init__(self, pixels: Pixels, *, zoom: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pixels = pixels
        self.zoom = zoom or zoom_for(len(pixels), len(pixels[0]) if len(pixels) else 0)

    def get_content_width(self, container: object, viewport: object) -> int:
        return image_size(self.pixels, self.zoom)[0]

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return image_size(self.pixels, self.zoom)[1]

    def build(self, width: int, height: int) -> list[Row]:
        return half_block_rows(self.pixels, self.zoom)


class Gallery(StripChart):
    """A row of images with their labels under them: as many as the width holds, in order.

    The book's `show_fashion_mnist`: labels come in the lesson's language from the caller
    (`d2l_tui.datasets.class_names`). `shown` says how many fit at the last paint.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"gallery--label", "gallery--second", "gallery--empty"}
    DEFAULT_CSS = """
    Gallery { height: auto; }
    Gallery > .gallery--label { color: $foreground; }
    Gallery > .gallery--second { color: $success; }
    Gallery > .gallery--empty { color: $foreground 60%; }
    """

    def __init__(
        self,
        pictures: Sequence[Picture] = (),
        *,
        empty: str = "",
        zoom: int | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.pictures: list[Picture] = list(pictures)
        self.zoom = zoom
        """How many times to enlarge; None picks by the images' size (`zoom_for`)."""
        self.empty = empty
        """What to say when there is nothing to show (in the lesson's language)."""
        self.shown = 0

    def show(self, pictures: Sequence[Picture], empty: str | None = None) -> None:
        """Show new pictures (and say `empty` when there are none); resizes to the new rows."""
        self.pictures = list(pictures)
        if empty is not None:
            self.empty = empty
        self.invalidate()
        self.refresh(layout=True)

    def _zoom(self) -> int:
        if self.zoom:
            return self.zoom
        first = self.pictures[0].pixels if self.pictures else []
        return zoom_for(len(first), len(first[0]) if len(first) else 0)

    def _label_rows(self) -> int:
        return 2 if any(p.second for p in self.pictures) else 1

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if not self.pictures:
            return 1
        return image_size(self.pictures[0].pixels, self._zoom())[1] + self._label_rows()

    def build(self, width: int, height: int) -> list[Row]:
        if not self.pictures:
            self.shown = 0
            return [[(self.empty, self.get_component_rich_style("gallery--empty"))]]
        zoom = self._zoom()
        cell_width = image_size(self.pictures[0].pixels, zoom)[0]
        count = max(1, min(len(self.pictures), (width + GAP) // (cell_width + GAP)))
        self.shown = count
        shown = self.pictures[:count]
        images = [half_block_rows(p.pixels, zoom) for p in shown]
        gap = (" " * GAP, Style())
        rows: list[Row] = []
        for index in range(len(images[0])):
            row: Row = []
            for number, image in enumerate(images):
                row += ([gap] if number else []) + image[index]
            rows.append(row)
        label_styles = [self.get_component_rich_style("gallery--label")]
        texts = [[p.label for p in shown]]
        if self._label_rows() == 2:
            label_styles.append(self.get_component_rich_style("gallery--second"))
            texts.append([p.second for p in shown])
        for words, style in zip(texts, label_styles, strict=True):
            line = (" " * GAP).join(pad(fit_label(text, cell_width), cell_width) for text in words)
            rows.append([(line, style)])
        return rows
