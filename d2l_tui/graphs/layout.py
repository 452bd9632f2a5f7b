"""Drawing a graph as text: boxes in columns by depth, box-drawing arrows, numbers in and beside them.

Pure text (runs of characters tagged with a kind: "box", "value", "grad", "edge", ...), so the
widget only maps kinds to colours. A graph wider than the space given is drawn as a list
instead (`fits` says which), so a narrow terminal still shows every number.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from d2l_tui.graphs.expr import Graph
from d2l_tui.graphs.steps import View

BOX_HEIGHT = 5
"""Border, label, value, gradient, border."""
Run = tuple[str, str]
"""Some text and its kind."""
_N, _E, _S, _W = 1, 2, 4, 8
_LINES = {
    _E | _W: "─", _N | _S: "│", _E | _S: "┌", _W | _S: "┐", _N | _E: "└", _N | _W: "┘",
    _N | _S | _E: "├", _N | _S | _W: "┤", _E | _W | _S: "┬", _E | _W | _N: "┴", _N | _E | _S | _W: "┼",
    _E: "─", _W: "─", _N: "│", _S: "│",
}


def short(value: float) -> str:
    """A number in three significant digits, as the boxes show it."""
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text


@dataclass
class Placement:
    """Where each node's box goes: its column and its top row."""

    column: dict[int, int]
    top: dict[int, int]


def place(graph: Graph) -> Placement:
    """Columns by depth (an input just left of its first use); rows near the middle of the arguments."""
    depth: dict[int, int] = {}
    for node in graph.nodes:
        depth[node.index] = 1 + max((depth[a] for a in node.args), default=-1) if node.args else 0
    column = dict(depth)
    for node in graph.nodes:
        if node.op == "input":
            column[node.index] = max(0, min(depth[c.index] for c in graph.consumers(node.index)) - 1)
    top: dict[int, int] = {}
    for col in range(max(column.values()) + 1):
        nodes = [n for n in graph.nodes if column[n.index] == col]
        wanted = {n.index: _wanted_top(n.args, top) for n in nodes}
        nodes.sort(key=lambda n: (wanted[n.index] is None, wanted[n.index] or 0, n.index))
        bottom = 0
        for n in nodes:
            want = wanted[n.index]
            top[n.index] = max(bottom, want if want is not None else bottom)
            bottom = top[n.index] + BOX_HEIGHT + 1
    return Placement(column, top)


def _wanted_top(args: tuple[int, ...], top: dict[int, int]) -> int | None:
    """The top row that centres a box on its arguments' boxes (None for an input)."""
    if not args:
        return None
    return max(0, round(sum(top[a] for a in args) / len(args)))


class _Canvas:
    """A grid of characters with a kind each, and a grid of line directions for the edges."""

    def __init__(self, width: int, height: int) -> None:
        self.chars = [[" "] * width for _ in range(height)]
        self.kinds = [["text"] * width for _ in range(height)]
        self.lines = [[0] * width for _ in range(height)]

    def write(self, x: int, y: int, text: str, kind: str) -> None:
        for i, ch in enumerate(text):
            if 0 <= y < len(self.chars) and 0 <= x + i < len(self.chars[0]):
                self.chars[y][x + i], self.kinds[y][x + i] = ch, kind

    def hline(self, x0: int, x1: int, y: int) -> None:
        for x in range(min(x0, x1), max(x0, x1) + 1):
            self.lines[y][x] |= (_E if x < max(x0, x1) else 0) | (_W if x > min(x0, x1) else 0)

    def vline(self, x: int, y0: int, y1: int) -> None:
        for y in range(min(y0, y1), max(y0, y1) + 1):
            self.lines[y][x] |= (_S if y < max(y0, y1) else 0) | (_N if y > min(y0, y1) else 0)

    def ink_lines(self) -> None:
        for y, row in enumerate(self.lines):
            for x, bits in enumerate(row):
                if bits:
                    self.chars[y][x], self.kinds[y][x] = _LINES.get(bits, "┼"), "edge"

    def runs(self) -> list[list[Run]]:
        rows: list[list[Run]] = []
        for chars, kinds in zip(self.chars, self.kinds):
            row: list[Run] = []
            for ch, kind in zip(chars, kinds):
                if row and row[-1][1] == kind:
                    row[-1] = (row[-1][0] + ch, kind)
                else:
                    row.append((ch, kind))
            rows.append(row)
        return rows


@dataclass(frozen=True)
class Sizes:
    """The widths that every box and every gap between columns share."""

    box: int
    gap: int
    columns: int

    @property
    def width(self) -> int:
        return self.columns * self.box + (self.columns - 1) * self.gap


def sizes(graph: Graph, numbers_text: list[str], edge_texts: list[str], columns: int, squeeze: int) -> Sizes:
    """Boxes wide enough for every label and number; gaps wide enough for every edge's number.

    Squeeze 0 pads the boxes, 1 does not, 2 also leaves the numbers off the edges (the step line
    still says them).
    """
    inner = max([len(n.label) for n in graph.nodes] + [len(t) for t in numbers_text] + [3])
    if squeeze == 2:
        return Sizes(inner + 2, 3, columns)
    gap = max(5, max((len(t) for t in edge_texts), default=0) + 3)
    return Sizes(inner + (4 if squeeze == 0 else 2), gap, columns)


def draw(graph: Graph, view: View, all_values: list[float], all_grads: list[float],
         local: dict[tuple[int, int, int], float], width: int, asked: tuple[int, int, int] | None = None) -> list[list[Run]] | None:
    """The graph as rows of runs (squeezed if need be), or None when even squeezed it is wider than `width`."""
    placed = place(graph)
    # Size for every number the stepping will show, so the boxes do not grow as it goes.
    texts = [short(v) for v in all_values] + [f"∂ {short(g)}" for g in all_grads]
    columns = max(placed.column.values()) + 1
    for squeeze in (0, 1, 2):
        size = sizes(graph, texts, [short(v) for v in local.values()], columns, squeeze)
        if size.width <= width:
            return _drawn(graph, view, local, placed, size, asked)
    return None


def _drawn(graph: Graph, view: View, local: dict[tuple[int, int, int], float], placed: Placement, size: Sizes,
           asked: tuple[int, int, int] | None) -> list[list[Run]]:
    """Lines first, boxes over them, then arrowheads and the edges' numbers."""
    left = {i: c * (size.box + size.gap) for i, c in placed.column.items()}
    paths = _route(graph, placed, left, size)
    bottom = max(y for path in paths.values() for _, y in path)
    canvas = _Canvas(size.width, max(max(placed.top.values()) + BOX_HEIGHT, bottom + 1))
    for path in paths.values():
        canvas.lines[path[0][1]][path[0][0]] |= _W  # the line leaves its source's box
        for (x0, y0), (x1, y1) in pairwise(path):
            if y0 == y1:
                canvas.hline(x0, x1, y0)
            else:
                canvas.vline(x0, y0, y1)
    canvas.ink_lines()
    for node in graph.nodes:
        _box(canvas, node.index, node.label, left[node.index], placed.top[node.index], size.box, view)
    for edge, path in paths.items():
        x, y = path[-1]
        canvas.write(x, y, "▶", "edge")
        if edge == asked:
            canvas.write(x - 1, y, "?", "asked")
        elif edge in view.carried and size.gap > 3:
            text = short(local[edge])
            canvas.write(x - len(text), y, text, "local")
    return canvas.runs()


def _route(graph: Graph, placed: Placement, left: dict[int, int], size: Sizes) -> dict[tuple[int, int, int], list[tuple[int, int]]]:
    """Each edge's path as corner points, from its source's right side to its arrowhead."""
    paths: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    slot = {i: sorted((t, n) for n, t in placed.top.items() if placed.column[n] == placed.column[i]).index((placed.top[i], i))
            for i in placed.top}
    for node in graph.nodes:
        ordered = sorted(enumerate(node.args), key=lambda pa: (placed.top[pa[1]], pa[0]))
        rows = _attach_rows(len(ordered), placed.top[node.index])
        for (position, arg), row in zip(ordered, rows):
            start = (left[arg] + size.box, placed.top[arg] + BOX_HEIGHT // 2)
            # Turn in the gap just before the target; an edge that skips columns first finds a
            # row clear of the boxes between (its source's row when it can), so no box hides it.
            turn = left[node.index] - size.gap + min(slot[arg], 1)
            lane = _clear_row(placed, placed.column[arg], placed.column[node.index], start[1])
            path = [start]
            if lane != start[1]:
                first_turn = start[0] + min(slot[arg], 1)
                path += [(first_turn, start[1]), (first_turn, lane)]
            path += [(turn, lane), (turn, row), (left[node.index] - 1, row)]
            paths[(arg, node.index, position)] = path
    return paths


def _clear_row(placed: Placement, source_column: int, target_column: int, prefer: int) -> int:
    """The row nearest `prefer` that no box in the columns between the two crosses."""
    blocked = {top + row for node, top in placed.top.items() if source_column < placed.column[node] < target_column
               for row in range(-1, BOX_HEIGHT + 1)}
    return min((r for r in range(prefer + 2 * BOX_HEIGHT * len(placed.top)) if r not in blocked),
               key=lambda r: (abs(r - prefer), r))


def _attach_rows(count: int, top: int) -> list[int]:
    """The rows where a box's incoming arrows arrive, top to bottom."""
    if count == 1:
        return [top + BOX_HEIGHT // 2]
    return [top + 1 + i * 2 // max(1, count - 1) for i in range(count)]


def _box(canvas: _Canvas, index: int, label: str, x: int, y: int, width: int, view: View) -> None:
    """One node's box: its label, its value once computed, its gradient once it has one."""
    kind = "current" if index == view.current else "box"
    inner = width - 2
    canvas.write(x, y, "┌" + "─" * inner + "┐", kind)
    for row in range(1, BOX_HEIGHT - 1):
        canvas.write(x, y + row, "│" + " " * inner + "│", kind)
    canvas.write(x, y + BOX_HEIGHT - 1, "└" + "─" * inner + "┘", kind)
    canvas.write(x + 1, y + 1, label.center(inner), "label")
    if index in view.values:
        canvas.write(x + 1, y + 2, short(view.values[index]).center(inner), "value")
    if index in view.grads:
        canvas.write(x + 1, y + 3, f"∂ {short(view.grads[index])}".center(inner), "grad")


def as_list(graph: Graph, view: View) -> list[list[Run]]:
    """The graph as one line per node, for a terminal too narrow for the drawing."""
    width = max(len(n.name) for n in graph.nodes)
    rows: list[list[Run]] = []
    for node in graph.nodes:
        row: list[Run] = [(node.name.ljust(width), "current" if node.index == view.current else "label")]
        if node.index in view.values:
            row.append((" = " + short(view.values[node.index]), "value"))
        if node.index in view.grads:
            row.append(("  ∂ " + short(view.grads[node.index]), "grad"))
        rows.append(row)
    return rows
