"""Where a learner is in a graph: the step shown, and the prediction asked before a backward step.

With `predict: true`, stepping onto a backward step first asks what gradient the step's first
edge will hand back (the drawing marks that edge with `?`); a right answer (within 1% or
0.005), a third wrong try, or skipping shows the step.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2l_tui.graphs.block import GraphBlock
from d2l_tui.graphs.compute import Edge, Numbers
from d2l_tui.graphs.expr import number_text
from d2l_tui.graphs.steps import Step, describe, forward_end, steps_of, view_at
from d2l_tui.quiz.grading import NumberError, parse_number
from d2l_tui.words import say_in

TRIES = 3
"""Wrong tries before the step shows itself."""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ask": "Predict: what gradient does {arg} get back from {name} (the ? edge)? Type a number, Enter checks, Esc shows it.",
        "right": "Right: {arg} gets {carried}.",
        "wrong": "Not {value}: think of the rule for {name} and try again ({left} tries left, Esc shows it).",
        "shown": "It is {carried}: {arg} gets {g} × {local}.",
        "typed": "Your prediction: ",
    },
    "zh": {
        "ask": "先预测：{name} 传回给 {arg} 的梯度是多少（标着 ? 的边）？输入一个数，Enter 检查，Esc 直接看答案。",
        "right": "对了：{arg} 得到 {carried}。",
        "wrong": "不是 {value}：想想 {name} 这一步用的规则，再试一次（还能试 {left} 次，Esc 看答案）。",
        "shown": "答案是 {carried}：{arg} 得到 {g} × {local}。",
        "typed": "你的预测：",
    },
}
"""The prediction's words per language."""


@dataclass
class Question:
    """A prediction being asked: the edge, the answer, what the learner has typed and tried."""

    step: int
    edge: Edge
    answer: float
    typed: str = ""
    tries: int = 0
    said: str = ""
    """The last verdict's words key ("wrong"), or empty before the first try."""
    said_value: str = ""
    """The wrong number as typed, for the "wrong" words."""
    error: NumberError | None = None
    """Why the typed text is not a number (said in the language on screen)."""


class Stepper:
    """The step a graph shows, moved by the panel's keys."""

    def __init__(self, block: GraphBlock) -> None:
        self.block = block
        self.graph = block.graph
        self.steps: list[Step] = steps_of(block.graph)
        self.at = 0
        self.numbers: Numbers | None = None
        self.question: Question | None = None
        self.settled: set[int] = set()
        """Backward steps whose prediction was answered or shown."""
        self.verdict: tuple[str, Edge] | None = None
        """What the last prediction came to ("right" or "shown") and its edge, said under the step line."""

    def go(self, delta: int) -> None:
        """Step forward (+1) or back (−1); a backward step with a prediction asks first.

        While a prediction is asked, forward keeps it (and what was typed) and back withdraws it.
        """
        if self.question is not None:
            if delta < 0:
                self.question = None
            return
        target = max(0, min(len(self.steps) - 1, self.at + delta))
        if delta > 0 and target != self.at and self._asks(target):
            self.question = self._question(target)
            return
        self.at = target
        if delta < 0:
            self.verdict = None

    def jump(self, where: str) -> None:
        """Jump to the start, the end of the forward pass, or the end of the backward pass."""
        self.question, self.verdict = None, None
        ends = {"start": 0, "forward": forward_end(self.steps), "backward": len(self.steps) - 1}
        self.at = ends[where]
        if where == "backward":
            self.settled.update(range(len(self.steps)))

    def _asks(self, index: int) -> bool:
        step = self.steps[index]
        return self.block.predict and step.phase == "backward" and index not in self.settled and self.numbers is not None

    def _question(self, index: int) -> Question:
        assert self.numbers is not None
        node = self.graph.nodes[self.steps[index].node]
        edge = (node.args[0], node.index, 0)
        view = view_at(self.graph, self.numbers, self.steps, index)
        return Question(index, edge, view.carried[edge])

    def type(self, text: str) -> None:
        """Add to (or, with "\b", take from) the prediction being typed."""
        if self.question is not None:
            q = self.question
            q.typed = q.typed[:-1] if text == "\b" else (q.typed + text)[:24]

    def submit(self) -> None:
        """Grade the typed prediction; a right one (or the last try) shows the step."""
        q = self.question
        if q is None or not q.typed.strip():
            return
        try:
            value = parse_number(q.typed)
        except NumberError as error:
            q.said, q.error = "invalid", error
            return
        q.tries += 1
        if abs(value - q.answer) <= max(0.005, 0.01 * abs(q.answer)) + 1e-12:
            self._show(q, "right")
        elif q.tries >= TRIES:
            self._show(q, "shown")
        else:
            q.said, q.said_value, q.typed = "wrong", number_text(value), ""

    def skip(self) -> None:
        """Show the asked step without an answer."""
        if self.question is not None:
            self._show(self.question, "shown")

    def _show(self, q: Question, key: str) -> None:
        self.settled.add(q.step)
        self.at, self.question = q.step, None
        self.verdict = (key, q.edge)

    def _say(self, key: str, edge: Edge, lang: str, **extra: object) -> str:
        assert self.numbers is not None
        view = view_at(self.graph, self.numbers, self.steps, self.at)
        node = self.graph.nodes[edge[1]]
        return say_in(WORDS, lang, key, arg=self.graph.nodes[edge[0]].name, name=node.name,
                      g=number_text(view.grads[node.index]), local=number_text(self.numbers.local[edge]),
                      carried=number_text(view.carried.get(edge, 0.0)), **extra)

    def lines(self, lang: str) -> list[str]:
        """The words under the drawing: the step line, then the prediction or its verdict."""
        if self.numbers is None:
            return []
        lines = [describe(self.graph, self.numbers, self.steps, self.at, lang)]
        q = self.question
        if q is not None:
            node = self.graph.nodes[q.edge[1]]
            lines.append(say_in(WORDS, lang, "ask", arg=self.graph.nodes[q.edge[0]].name, name=node.name))
            if q.said == "wrong":
                lines.append(say_in(WORDS, lang, "wrong", value=q.said_value, name=node.name, left=TRIES - q.tries))
            elif q.said == "invalid" and q.error is not None:
                lines.append(q.error.say_in(lang))
            lines.append(say_in(WORDS, lang, "typed") + q.typed + "▏")
        elif self.verdict is not None:
            lines.append(self._say(*self.verdict, lang))
        return lines

    @property
    def asked_edge(self) -> Edge | None:
        """The edge the drawing marks with `?`."""
        return self.question.edge if self.question else None
