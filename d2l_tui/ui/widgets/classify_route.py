"""Which panel a `train` block gets: a classifier's, an overfitting one's or linear regression's."""

from __future__ import annotations

import importlib

from d2l_tui.course.model import Block
from d2l_tui.ui.widgets.prose import ItemWidget

PANELS: dict[str, str] = {
    "softmax": "d2l_tui.ui.widgets.classify_panel:ClassifyPanel",
    "mlp": "d2l_tui.ui.widgets.classify_panel:ClassifyPanel",
    "poly": "d2l_tui.ui.widgets.classify_overfit_panel:OverfitPanel",
    "high-dim": "d2l_tui.ui.widgets.classify_overfit_panel:OverfitPanel",
}
"""Models with a panel of their own; any other model gets the training panel."""
DEFAULT_PANEL = "d2l_tui.ui.widgets.training_panel:TrainingPanel"


def train_block(block: Block, ref: tuple[int, int]) -> ItemWidget:
    """The panel for a `train` block, by its `model:` (imported on first use, like every block)."""
    target = PANELS.get(str(block.data.get("model") or ""), DEFAULT_PANEL)
    module, name = target.split(":")
    panel: ItemWidget = getattr(importlib.import_module(module), name)(block, ref)
    return panel
