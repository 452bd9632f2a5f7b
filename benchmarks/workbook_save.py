"""Saving a code cell's edit: a full workbook against a fresh one.

Prints `save_ratio=X` last: the median time of one edited cell's save (`Workbook.save`, which
merges under the lock and rewrites the lesson's file in `workbook/`) with a workbook holding every
cell of a course ten times the shipped one (100 lessons of 10 cells), each with a full
20,000-character output (the app's cap), divided by the median time of the same save in an empty
workbook, both in this run. Reading the first lesson of the big workbook is printed too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from d2l_tui.ui.kernels import APP_OUTPUT_CHARS
from d2l_tui.workbook import SavedCell, Workbook

SAVES = 30
CELLS = 1000
"""About ten times the shipped course's code cells."""


def full_workbook(folder: Path) -> None:
    """Write a workbook of CELLS cells, each with code and a capped output."""
    output = ("[[0.1 0.2 0.3]\n" * (APP_OUTPUT_CHARS // 15 + 1))[:APP_OUTPUT_CHARS]
    book = Workbook.open(folder)
    for n in range(CELLS):
        result = {"status": "ok", "output": output, "value_repr": f"<NDArray {n} @cpu(0)>", "duration_s": 0.01}
        book.put(f"lesson-{n // 10}/#{n % 10}", SavedCell(f"x = nd.ones(({n}, 3))\nx.sum()", result, 1.0))
    assert book.save()


def median_save(folder: Path) -> float:
    """Median seconds of saving one edited cell, as typing and pausing does."""
    book = Workbook.open(folder)
    times = []
    for n in range(SAVES):
        book.edit("lesson-0/#0", f"x = nd.ones(({n}, 3))")
        started = time.perf_counter()
        assert book.save()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh, full = Path(tmp) / "fresh", Path(tmp) / "full"
        full_workbook(full)
        size = sum(path.stat().st_size for path in (full / "workbook").glob("*.json"))
        started = time.perf_counter()
        Workbook.open(full).get("lesson-0/#0")
        opened = time.perf_counter() - started
        fresh_s, full_s = median_save(fresh), median_save(full)
    print(f"workbook of {CELLS} cells: {size / 1e6:.1f} MB; a lesson's cells read in {opened * 1000:.1f} ms")
    print(f"save one cell: fresh {fresh_s * 1000:.2f} ms, full {full_s * 1000:.1f} ms")
    print(f"save_ratio={full_s / fresh_s:.2f}")


if __name__ == "__main__":
    sys.exit(main())
