"""The real app with a damaged progress file or a data folder it cannot write: it runs and says so once."""

from __future__ import annotations

import json
from pathlib import Path

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.lesson import LessonScreen

SIZE = (100, 30)


async def settle(pilot, app) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def notices(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


async def test_bad_values_are_named_once_in_chinese_and_the_app_runs(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "progress.json").write_text(json.dumps({
        "version": 1,
        "last_lesson": "preface",
        "lessons": {"preface": {"visited": 1.0, "section": "abc"}, "ndarray": ["x"]},
        "settings": {"lang": 7, "theme": "no-such-theme"},
    }), encoding="utf-8")
    app = make_app(data_dir=isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, CourseMapScreen) and app.lang == "zh" and app.theme == "textual-dark"
        said = [message for title, message in notices(app) if title == "部分进度记录被忽略"]
        assert len(said) == 1
        for name in ("lessons.preface.section", "lessons.ndarray", "settings.lang", "settings.theme"):
            assert name in said[0]
        assert "progress.kept-" in said[0] and "ignored" not in said[0]
        assert app.progress.lessons["preface"].visited == 1.0, "the usable values are kept"


async def test_a_file_in_place_of_the_data_folder_is_said_once_and_retried(isolated_data_dir: Path) -> None:
    isolated_data_dir.parent.mkdir(parents=True, exist_ok=True)
    isolated_data_dir.write_text("a file where the data folder should be", encoding="utf-8")
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("l")  # another save (the language), still failing
        await settle(pilot, app)
        assert app.lang == "zh"
        failed = [message for title, message in notices(app) if title in ("Progress not saved", "进度没有保存")]
        assert failed == [
            f"Your progress cannot be saved in {isolated_data_dir}: a file stands where its folder should be. "
            "It is kept while the tutor runs, and every later save tries again."
        ]
        assert app.progress.lessons["preface"].visited and app.progress.settings["lang"] == "zh"
        isolated_data_dir.unlink()
        await pilot.press("t")  # the next save finds a folder it can make
        await settle(pilot, app)
        saved = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))
        assert saved["last_lesson"] == "preface" and saved["settings"]["lang"] == "zh"
        assert app.progress.save_problem is None


TWO_QUIZZES = """---
id: twoq
title: Two quizzes
order: 1
---

# Two quizzes

Before the questions.

```quiz
id: first
kind: choice
prompt: Which one?
options: [this, that]
answer: 0
explain: This one.
shuffle: false
```

```quiz
id: second
kind: choice
prompt: Which other one?
options: [this, that]
answer: 1
explain: That one.
shuffle: false
```
"""


async def answer(pilot, app, quiz_id: str, key: str) -> None:
    """Tab to a quiz card as a learner would, choose an option by its digit and check it."""
    from d2l_tui.ui.widgets.quiz_card import QuizCard

    for _ in range(30):
        if isinstance(app.focused, QuizCard) and app.focused.quiz.id == quiz_id:
            break
        await pilot.press("tab")
    else:
        raise AssertionError(f"Tab never reached {quiz_id}")
    await pilot.press(key, "enter")
    await settle(pilot, app)


async def test_two_windows_on_one_data_folder_keep_both_answers(tmp_path: Path, isolated_data_dir: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    (course / "twoq.md").write_text(TWO_QUIZZES, encoding="utf-8")
    left = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="twoq")
    right = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="twoq")
    async with left.run_test(size=SIZE) as left_pilot, right.run_test(size=SIZE) as right_pilot:
        await settle(left_pilot, left)
        await settle(right_pilot, right)
        await answer(left_pilot, left, "first", "1")  # right
        await answer(right_pilot, right, "second", "1")  # wrong, saved after the left window's answer
        saved = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))["quizzes"]
        assert saved["first"]["correct"] and saved["second"]["outcome"] == "wrong"
        assert right.progress.quizzes["first"]["correct"], "the right window now knows the left one's answer"
        await answer(left_pilot, left, "second", "2")  # the left window puts the second right, later
        saved = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))["quizzes"]
        assert saved["second"]["correct"] and saved["second"]["attempts"] == 1 and saved["first"]["correct"]
