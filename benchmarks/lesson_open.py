"""Opening a long lesson: time to its first section painted, against a one-paragraph lesson.

Prints `open_ratio=X` last: the 300-line lesson's time divided by the one-paragraph lesson's,
both opened in the same running app (median of runs). `jump_ratio=X` is a palette jump to the
long lesson's last section against opening that lesson at its top (it was 2.2 s against 0.18 s
when a deep jump mounted the whole lesson before its first paint). Also prints how long Textual's own
`Markdown` widget and rich's Markdown in one `Static` take to mount the whole 300 lines, the
measurement behind rendering each block with rich (see ui/widgets/prose.py).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen

RUNS = 11
SIZE = (100, 30)


def long_lesson_body() -> str:
    """About 300 lines of prose, lists, tables, code and math, in eleven sections."""
    parts = []
    for n in range(1, 12):
        parts.append(f"## 第 {n} 节：梯度与范数\n")
        parts.append("梯度告诉我们函数在每个方向上变化得有多快。我们先从一元函数开始，\n再推广到多元函数，"
                     f"最后用 $\\nabla_{{\\mathbf{{x}}}} \\|\\mathbf{{x}}\\|^2 = 2\\mathbf{{x}}$ 验证第 {n} 个例子。\n")
        parts.append("- 导数：$f'(x) = \\lim_{h \\rightarrow 0} \\frac{f(x+h) - f(x)}{h}$\n- 偏导数：固定其他变量\n"
                     "- 梯度：所有偏导数组成的向量\n- 海森矩阵：二阶偏导数组成的矩阵\n")
        parts.append("| 范数 | 公式 | 例子 |\n|---|---|---|\n| L1 | $\\sum_i |x_i|$ | 7 |\n| L2 | $\\sqrt{\\sum_i x_i^2}$ | 5 |\n")
        parts.append("```python\nfrom mxnet import nd\nx = nd.arange(4).reshape((4, 1))\nprint(x.norm())\n```\n")
        parts.append("$$\n\\mathbf{H}_{ij} = \\frac{\\partial^2 f}{\\partial x_i \\partial x_j}\n$$\n")
        parts.append("> 小提示：在纸上先算一遍，再用 autograd 验证。\n")
    return "\n".join(parts)


def write_course(root: Path) -> None:
    """A course with the long lesson and a one-paragraph lesson."""
    (root / "zh").mkdir(parents=True)
    header = "---\nid: {id}\ntitle: {title}\norder: {order}\n---\n\n"
    (root / "zh" / "long.md").write_text(header.format(id="long", title="长课", order=1) + long_lesson_body(), encoding="utf-8")
    (root / "zh" / "short.md").write_text(header.format(id="short", title="短课", order=2) + "只有一段话。\n", encoding="utf-8")


async def time_to_first_paint(app, lesson_id: str, section: int = 0) -> float:
    """Open a lesson at a section in a running app and wait until that section has been painted."""
    started = time.perf_counter()
    app.open_lesson(lesson_id, section=section)
    while not (isinstance(app.screen, LessonScreen) and app.screen.first_paint_at):
        await asyncio.sleep(0.0005)
    painted = app.screen.first_paint_at - started
    app.back_to_map()
    while isinstance(app.screen, LessonScreen):
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.05)
    return painted


async def whole_mount(widget_factory) -> float:
    """Mount one widget holding the whole long lesson and wait for its first paint."""
    body = long_lesson_body()

    class OneWidget(App):
        def compose(self):
            with VerticalScroll():
                yield widget_factory(body)

    app = OneWidget()
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        await app.query_one(VerticalScroll).remove_children()
        await app.query_one(VerticalScroll).mount(widget_factory(body))
        await pilot.pause()
        return time.perf_counter() - started


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "course"
        write_course(root)
        lines = (root / "zh" / "long.md").read_text(encoding="utf-8").count("\n")
        app = make_app(lessons_dir=root, data_dir=Path(folder) / "data", lang="zh")
        long_times, short_times, jump_times = [], [], []
        async with app.run_test(size=SIZE):
            # Start-up work (parsing every lesson, importing MXNet in a thread) must be over first:
            # it competes for the interpreter and would land on whichever open it overlaps.
            while app.mxnet_status.startswith("MXNet: loading"):
                await asyncio.sleep(0.05)
            await app.workers.wait_for_complete()
            await time_to_first_paint(app, "short")  # a warm-up round: first-use imports and caches
            await time_to_first_paint(app, "long")
            for _ in range(RUNS):
                short_times.append(await time_to_first_paint(app, "short"))
                long_times.append(await time_to_first_paint(app, "long"))
                jump_times.append(await time_to_first_paint(app, "long", section=10))  # what the palette does
    textual_markdown = await whole_mount(Markdown)
    rich_static = await whole_mount(lambda body: Static(__import__("rich.markdown").markdown.Markdown(body)))
    long, short = statistics.median(long_times), statistics.median(short_times)
    print(f"long lesson ({lines} lines), first section painted: {long * 1000:.1f} ms (median of {RUNS})")
    print(f"one-paragraph lesson, first paint: {short * 1000:.1f} ms (median of {RUNS})")
    print(f"for reference, mounting all {lines} lines at once: Textual Markdown {textual_markdown * 1000:.0f} ms, "
          f"rich Markdown in one Static {rich_static * 1000:.0f} ms")
    jump = statistics.median(jump_times)
    print(f"palette jump to the long lesson's last section, painted: {jump * 1000:.1f} ms (median of {RUNS})")
    print(f"jump_ratio={jump / long:.2f}")
    print(f"open_ratio={long / short:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
