"""`d2l-tui progress --all`: one line per learner of `d2l-tui serve`, for the teacher."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.carry_over import carry_progress
from d2l_tui.course.catalog import Course
from d2l_tui.progress import ProgressStore
from d2l_tui.serve.learners import known_learners, learner_dir
from d2l_tui.summary import lesson_rows, pad, percent_complete

HEADINGS = {
    "zh": ("学习者", "完成", "课", "测验答对"),
    "en": ("learner", "done", "lessons", "quizzes right"),
}
NOBODY = {
    "zh": "{root} 里还没有学习者（他们在 d2l-tui serve 里学习后会出现在这里）。",
    "en": "No learners in {root} yet (they appear once they learn through d2l-tui serve).",
}


def roster(course: Course, data: Path, lang: str) -> str:
    """Every learner's share of lessons done, lessons done of all, and quiz answers right, aligned."""
    learners = known_learners(data)
    if not learners:
        return NOBODY.get(lang, NOBODY["en"]).format(root=data / "learners")
    lines = []
    width = max(len(name) for name in learners + [HEADINGS["en"][0]]) + 2
    head = HEADINGS.get(lang, HEADINGS["en"])
    lines.append(f"{pad(head[0], width)}{pad(head[1], 7)}{pad(head[2], 10)}{head[3]}")
    for name in learners:
        store = ProgressStore.open(learner_dir(data, name))
        carry_progress(store, course.replaced)  # as the learner's app shows it (read here, never saved)
        rows = lesson_rows(course, store, lang)
        done = sum(row.status == "done" for row in rows)
        right, total = sum(row.right for row in rows), sum(row.quizzes for row in rows)
        lines.append(f"{pad(name, width)}{pad(f'{percent_complete(rows)}%', 7)}{pad(f'{done}/{len(rows)}', 10)}{right}/{total}")
    return "\n".join(lines)
