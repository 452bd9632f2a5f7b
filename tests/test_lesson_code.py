"""Every code cell of every shipped lesson runs, in order, and shows what its `expect` says."""

from __future__ import annotations

from pathlib import Path

import pytest

from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.kernel import Kernel
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.ui.kernels import has_code_cells, lesson_setup
from d2l_tui.ui.widgets.cell_output import displayed_text

CELL_TIMEOUT_S = 120


def _normalized(text: str) -> str:
    """Compare text the way `expect` is documented: trailing whitespace ignored."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def cell_problems(lesson: Lesson) -> list[str]:
    """Run the lesson's code cells in one kernel, as a learner would; say what went wrong where."""
    problems: list[str] = []
    with Kernel(lesson_setup(lesson)) as kernel:
        for block in lesson.blocks:
            if block.type != "code":
                continue
            where = f"{lesson.path}:{block.line}"
            if block.broken:
                problems.append(f"{where}: the code block is broken: {block.problems[0].message}")
                continue
            result = kernel.run(block.data["code"], timeout=CELL_TIMEOUT_S)
            problems += [f"{where}: {notice}" for notice in result.notices]
            if not result.ok:
                problems.append(f"{where}: the cell ended with {result.status.value}:\n{result.text}")
                continue
            expect = block.data.get("expect")
            shown = displayed_text(result)
            if isinstance(expect, str) and _normalized(shown) != _normalized(expect):
                problems.append(f"{where}: expected\n{expect.rstrip()}\nbut the cell showed\n{shown.rstrip()}")
    return problems


def shipped_lessons_with_code() -> list[Lesson]:
    return [lesson for lesson in Course.load(shipped_lessons_dir()).lessons if has_code_cells(lesson)]


def each_lesson() -> list[object]:
    """Every shipped lesson with cells; the English ones marked `second_language`: their code is the
    Chinese lesson's but for comments and printed words (checked when this was written), so the 3.10
    and 3.12 legs of .ci/run run the Chinese ones only."""
    return [
        pytest.param(lesson, id=f"{lesson.lang}-{lesson.id}",
                     marks=[pytest.mark.second_language] if lesson.lang == "en" else [])
        for lesson in shipped_lessons_with_code()
    ]


@pytest.mark.parametrize("lesson", each_lesson())
def test_shipped_code_cells_run_and_match_expect(lesson: Lesson) -> None:
    problems = cell_problems(lesson)
    assert not problems, "\n\n".join(problems)


def test_the_shipped_course_has_cells_to_check() -> None:
    lessons = shipped_lessons_with_code()
    languages = {lesson.lang for lesson in lessons}
    assert languages == {"zh", "en"}, languages
    assert any("expect" in block.data for lesson in lessons for block in lesson.blocks)


LESSON_WITH_MISTAKES = """---
id: mistakes
title: Mistakes
order: 1
---

# Mistakes

```code
setup: |
  base = 10
code: |
  y = nd.ones((2,)) * base
  y
expect: |
  [10. 10.]
  <NDArray 2 @cpu(0)>
```

```code
code: print(y.sum().asscalar())
expect: "21.0"
```

```code
code: undefined_name + 1
```
"""


def test_a_wrong_expect_and_a_failing_cell_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "mistakes.md"
    path.write_text(LESSON_WITH_MISTAKES, encoding="utf-8")
    lesson = load_lesson(path, lang="en")
    fences = [n for n, line in enumerate(LESSON_WITH_MISTAKES.splitlines(), 1) if line == "```code"]
    problems = cell_problems(lesson)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{path}:{fences[1]}: expected\n21.0\nbut the cell showed\n20.0")
    assert problems[1].startswith(f"{path}:{fences[2]}: the cell ended with error")
    assert "NameError" in problems[1]
