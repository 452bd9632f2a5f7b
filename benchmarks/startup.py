"""Startup: process start to the first lesson paragraph on the terminal, against a minimal Textual app.

Prints `startup_ratio=X` last: d2l-tui's time divided by the time a one-widget Textual app
takes to show one Markdown paragraph, both measured here in the same run (median of runs).
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import PYTHON, median, time_until_text  # noqa: E402

from d2l_tui.course.catalog import Course  # noqa: E402
from d2l_tui.paths import shipped_lessons_dir  # noqa: E402

RUNS = 5
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
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE.format(text=f"{marker} to the baseline paragraph."), encoding="utf-8")
        tutor = [PYTHON, "-m", "d2l_tui", "--data-dir", str(Path(folder) / "data"), "--lang", "en", "--open", "preface"]
        baseline_times, tutor_times = [], []
        for _ in range(RUNS):
            baseline_times.append(time_until_text([PYTHON, str(script)], marker))
            tutor_times.append(time_until_text(tutor, marker))
    base, ours = median(baseline_times), median(tutor_times)
    print(f"minimal Textual app, one paragraph: {base * 1000:.0f} ms (median of {RUNS})")
    print(f"d2l-tui, preface's first paragraph: {ours * 1000:.0f} ms (median of {RUNS})")
    print(f"startup_ratio={ours / base:.2f}")


if __name__ == "__main__":
    main()
