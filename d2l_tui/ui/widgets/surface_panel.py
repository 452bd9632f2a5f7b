"""The `surface` block: f(x, y) as a heat map with contours and gradient arrows, the Hessian's
eigen-directions at the start, and gradient descent stepped by the learner with a learning rate
they can change.

Component classes: none; the heat map's colours are fixed (a dark-to-light ramp) so that low and
high read the same in every theme.
"""

from __future__ import annotations

import math
from functools import lru_cache

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalGroup
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from d2l_tui.course.model import Block
from d2l_tui.course.plotfn import math_text
from d2l_tui.surfaces.calculus import Curvature, Vector, curvature, gradient
from d2l_tui.surfaces.descent import behaviour, descend, gone, step
from d2l_tui.surfaces.model import MAX_LR, Surface, SurfaceState, nudge_lr
from d2l_tui.surfaces.picture import Cell, Picture, square_width
from d2l_tui.ui.reach import lang_of, lesson_of, session
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.ui.widgets.surface_words import WORDS, number
from d2l_tui.words import say_in

MAP_ROWS = 14
NARROW_ROWS = 10
SIDE_WIDTH = 34
"""The least width the words beside the map need; narrower panels put them below it."""
RUN_INTERVAL = 0.08
"""Seconds between the steps of a run-all: slow enough to watch the path being drawn."""
RAMP = ("#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725")
"""The heat map's bands, low to high (viridis)."""
MARKS = {
    "path": Style(color="#ff1744", bold=True),
    "now": Style(color="#ff1744", bold=True),
    "start": Style(color="#ff1744", bold=True),
    "eigen1": Style(color="#ff80ff", bold=True),
    "eigen2": Style(color="#00e5ff", bold=True),
}


@lru_cache(maxsize=1024)
def cell_style(cell: Cell) -> Style:
    """The Rich style of one cell: its bands as colours, its mark's colour on top."""
    top = Color.parse(RAMP[cell.top]) if cell.top >= 0 else None
    bottom = Color.parse(RAMP[cell.bottom]) if cell.bottom >= 0 else None
    if not cell.mark:
        return Style(color=top, bgcolor=bottom)
    if cell.mark in MARKS:
        return MARKS[cell.mark] + Style(bgcolor=top)
    ink = "#000000" if cell.top >= len(RAMP) // 2 else "#ffffff"
    return Style(color=ink, bgcolor=top, dim=cell.mark == "contour")


class SurfaceMap(Widget):
    """The picture itself; the panel sets its width (see `SurfacePanel.on_resize`)."""

    DEFAULT_CSS = f"SurfaceMap {{ height: {MAP_ROWS}; width: 1fr; }}"

    def __init__(self, surface: Surface) -> None:
        super().__init__()
        self.surface = surface
        self.path: list[Vector] = [surface.start]
        self.curvature: Curvature | None = None
        self._picture: Picture | None = None
        """f sampled for the current size: a step only redraws the marks (benchmarks/surface_step.py)."""

    def render(self) -> Text:
        width, height = self.size.width, self.size.height or MAP_ROWS
        picture = self._picture
        if picture is None or (picture.width, picture.height) != (max(4, width), max(2, height)):
            picture = self._picture = Picture(self.surface, width, height)
        return draw(picture, self.path, self.curvature)


def draw(picture: Picture, path: list[Vector], curvature: Curvature | None) -> Text:
    """The picture's cells with the path and eigen-directions, as styled text."""
    rows = picture.cells(path, curvature)
    return Text("\n").join(Text.assemble(*((c.glyph, cell_style(c)) for c in row), no_wrap=True) for row in rows)


class LrInput(Input):
    """The learning rate's box; Escape hands the keys back to the panel."""

    BINDINGS = [Binding("escape", "leave", "Back to the surface", id="surface-lr-leave")]

    def action_leave(self) -> None:
        """Focus the panel again, whose keys then work."""
        panel = next((node for node in self.ancestors if isinstance(node, SurfacePanel)), None)
        if panel is not None:
            panel.focus()


class SurfacePanel(ItemWidget):
    """A function of x and y, its slope and curvature, and gradient descent on it, step by step."""

    DEFAULT_CSS = """
    SurfacePanel { layout: vertical; height: auto; padding: 0 1; margin: 0 0 1 0; border: round $secondary; }
    SurfacePanel:focus-within { border: round $accent; }
    SurfacePanel .surface-body { height: auto; }
    SurfacePanel .surface-side { width: 1fr; height: auto; padding: 0 0 0 2; }
    SurfacePanel.-narrow .surface-body { layout: vertical; }
    SurfacePanel.-narrow .surface-side { padding: 0; }
    SurfacePanel .surface-lr { height: auto; }
    SurfacePanel .surface-lr > Label { width: auto; padding: 0 1 0 0; }
    SurfacePanel .surface-lr > LrInput { width: 10; }
    SurfacePanel .surface-lr > .surface-note { width: 1fr; height: auto; padding: 0 0 0 1; }
    SurfacePanel .surface-lr.-invalid > .surface-note { color: $error; }
    SurfacePanel .surface-lr.-above > .surface-note { color: $warning; }
    SurfacePanel .surface-legend, SurfacePanel .surface-keys { color: $text-muted; height: auto; }
    SurfacePanel .surface-status { height: auto; }
    """
    BINDINGS = [
        Binding("space,enter", "step", "Step", id="surface-step"),
        Binding("a", "run_all", "Run all", id="surface-run"),
        Binding("r", "reset", "Reset", id="surface-reset"),
        Binding("plus,equals_sign", "lr(1)", "lr +", show=False, id="surface-lr-up"),
        Binding("minus,underscore", "lr(-1)", "lr −", show=False, id="surface-lr-down"),
        Binding("left", "move(-1, 0)", "Start ←", show=False, id="surface-left"),
        Binding("right", "move(1, 0)", "Start →", show=False, id="surface-right"),
        Binding("up", "move(0, 1)", "Start ↑", show=False, id="surface-up"),
        Binding("down", "move(0, -1)", "Start ↓", show=False, id="surface-down"),
    ]
    can_focus = True

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.surface = Surface.from_block(block.data)  # the loader already validated it
        self.formula = math_text(self.surface.source)
        self.path: list[Vector] = [self.surface.start]
        self.curvature: Curvature = curvature(self.surface.f, *self.surface.start)
        self._run: Timer | None = None
        """The timer of a run-all while it draws its steps."""
        self.lang = "en"

    # Layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        self._restore()
        self.border_title = self.surface.title or f"f(x, y) = {self.formula}"
        with Horizontal(classes="surface-body"):
            yield SurfaceMap(self.surface)
            with VerticalGroup(classes="surface-side"):
                yield Static("", classes="surface-legend")
                with Horizontal(classes="surface-lr"):
                    yield Label(self._say("lr"))
                    yield LrInput(f"{self.surface.lr:g}", compact=True, select_on_focus=False)
                    yield Static("", classes="surface-note")
                yield Static("", classes="surface-status")
                yield Static(self._say("keys"), classes="surface-keys")

    def on_mount(self) -> None:
        self._show()

    def on_resize(self) -> None:
        # Beside the words when there is room for both, drawn with x and y to the same scale
        # (a round bowl looks round, a tilted eigen-direction keeps its angle); else full width above them.
        width = self.content_size.width
        square = square_width(self.surface, MAP_ROWS)
        narrow = width - square < SIDE_WIDTH
        self.set_class(narrow, "-narrow")
        picture = self.query_one(SurfaceMap)
        picture.styles.width = "1fr" if narrow else square
        # Stretched across the width anyway, the picture gives up rows so the words below it fit on an 80x24 screen.
        picture.styles.height = NARROW_ROWS if narrow else MAP_ROWS

    def _key(self) -> tuple[str, str] | None:
        """(lesson id, panel id): where the session keeps this panel's state (None outside a lesson)."""
        lesson = lesson_of(self)
        return None if lesson is None else (lesson.id, str(self.block.data.get("id") or self.ref))

    def _restore(self) -> None:
        """Take back what the learner set here before (the panel is rebuilt on a language switch or a return)."""
        key = self._key()
        kept = session(self).surfaces.get(key) if key is not None else None
        if kept is not None:
            self.surface.start, self.surface.lr, self.path = kept.start, kept.lr, list(kept.path)
            self.curvature = curvature(self.surface.f, *self.surface.start)

    def _keep(self) -> None:
        key = self._key()
        if key is not None:
            session(self).surfaces[key] = SurfaceState(self.surface.start, self.surface.lr, list(self.path))

    def _say(self, key: str, **params: object) -> str:
        return say_in(WORDS, self.lang, key, **params)

    # Keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the learning rate's box, keys are text (arrows move its cursor), none is the panel's.
        return not isinstance(self.app.focused, Input)

    def action_step(self) -> None:
        """One step of gradient descent from the path's last point."""
        self._stop_run()
        self._advance()
        self._show()

    def action_run_all(self) -> None:
        """Take the block's remaining steps, drawn one by one."""
        if self._run is None and self._can_advance():
            self._run = self.set_interval(RUN_INTERVAL, self._run_tick, name="surface-run")

    def action_reset(self) -> None:
        """Back to the start point (the learning rate and start the learner chose stay)."""
        self._stop_run()
        self.path = [self.surface.start]
        self._show()

    def action_lr(self, direction: int) -> None:
        """A learning rate one notch up or down; the path starts again with it."""
        self._set_lr(nudge_lr(self.surface.lr, direction))
        self.query_one(LrInput).value = f"{self.surface.lr:g}"

    def action_move(self, dx: int, dy: int) -> None:
        """Move the start point; the path and the curvature there start again."""
        self._stop_run()
        self.surface.move_start(dx, dy)
        self.curvature = curvature(self.surface.f, *self.surface.start)
        self.path = [self.surface.start]
        self._show()

    @on(Input.Changed)
    def _lr_typed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            lr = float(event.value)
        except ValueError:
            lr = math.nan
        if not 0 < lr <= MAX_LR:  # NaN fails too
            self.query_one(".surface-lr").set_class(True, "-invalid")
            self.query_one(".surface-note", Static).update(self._say("lr-bad", most=number(MAX_LR)))
            return
        if lr != self.surface.lr:
            self._set_lr(lr)
        else:
            self._show()

    @on(Input.Submitted)
    def _lr_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus()

    # Stepping ---------------------------------------------------------------------------------

    def _can_advance(self) -> bool:
        return len(self.path) <= self.surface.steps and not gone(self.path[-1])

    def _advance(self) -> bool:
        if not self._can_advance():
            return False
        self.path.append(step(self.surface.f, self.path[-1], self.surface.lr))
        return True

    def _run_tick(self) -> None:
        if not self._advance():
            self._stop_run()
        self._show()

    def _stop_run(self) -> None:
        if self._run is not None:
            self._run.stop()
            self._run = None

    def run_to_end(self) -> None:
        """Every remaining step at once (what a run-all shows when it ends)."""
        self._stop_run()
        self.path = descend(self.surface.f, self.surface.start, self.surface.lr, self.surface.steps)
        self._show()

    def _set_lr(self, lr: float) -> None:
        self._stop_run()
        self.surface.lr = lr
        self.path = [self.surface.start]
        self._show()

    # Words ------------------------------------------------------------------------------------

    def _show(self) -> None:
        """Repaint the picture and every line of words from the current state."""
        if not self.is_mounted:
            return
        self._keep()
        picture = self.query_one(SurfaceMap)
        picture.path, picture.curvature = self.path, self.curvature
        picture.refresh()
        self.query_one(".surface-legend", Static).update(self.legend())
        self._show_lr_note()
        self.query_one(".surface-status", Static).update(self.status())

    def legend(self) -> Text:
        """What the marks mean, and the curvature at the start: λ1, λ2 and the kind of point."""
        low, high = self.curvature.lambdas
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        text = Text()
        text.append("○●•", style=MARKS["path"])
        text.append(" " + self._say("path") + "\n")
        text.append("↗ " + self._say("arrows") + "   · " + self._say("contours") + "\n")
        text.append("━ ", style=MARKS["eigen1"])
        text.append(f"λ1 = {number(low)}   ")
        text.append("━ ", style=MARKS["eigen2"])
        text.append(f"λ2 = {number(high)}\n")
        text.append(self._say("at-start", kind=self._say(self.curvature.kind)) + "\n")
        text.append(f"x: {number(x0)} … {number(x1)}   y: {number(y0)} … {number(y1)}")
        return text

    def _show_lr_note(self) -> None:
        limit = self.curvature.lr_limit
        row = self.query_one(".surface-lr")
        on_it = limit is not None and math.isclose(self.surface.lr, limit, rel_tol=1e-6)
        above = limit is not None and self.surface.lr > limit and not on_it
        row.set_class(False, "-invalid")
        row.set_class(above, "-above")
        if limit is None:
            note = self._say("no-limit")
        else:
            note = self._say("above" if above else "at-limit" if on_it else "below", limit=number(limit))
        self.query_one(".surface-note", Static).update(note)

    def status(self) -> str:
        """Where the path is now: its step, point, f and |∇f|, and what it is doing."""
        x, y = self.path[-1]
        done = len(self.path) - 1
        if gone(self.path[-1]):
            return self._say("status-gone", step=done, steps=self.surface.steps)
        gx, gy = gradient(self.surface.f, x, y)
        return self._say(
            "status", step=done, steps=self.surface.steps, x=number(x), y=number(y),
            f=number(self.surface.f(x, y)), g=number(math.hypot(gx, gy)),
            doing=self._say(behaviour(self.surface.f, self.path)),
        )
