"""The `graph` directive's body: checked into a graph, and the checker `d2l-tui check` runs on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from d2l_tui.graphs.compute import check_finite
from d2l_tui.graphs.expr import Graph, GraphError, parse_graph

Finding = tuple[tuple[str, ...], str]


@dataclass(frozen=True)
class GraphBlock:
    """A `graph` block: the graph, its title, and whether stepping backward asks for predictions."""

    graph: Graph
    expression: str
    title: str = ""
    predict: bool = False
    """Before each backward step, ask the learner for the gradient the next edge hands back."""

    @classmethod
    def from_block(cls, data: dict[str, Any]) -> GraphBlock:
        """Build from a block's YAML mapping; raise `GraphError` when it is not a drawable graph."""
        expression = data.get("expression")
        if not isinstance(expression, str) or not expression.strip():
            raise GraphError("'expression' must be an expression in the inputs, like (x + y)*z")
        graph = parse_graph(expression, data.get("inputs"))
        check_finite(graph)
        return cls(graph, expression.strip(), str(data.get("title") or ""), bool(data.get("predict", False)))


def validate_graph(data: dict[str, Any]) -> list[Finding]:
    """Every problem in a graph block, keyed to the YAML key it concerns."""
    try:
        GraphBlock.from_block(data)
    except GraphError as error:
        message = str(error)
        key = "inputs" if message.startswith(("'inputs'", "input ")) else "expression"
        return [((key,), message)]
    return []
