"""Quiz option lines as lesson Markdown against plain Text: the cost of one card's redraw.

A choice card redraws its option lines at every key (↑/↓, a digit). Options became Markdown (so
`code` and [brackets] show as in the lesson); the renderable is cached per text and keeps its
lines per width, so a redraw should cost about what plain Text did. Reported as a ratio to the
plain-Text baseline measured in the same run.

    python benchmarks/quiz_options.py
"""

from __future__ import annotations

import io
import statistics
import time

from rich.console import Console
from rich.text import Text

import d2l_tui.ui.app  # noqa: F401  (installs the app's CJK-aware wrapping, as in the app)
from d2l_tui.course.prose import prepare_markdown
from d2l_tui.ui.widgets.prose import TrimmedMarkdown
from d2l_tui.ui.widgets.quiz_parts import keep_code_together, option_grid, quiz_markdown

OPTIONS = [
    "`param[:] = param - lr * param.grad / batch_size` updates in place",
    "`w = w - lr * w.grad` makes a new array every step",
    "Inside `autograd.record()`, `x[0]` is recorded like any other operation",
    "不调用 `attach_grad()`，`w.grad` 就是 None，`sgd` 会报 TypeError",
]
REDRAWS = 300


def redraw_seconds(make: object, width: int = 80) -> float:
    """Median seconds to render the four option lines of a card once (after the first paint)."""
    console = Console(width=width, file=io.StringIO())
    times = []
    for _ in range(REDRAWS):
        start = time.perf_counter()
        for number, text in enumerate(OPTIONS, start=1):
            console.print(option_grid(number == 1, number, "( )", make(text), None))  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    plain = redraw_seconds(Text)
    markdown = redraw_seconds(quiz_markdown)
    cold = redraw_seconds(lambda text: TrimmedMarkdown(keep_code_together(prepare_markdown(text))))
    print(f"plain Text:        {plain * 1e3:.2f} ms per card redraw (baseline)")
    print(f"Markdown (cached): {markdown * 1e3:.2f} ms per card redraw, {markdown / plain:.2f}x the baseline")
    print(f"Markdown (first paint, parsed each time): {cold * 1e3:.2f} ms, {cold / plain:.2f}x the baseline")


if __name__ == "__main__":
    main()
