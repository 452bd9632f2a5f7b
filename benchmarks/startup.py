"""Startup: process start to the first lesson paragraph on the terminal, against a minimal Textual app.

Prints `startup_ratio=X` last: d2l-tui's time divided by the time a one-widget Textual app
takes to show one Markdown paragraph, both measured here in the same run (median of runs).
The ratio is for an ordinary start, with the parsed-lesson cache an earlier run wrote; a first
start (an empty cache: every lesson header parsed, and the parsers imported) is printed too.
"""

from __future__ import annotations

import compileall
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import PYTHON, median, time_until_text  # noqa: E402

import d2l_tui  # noqa: E402
from d2l_tui.course.cache import LessonCache  # noqa: E402
from d2l_tui.course.catalog import Course  # noqa: E402
from d2l_tui.paths import CACHE_DIR_ENV, shipped_lessons_dir  # noqa: E402

RUNS = 11
"""Runs of each, interleaved; the ratio is the median of the runs' own ratios, which drifts less
with the machine's load than a ratio of two medians (either median alone moved by 20% between runs)."""
BASELINE = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Markdown

    class OneParagraph(App):
        def compose(self):
            yield Markdown({text!r})

    OneParagraph().run()
    """
)


def first_words(lang: str = "en") -> str:
    """A marker from the preface's first paragraph: its first word."""
    lesson = Course.load(shipped_lessons_dir()).get("preface", lang)
    first = next(item for section in lesson.sections for item in section.items if hasattr(item, "markdown"))
    return first.markdown.split()[0]


def main() -> None:
    marker = first_words()
    # `pip install` byte-compiles the package; an editable checkout run with PYTHONDONTWRITEBYTECODE
    # set would otherwise compile every module from source on each start (Textual's are compiled).
    compileall.compile_dir(Path(d2l_tui.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE.format(text=f"{marker} to the baseline paragraph."), encoding="utf-8")
        tutor = [PYTHON, "-m", "d2l_tui", "--data-dir", str(Path(folder) / "data"), "--lang", "en", "--open", "preface"]
        warm_cache, cold_cache = Path(folder) / "cache", Path(folder) / "empty-cache"
        # What the app's background loading writes after any earlier start.
        Course.load(shipped_lessons_dir(), cache=LessonCache(warm_cache))
        baseline_times, tutor_times, first_start_times = [], [], []
        for _ in range(RUNS):
            baseline_times.append(time_until_text([PYTHON, str(script)], marker))
            tutor_times.append(time_until_text(tutor, marker, env={CACHE_DIR_ENV: str(warm_cache)}))
            first_start_times.append(time_until_text(tutor, marker, env={CACHE_DIR_ENV: str(cold_cache)}))
    base, ours, first = median(baseline_times), median(tutor_times), median(first_start_times)
    print(f"minimal Textual app, one paragraph: {base * 1000:.0f} ms (median of {RUNS})")
    print(f"d2l-tui, preface's first paragraph, first start (no lesson cache): {first * 1000:.0f} ms, ratio {first / base:.2f}")
    print(f"d2l-tui, preface's first paragraph: {ours * 1000:.0f} ms (median of {RUNS})")
    paired = median([t / b for t, b in zip(tutor_times, baseline_times, strict=True)])
    print(f"startup_ratio={paired:.2f}")


if __name__ == "__main__":
    main()
