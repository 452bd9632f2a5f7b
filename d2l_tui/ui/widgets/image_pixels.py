"""Images with real pixels where the terminal has a graphics protocol (Kitty's or Sixel, drawn by
textual-image), chosen once at start-up; half-blocks (`image_view`) everywhere else.

textual-image asks the terminal what it can draw when `textual_image.widget` is first imported, and
that only works before Textual starts reading the terminal: so `detect_graphics` runs in `d2l-tui`'s
start-up (cli.py) and sets `TutorApp.graphics`. Tests, tmux, `d2l-tui serve` and a terminal
without a protocol keep `HALF_BLOCKS`, so pictures stay deterministic there;
`D2L_TUI_IMAGES=half-blocks` asks for half-blocks anywhere. Only terminals known to draw pictures
(kitty, WezTerm, iTerm2, ...) or `D2L_TUI_IMAGES=pixels` are asked, so other terminals' start-up
pays nothing for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from d2l_tui.ui.widgets.image_view import GAP, Gallery, Picture, fit_label, image_size, zoom_for

if TYPE_CHECKING:
    from d2l_tui.ui.widgets.image_view import Pixels

HALF_BLOCKS, SIXEL, TGP = "half-blocks", "sixel", "tgp"
ENV = "D2L_TUI_IMAGES"
"""`half-blocks` draws half-blocks even where the terminal could show pixels."""


PIXEL_TERMINALS = {"WezTerm", "iTerm.app", "ghostty", "mlterm", "contour", "konsole"}
"""TERM_PROGRAM values of terminals that draw Kitty's or Sixel pictures."""


def known_pixel_terminal(env: Mapping[str, str]) -> bool:
    """True where the environment names a terminal that draws pictures (or the learner asks).

    Asking any other terminal costs every start-up: importing Pillow and textual-image (~50 ms)
    and, where the terminal never answers, a 0.35 s wait for the reply.
    """
    return (
        env.get(ENV) == "pixels"
        or env.get("TERM") in ("xterm-kitty", "foot", "foot-extra")
        or "KITTY_WINDOW_ID" in env
        or env.get("TERM_PROGRAM") in PIXEL_TERMINALS
    )


def wants_pixels(env: Mapping[str, str], is_tty: bool) -> bool:
    """Whether to ask the terminal at all: a real one known to draw pictures, not tmux, not the
    browser, not opted out."""
    driver = env.get("TEXTUAL_DRIVER", "")
    asked_not_to = env.get(ENV, "auto") == HALF_BLOCKS
    plain = not is_tty or bool(env.get("TMUX")) or bool(driver) or asked_not_to
    return not plain and known_pixel_terminal(env)


def detect_graphics(env: Mapping[str, str] | None = None) -> str:
    """SIXEL or TGP when textual-image finds the terminal draws them, else HALF_BLOCKS.

    Call before the app runs. Without textual-image (or Pillow) installed, half-blocks.
    """
    env = os.environ if env is None else env
    stdout = sys.__stdout__
    if not wants_pixels(env, bool(stdout and stdout.isatty())):
        return HALF_BLOCKS
    try:  # by name: the venv a type checker runs in may lack it (it is an optional nicety)
        import_module("textual_image.widget")  # asks the terminal, and fills its cell-size cache
        found = import_module("textual_image.renderable")
    except Exception:  # noqa: BLE001  # not installed, no Pillow, or a terminal that answered nonsense
        return HALF_BLOCKS
    kinds = {found.SixelImage: SIXEL, found.TGPImage: TGP}
    return kinds.get(found.Image, HALF_BLOCKS)


def pil_image(pixels: Pixels) -> Any:
    """A greyscale Pillow image of pixels in [0, 1] (1 white, the datasets' ink)."""
    import numpy as np

    Image = import_module("PIL.Image")

    array = np.nan_to_num(np.asarray(pixels, dtype=np.float32), nan=0.0)
    return Image.fromarray((np.clip(array, 0.0, 1.0) * 255).round().astype(np.uint8), "L")


def image_widget(graphics: str, pixels: Pixels) -> Widget:
    """textual-image's widget for the protocol `detect_graphics` found."""
    widgets = import_module("textual_image.widget")
    kind: Any = widgets.SixelImage if graphics == SIXEL else widgets.TGPImage
    widget: Widget = kind(pil_image(pixels))
    return widget


class PixelGallery(Horizontal):
    """A `Gallery` drawn with real pixels: each image in as many cells as its half-blocks would take,
    its labels under it (same `show`, `pictures` and `shown`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set()
    DEFAULT_CSS = f"""
    PixelGallery {{ height: auto; overflow: hidden hidden; }}
    PixelGallery > .pixel-cell {{ width: auto; height: auto; margin: 0 {GAP} 0 0; }}
    PixelGallery .pixel-label {{ width: 100%; text-align: center; }}
    PixelGallery .pixel-second {{ width: 100%; text-align: center; color: $success; }}
    PixelGallery > .pixel-empty {{ color: $foreground 60%; width: auto; }}
    """

    def __init__(
        self, graphics: str, pictures: Sequence[Picture] = (), *, empty: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.graphics = graphics
        self.pictures: list[Picture] = list(pictures)
        self.empty = empty
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield from self._cells()

    def show(self, pictures: Sequence[Picture], empty: str | None = None) -> None:
        """Show new pictures (and say `empty` when there are none); the same ones again are kept."""
        def key(shown: Sequence[Picture]) -> list[tuple[int, str, str]]:
            return [(id(p.pixels), p.label, p.second) for p in shown]

        if key(pictures) == key(self.pictures) and self.children and empty in (None, self.empty):
            return
        self.pictures = list(pictures)
        if empty is not None:
            self.empty = empty
        self.remove_children()
        self.mount_all(list(self._cells()))

    def _cells(self) -> list[Widget]:
        if not self.pictures:
            self.shown = 0
            return [Static(self.empty, classes="pixel-empty")]
        first = self.pictures[0].pixels
        zoom = zoom_for(len(first), len(first[0]) if len(first) else 0)
        width, height = image_size(first, zoom)
        self.shown = len(self.pictures)
        cells: list[Widget] = []
        for picture in self.pictures:
            image = image_widget(self.graphics, picture.pixels)
            image.styles.width, image.styles.height = width, height
            parts = [image, Static(fit_label(picture.label, width), classes="pixel-label")]
            if any(p.second for p in self.pictures):
                parts.append(Static(fit_label(picture.second, width), classes="pixel-second"))
            cell = Vertical(*parts, classes="pixel-cell")
            cell.styles.width = width
            cells.append(cell)
        return cells


def make_gallery(graphics: str, *, empty: str = "") -> Gallery | PixelGallery:
    """The gallery for how this terminal draws: real pixels (SIXEL, TGP) or half-blocks."""
    if graphics in (SIXEL, TGP):
        return PixelGallery(graphics, empty=empty)
    return Gallery(empty=empty)
