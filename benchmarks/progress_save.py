"""Saving progress after one answer: a big progress file against a fresh one.

Prints `save_ratio=X` last: the median time of one answer's save on a big synthetic file (a
100 MB file of 100,000 quiz records with long answers, as a runaway older version or years of
pasted code could leave it) divided by the median time of the same save on a fresh file, both in
this run. The big file is opened first (bounded then: see `progress_checks`); each timed save
changes one quiz record, as answering does. A realistic "years of use" file (every quiz of a
course five times its size, typed code in each) and the open of the 100 MB file are printed too.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from d2l_tui.progress import ProgressStore

SAVES = 30


def synthetic(folder: Path, quizzes: int, answer_chars: int, lessons: int) -> Path:
    """Write a progress file with this many quiz records (each with an answer) and lessons."""
    folder.mkdir(parents=True)
    answer = ("for epoch in range(num_epochs):\n    l = loss(net(X), y)\n" * (answer_chars // 54 + 1))[:answer_chars]
    document = {
        "version": 1,
        "last_lesson": "lesson-0",
        "lessons": {f"lesson-{n}": {"visited": 1.6e9 + n, "completed": n % 3 == 0, "end_reached": True,
                                    "section": n % 7, "item": 2} for n in range(lessons)},
        "quizzes": {f"quiz-{n}": {"attempts": 3, "answer": answer, "outcome": "right", "correct": True,
                                  "revealed": False, "missed": False, "streak": 2, "updated": 1.6e9 + n}
                    for n in range(quizzes)},
        "settings": {"lang": "zh", "theme": "nord"},
    }
    (folder / "progress.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder


def time_saves(store: ProgressStore) -> float:
    """Median seconds of a save that follows one new answer."""
    times = []
    for n in range(SAVES):
        store.quizzes[f"new-{n % 5}"] = {"attempts": n + 1, "answer": "x = nd.arange(12)", "correct": n % 2 == 0,
                                        "updated": time.time()}
        started = time.perf_counter()
        assert store.save(), store.save_problem
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        fresh = time_saves(ProgressStore.open(root / "fresh"))
        years = ProgressStore.open(synthetic(root / "years", quizzes=500, answer_chars=1_500, lessons=60))
        years_save = time_saves(years)
        big = synthetic(root / "big", quizzes=100_000, answer_chars=1_000, lessons=2_000)
        size = (big / "progress.json").stat().st_size
        started = time.perf_counter()
        store = ProgressStore.open(big)
        opened = time.perf_counter() - started
        big_save = time_saves(store)
        after = (big / "progress.json").stat().st_size
    print(f"fresh file: {fresh * 1000:.2f} ms a save (median of {SAVES})")
    print(f"years of use (500 quizzes with 1.5 kB of code each, 60 lessons): {years_save * 1000:.2f} ms a save, "
          f"ratio {years_save / fresh:.2f}")
    print(f"{size / 1e6:.0f} MB file: opened (and bounded) in {opened:.2f} s; {len(store.warnings)} warning(s): "
          + "; ".join(map(str, store.warnings)))
    print(f"{size / 1e6:.0f} MB file: {big_save * 1000:.2f} ms a save; the file is {after / 1e6:.1f} MB after its first save")
    print(f"save_ratio={big_save / fresh:.2f}")


if __name__ == "__main__":
    sys.exit(main())
