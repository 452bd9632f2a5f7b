"""Quiz option lines as lesson Markdown against plain Text: the cost of one card's redraw.

A choice card redraws its option lines at every key (↑/↓, a digit). Options became Markdown (so
`code` and [brackets] show as in the lesson); the renderable is cached per text and keeps its
lines per width, so a redraw should cost about what plain Text did, and an option without
Markdown in it is drawn as Text without a parse. Reported as a ratio to the
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
PLAIN_OPTIONS = [
    "It falls to the noise floor, as with lr = 0.3",
    "It falls, but more slowly than with lr = 0.3",
    "It grows until the run diverges",
    "损失先降后升，最后停在比噪声下限高的地方",
]
"""Options with no Markdown in them (most of the course's): drawn as plain Text, not parsed."""
REDRAWS = 300


def redraw_seconds(make: object, width: int = 80, options: list[str] = OPTIONS) -> float:
    """Median seconds to render the four option lines of a card once."""
    console = Console(width=width, file=io.StringIO())
    times = []
    for _ in range(REDRAWS):
        start = time.perf_counter()
        for number, text in enumerate(options, start=1):
            console.print(option_grid(number == 1, number, "( )", make(text), None))  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    plain = redraw_seconds(Text)
    markdown = redraw_seconds(quiz_markdown)
    cold = redraw_seconds(lambda text: TrimmedMarkdown(keep_code_together(prepare_markdown(text))))
    print(f"plain Text:        {plain * 1e3:.2f} ms per card redraw (baseline)")
    print(
        f"Markdown (cached): {markdown * 1e3:.2f} ms per card redraw, {markdown / plain:.2f}x the baseline"
    )
    print(
        f"Markdown (first paint, parsed each time): {cold * 1e3:.2f} ms, {cold / plain:.2f}x the baseline"
    )

    def uncached(text: str) -> object:
        quiz_markdown.cache_clear()
        return quiz_markdown(text)

    plain_text = redraw_seconds(Text, options=PLAIN_OPTIONS)
    plain_first = redraw_seconds(uncached, options=PLAIN_OPTIONS)
    print(
        f"options without Markdown, first paint: {plain_first * 1e3:.2f} ms, "
        f"{plain_first / plain_text:.2f}x plain Text ({plain_text * 1e3:.2f} ms)"
    )


if __name__ == "__main__":
    main()
