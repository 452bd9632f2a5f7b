"""A graph panel's work per key: the view, the drawing and the step line, redone at every step
(nothing cached), against computing the graph's numbers once with MXNet's autograd (the worker's
job when the panel mounts). Reported as a ratio to that one-off computation in the same run.

    python benchmarks/graph_step.py
"""

from __future__ import annotations

import statistics
import time

from d2l_tui.graphs.compute import compute_mxnet, compute_python
from d2l_tui.graphs.expr import parse_graph
from d2l_tui.graphs.layout import draw
from d2l_tui.graphs.steps import describe, steps_of, view_at
from d2l_tui.mxnet_env import load_mxnet

CASES = [("(x + y)*z", {"x": -2, "y": 5, "z": -4}), ("sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 3}),
         ("(w*x - y)**2/2", {"w": 2, "x": 3, "y": 4})]
WIDTHS = [66, 53]
"""The panel's inner width at 100 and at 80 columns."""


def seconds(action, repeats: int = 50) -> float:
    """Median seconds of `action()`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    mx = load_mxnet()
    for source, inputs in CASES:
        graph = parse_graph(source, inputs)
        numbers = compute_mxnet(graph, mx)
        steps = steps_of(graph)
        baseline = seconds(lambda graph=graph: compute_mxnet(graph, mx))
        rules = seconds(lambda graph=graph: compute_python(graph))
        for width in WIDTHS:
            def repaint(graph=graph, numbers=numbers, steps=steps, width=width) -> None:  # bound now, not late
                for at in range(len(steps)):
                    view = view_at(graph, numbers, steps, at)
                    draw(graph, view, list(numbers.values), list(numbers.grads), numbers.local, width)
                    describe(graph, numbers, steps, at, "zh")
            per_step = seconds(repaint, 20) / len(steps)
            print(f"{source} at {width} columns: MXNet autograd once {baseline * 1e3:.2f} ms (baseline); "
                  f"one step's repaint {per_step * 1e3:.3f} ms, {per_step / baseline:.2f}x; "
                  f"the rules in Python {rules * 1e3:.3f} ms, {rules / baseline:.3f}x")


if __name__ == "__main__":
    main()
