"""Snapshots of the graph panel at 100 and 80 columns (pytest-textual-snapshot; `--snapshot-update` to accept)."""

from __future__ import annotations

import os
from pathlib import Path

from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.graph_panel import GraphPanel
from test_app import settle

# A relative path, so the picture does not depend on where the repository is checked out.
COURSE = Path(os.path.relpath(Path(__file__).parent / "fixtures" / "graph_course"))


def stepped(panel_index: int, *keys: str):
    """A run_before that waits for the numbers, focuses a graph panel and presses `keys` on it."""

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        panels = list(pilot.app.screen.query(GraphPanel))
        while any(p.stepper.numbers is None for p in panels):
            await pilot.pause(0.05)
        panels[panel_index].focus()
        panels[panel_index].scroll_visible(animate=False, top=True)
        await pilot.press(*keys)
        # A 'lesson completed' toast comes and goes with the machine's speed: keep it out of the picture.
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_graph_backward_at_100_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see f = (x + y)·z as five boxes joined by arrows, x + y and z's box values,
    the gradients -4, -4, 3 and 1 in another colour, the edges' local gradients 1, 1, -4 and 3,
    and the line 'Backward 2/2 · x + y: add hands the gradient on unchanged …'."""
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    assert snap_compare(app, terminal_size=(100, 30), run_before=stepped(0, "b"))


def test_graph_prediction_at_80_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the neuron σ(w·x + b) drawn compactly (no numbers on the edges) in 80
    columns, the edge into σ marked ?, and the question 'Predict: what gradient does w·x + b get
    back …' with 'Your prediction: 0.2▏' typed under it."""
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    assert snap_compare(app, terminal_size=(80, 30), run_before=stepped(1, "f", "right", "right", "0", ".", "2"))


def test_chinese_graph_forward_at_100_columns(snap_compare, isolated_data_dir: Path) -> None:
    """You should see the neuron's graph in a Chinese lesson at the end of the forward pass:
    every box has its value (0.731 at σ), no gradients yet, and the line '前向 3/3：…'."""
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="graphs")
    assert snap_compare(app, terminal_size=(100, 30), run_before=stepped(1, "f"))
