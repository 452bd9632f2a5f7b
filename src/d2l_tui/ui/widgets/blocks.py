"""Which widget shows which kind of interactive block."""

from __future__ import annotations

from collections.abc import Callable

from d2l_tui.course.model import Block
from d2l_tui.ui.widgets.directive_card import DirectiveCard
from d2l_tui.ui.widgets.doctor_panel import DoctorPanel
from d2l_tui.ui.widgets.prose import ItemWidget

BlockFactory = Callable[[Block, tuple[int, int]], ItemWidget]

# Features register their widget here; anything else is shown as a descriptive card.
BLOCK_WIDGETS: dict[str, BlockFactory] = {
    "doctor": DoctorPanel,
}


def make_block_widget(block: Block, ref: tuple[int, int]) -> ItemWidget:
    """Build the widget for a block; broken or unknown blocks get a card that says what is wrong."""
    factory = BLOCK_WIDGETS.get(block.type)
    if factory is None or block.broken or not block.known:
        return DirectiveCard(block, ref)
    return factory(block, ref)
