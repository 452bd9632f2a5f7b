"""Cell output: a cell printing 100,000 lines, against one printing 200, in a kernel with the app's cap.

Prints `cell_output_ratio=X` last: the median time of `Kernel.run` for the 100,000-line cell
divided by that of the 200-line cell (the app's whole cap, so both show the same text), both
measured here in the same run, with streaming on as the app uses it. The kernel keeps the first
200 lines and only counts the rest, so the ratio measures the cost of printing and counting
99,800 lines in the kernel, not of shipping or drawing them. For scale it also prints the time of
the same cell in a kernel whose cap is large enough to keep (and ship) every line.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from d2l_tui.kernel import Kernel  # noqa: E402
from d2l_tui.ui.kernels import APP_OUTPUT_CHARS, APP_OUTPUT_LINES  # noqa: E402

RUNS = 7
BASELINE = f"for i in range({APP_OUTPUT_LINES}):\n    print(i)"
SUBJECT = "for i in range(100_000):\n    print(i)"


def median_run(kernel: Kernel, code: str, runs: int = RUNS) -> float:
    """The median seconds `kernel.run(code)` takes, streaming to a callback as the app does."""
    timings = []
    for _ in range(runs):
        chunks: list[str] = []
        started = time.perf_counter()
        result = kernel.run(code, on_output=chunks.append)
        timings.append(time.perf_counter() - started)
        assert result.ok, result.error
    timings.sort()
    return timings[len(timings) // 2]


def main() -> None:
    """Measure both cells in one warm kernel with the app's cap, then the uncapped reference."""
    with Kernel(max_output_chars=APP_OUTPUT_CHARS, max_output_lines=APP_OUTPUT_LINES) as kernel:
        assert kernel.wait_ready(120), "the kernel did not start"
        median_run(kernel, SUBJECT, runs=1)  # warm-up
        baseline = median_run(kernel, BASELINE)
        subject = median_run(kernel, SUBJECT)
    with Kernel(max_output_chars=10**9, max_output_lines=10**9) as uncapped:
        assert uncapped.wait_ready(120), "the kernel did not start"
        everything = median_run(uncapped, SUBJECT, runs=3)
    print(f"200 lines (baseline):           {baseline * 1000:8.1f} ms")
    print(f"100,000 lines, app's cap:       {subject * 1000:8.1f} ms")
    print(f"100,000 lines, all kept/shipped: {everything * 1000:8.1f} ms (for scale)")
    print(f"cell_output_ratio={subject / baseline:.1f}")


if __name__ == "__main__":
    main()
