"""`d2l-tui gpu`: detect and measure this machine with MXNet, draw its roofline, compare it with known GPUs."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time

from d2l_tui.gpulab.measure import Cancelled, Progress

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
PROGRESS_INTERVAL = 0.05
"""Seconds between progress-bar repaints on the terminal (20 a second at most)."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `gpu` options to a (sub)parser."""
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run (about 2 s on two cores) instead of the full one",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default, 80 columns) or one JSON object",
    )
    parser.add_argument(
        "--width", type=int, default=None, help="text width (default: the terminal's, at most 100)"
    )


class _ProgressBar:
    """A one-line progress bar on stderr, repainted at most 20 times a second, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or (
            now - self._last < PROGRESS_INTERVAL and progress.done < progress.total
        ):
            return
        self._last = now
        filled = round(progress.fraction * 30)
        sys.stderr.write(
            f"\r[{'█' * filled}{'·' * (30 - filled)}] {progress.fraction:4.0%} {progress.label[:40]:<40}"
        )
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Detect, measure, print; Ctrl+C cancels the measurement cleanly (exit 130)."""
    from d2l_tui.gpulab.detect import detect
    from d2l_tui.gpulab.export import json_report
    from d2l_tui.gpulab.measure import measure
    from d2l_tui.gpulab.report import text_report
    from d2l_tui.mxnet_env import MXNetUnavailable

    as_json = getattr(args, "format", "text") == "json"
    width = args.width or min(100, shutil.get_terminal_size((80, 24)).columns)
    found = detect()
    if not found.mxnet.available:
        if as_json:
            print(json.dumps({**json_report(found, None), "error": found.mxnet.problem}, indent=2))
        else:
            print(text_report(found, None, width))
            print(
                f"d2l-tui gpu: cannot measure without MXNet. Fix: {found.mxnet.fix}",
                file=sys.stderr,
            )
        return EXIT_FAILED
    bar, cancel = _ProgressBar(), threading.Event()
    try:
        measured = measure(bool(args.quick), on_progress=bar, cancel=cancel)
    except (KeyboardInterrupt, Cancelled):
        cancel.set()
        bar.clear()
        print("d2l-tui gpu: measurement cancelled; nothing was measured.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MXNetUnavailable as missing:
        bar.clear()
        print(f"d2l-tui gpu: {missing.reason} Fix: {missing.fix}", file=sys.stderr)
        return EXIT_FAILED
    bar.clear()
    if as_json:
        print(json.dumps(json_report(found, measured), indent=2, ensure_ascii=False))
    else:
        print(text_report(found, measured, width), end="")
        print(f"(measured in {measured.seconds:.1f} s{', quick run' if measured.quick else ''})")
    return EXIT_OK
