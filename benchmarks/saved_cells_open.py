"""Opening a lesson whose code cells show their saved outputs, against the same lesson never run.

Prints `restore_ratio=X` last: the median time to open the NDArray lesson (33 code cells) and
mount all of it when every cell has a kept result (2,000 characters of output each, shown again
from `workbook/`), divided by the same with an empty workbook, both in this run. The first
paint of each is printed too (it holds only the first section, so it should not change).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.workbook import SavedCell, Workbook, lesson_cells

RUNS = 7
LESSON = "ndarray"
OUTPUT = ("[[0.1 0.2 0.3]\n" * 200)[:2000]


async def measure(data: Path) -> tuple[float, float]:
    """Median seconds to the first paint and to everything mounted."""
    app = make_app(data_dir=data, lang="zh")
    painted, mounted = [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(1.0)
        for _ in range(RUNS):
            started = time.perf_counter()
            app.open_lesson(LESSON)
            while not (isinstance(app.screen, LessonScreen) and app.screen.first_paint_at):
                await pilot.pause(0.005)
            painted.append(time.perf_counter() - started)
            await app.screen.mount_all_now()
            await pilot.pause()
            mounted.append(time.perf_counter() - started)
            app.back_to_map()
            await pilot.pause(0.3)
    return statistics.median(painted), statistics.median(mounted)


def fill(data: Path) -> int:
    """Give every code cell of the lesson a kept result; return how many cells."""
    app = make_app(data_dir=data, lang="zh")
    lesson = app.course.body(app.course.get(LESSON, "zh"))
    book = Workbook.open(data)
    cells = lesson_cells(lesson)
    for key, block in cells:
        result = {"status": "ok", "output": OUTPUT, "value_repr": "<NDArray 3 @cpu(0)>", "duration_s": 0.01}
        book.put(key, SavedCell(block.data["code"], result, time.time()))
    assert book.save()
    return len(cells)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp) / "empty", Path(tmp) / "full"
        count = fill(full)
        empty_paint, empty_all = await measure(empty)
        full_paint, full_all = await measure(full)
    print(f"{count} cells; first paint: never run {empty_paint * 1000:.0f} ms, saved {full_paint * 1000:.0f} ms")
    print(f"all mounted: never run {empty_all * 1000:.0f} ms, saved {full_all * 1000:.0f} ms")
    print(f"restore_ratio={full_all / empty_all:.2f}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
