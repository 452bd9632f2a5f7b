"""Which widget shows which kind of interactive block."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from d2l_tui.course.model import Block
from d2l_tui.ui.widgets.prose import ItemWidget

BlockFactory = Callable[[Block, tuple[int, int]], ItemWidget]

# Features register their widget here as "module:Class"; anything else is shown as a descriptive
# card. Imported on first use: the editors, charts and panels cost ~50 ms that a lesson's first
# paint should not pay for blocks further down.
BLOCK_WIDGETS: dict[str, str] = {
    "code": "d2l_tui.ui.widgets.code_cell:CodeCell",
    "device": "d2l_tui.ui.widgets.device_panel:DevicePanel",
    "doctor": "d2l_tui.ui.widgets.doctor_panel:DoctorPanel",
    "gallery": "d2l_tui.ui.widgets.classify_gallery:GalleryBlock",
    "graph": "d2l_tui.ui.widgets.graph_panel:GraphPanel",
    "plot": "d2l_tui.ui.widgets.function_plot:FunctionPlotPanel",
    "quiz": "d2l_tui.ui.widgets.quiz_card:QuizCard",
    "solution": "d2l_tui.ui.widgets.solution:SolutionBlock",
    "surface": "d2l_tui.ui.widgets.surface_panel:SurfacePanel",
    # A classifier's `train` block gets the classification panel (classify_route picks by `model:`).
    "train": "d2l_tui.ui.widgets.classify_route:train_block",
}


def block_factory(block_type: str) -> BlockFactory | None:
    """The widget class registered for a block type, imported now if it was not yet."""
    target = BLOCK_WIDGETS.get(block_type)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def make_block_widget(block: Block, ref: tuple[int, int]) -> ItemWidget:
    """Build the widget for a block; broken or unknown blocks get a card that says what is wrong."""
    factory = block_factory(block.type)
    if factory is None or block.broken or not block.known:
        from d2l_tui.ui.widgets.directive_card import DirectiveCard

        return DirectiveCard(block, ref)
    return factory(block, ref)
