"""Quizzes in the real app, by keyboard: every kind right, wrong and partly right; restart; reveal; review."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Static

from d2l_tui.quiz import code_grading
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.screens.review import ReviewScreen
from d2l_tui.ui.widgets.directive_card import DirectiveCard
from d2l_tui.ui.widgets.prose import ProseBlock
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.quiz_parts import ActionBar, AnswerArea, OptionLine

pytestmark = pytest.mark.every_python  # the app's core flows, on each supported Python (.ci/run)

SIZE = (100, 30)


async def settle(pilot, app) -> None:
    """Let background mounting, loading and grading finish."""
    for _ in range(3):  # the lesson starts mounting its later blocks only after its first paint
        await app.workers.wait_for_complete()
        await pilot.pause()


def cards(app) -> dict[str, QuizCard]:
    return {card.quiz.id: card for card in app.screen.query(QuizCard)}


async def tab_to(pilot, app, card: QuizCard) -> None:
    """Reach a quiz card with Tab alone, as a learner would."""
    for _ in range(60):
        if app.focused is card or (app.focused is not None and card in app.focused.ancestors):
            return  # a numeric or code quiz's Tab stop is its answer box
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {card.quiz.id}; focus is on {app.focused}")


def digit(card: QuizCard, option: int) -> str:
    """The key that chooses an option (by its index in the lesson file) on this learner's card."""
    return str(card.order.index(option) + 1)


def shown(widget: Static) -> str:
    """The text a widget shows, or '' when it is hidden."""
    if not widget.display:
        return ""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def verdict(card: QuizCard) -> str:
    return shown(card.query_one("#feedback", Static))


def stored(data_dir: Path) -> dict:
    return json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))["quizzes"]


async def test_every_kind_by_keyboard_then_restored_after_a_restart(isolated_data_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(code_grading, "ANSWER_TIMEOUT_S", 1.5)
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        quiz = cards(app)
        choice, multi = quiz["environment-numpy-pin"], quiz["environment-wheels"]
        number, code = quiz["environment-arange-last"], quiz["environment-arange-grid"]

        # choice: wrong with a digit, then `r` and the arrows to the right one
        await tab_to(pilot, app, choice)
        await pilot.press(digit(choice, 0), "enter")
        assert choice.grade.outcome == "wrong" and "✘ Wrong" in verdict(choice)
        assert "np.bool" not in verdict(choice)  # the explanation waits for a right answer
        await pilot.press("r")
        assert choice.grade is None and not choice.chosen
        for _ in range(len(choice.order)):
            if choice.chosen == {1}:
                break
            await pilot.press("down")
        await pilot.press("enter")
        assert choice.grade.outcome == "right" and choice.record.attempts == 2

        # multi: wrong, partly right, right (Space ticks the option under the cursor)
        await tab_to(pilot, app, multi)
        await pilot.press(digit(multi, 1), "enter")
        assert multi.grade.outcome == "wrong"
        await pilot.press("r", digit(multi, 0), "enter")
        assert multi.grade.outcome == "partial" and "◐ Partly right" in verdict(multi) and "1 of 2" in verdict(multi)
        await pilot.press("r", digit(multi, 0))
        while multi.order[multi.cursor] != 2:
            await pilot.press("down")
        await pilot.press("space", "enter")
        assert multi.grade.outcome == "right" and multi.record.attempts == 3

        # numeric: typing on the card starts the answer; text is refused without costing an attempt
        await tab_to(pilot, app, number)
        await pilot.press("1", "2", "enter")
        assert number.grade.outcome == "wrong" and "12 is too high" in verdict(number)
        await pilot.press("r")
        box = number.query_one("#number", Input)
        assert app.focused is box and box.value == ""
        await pilot.press(*"eleven", "enter")
        assert number.grade is None and "is not a number" in verdict(number) and number.record.attempts == 1
        await pilot.press(*["backspace"] * 6, "1", "1", "enter")
        assert number.grade.outcome == "right" and number.record.attempts == 2
        lesson_screen = app.screen
        await pilot.press("escape")  # the learner still means "leave the box": the lesson stays
        assert app.screen is lesson_screen and app.focused is number

        # code: an endless loop is stopped while the app keeps answering keys; then wrong, then right
        await tab_to(pilot, app, code)
        await pilot.press("enter")
        assert isinstance(app.focused, AnswerArea)
        await pilot.press(*"while True: pass", "enter")
        assert code.checking and app.busy()
        await pilot.press("escape", "h")  # the UI is responsive while the loop runs
        assert app.focused is code and code.hint_shown
        await settle(pilot, app)
        assert code.grade.outcome == "wrong" and "stopped after 1.5 s" in verdict(code)
        await pilot.press("r", "f7", *"nd.arange(12)", "enter")
        await settle(pilot, app)
        assert code.grade.outcome == "wrong" and "shape is (12,)" in verdict(code)
        await pilot.press("r")  # a new try starts from an empty box; Ctrl+Z brings the tried code back
        area = code.query_one(AnswerArea)
        assert area.text == "" and app.focused is area and "Ctrl+Z" in shown(code.query_one(ActionBar))
        await pilot.press("ctrl+z")
        assert area.text == "nd.arange(12)"
        await pilot.press("end", *".reshape((3, 4))", "enter")
        await settle(pilot, app)
        assert code.grade.outcome == "right", verdict(code)
        assert code.record.attempts == 3

        keys = quiz["environment-keys"]
        await tab_to(pilot, app, keys)
        await pilot.press("s")  # shown, not answered
        assert keys.shown_answer and keys.record.revealed and keys.record.attempts == 0

        saved = stored(isolated_data_dir)
        assert saved["environment-numpy-pin"]["answer"] == 1 and saved["environment-numpy-pin"]["correct"] is True
        assert saved["environment-wheels"]["answer"] == [0, 2]
        assert saved["environment-arange-last"]["answer"] == "11"
        assert saved["environment-arange-grid"]["answer"] == "nd.arange(12).reshape((3, 4))"
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, CourseMapScreen)
        scores = {row.lesson.id: row.score for row in app.screen.rows}
        assert scores["environment"] == "4/5"  # the map shows right/total
        await pilot.press("q")

    again = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="environment")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        quiz = cards(again)
        restored = {qid: (card.grade.outcome if card.grade else None, card.record.attempts) for qid, card in quiz.items()}
        assert restored == {
            "environment-numpy-pin": ("right", 2), "environment-wheels": ("right", 3),
            "environment-arange-last": ("right", 2), "environment-arange-grid": ("right", 3),
            "environment-keys": (None, 0),
        }
        assert quiz["environment-keys"].shown_answer and quiz["environment-keys"].locked
        assert quiz["environment-numpy-pin"].chosen == {1} and quiz["environment-wheels"].chosen == {0, 2}
        assert quiz["environment-arange-last"].query_one("#number", Input).value == "11"
        assert quiz["environment-arange-grid"].query_one(AnswerArea).text == "nd.arange(12).reshape((3, 4))"
        assert "✔ 正确" in verdict(quiz["environment-wheels"])  # shown in the lesson's language
        assert quiz["environment-wheels"].border_subtitle == "已答 3 次"


async def test_reveal_then_review_until_right_twice(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        quiz = cards(app)
        choice, multi = quiz["preface-programming-with-data"], quiz["preface-third-generation"]
        await tab_to(pilot, app, choice)
        await pilot.press("s")
        assert choice.shown_answer and choice.record.revealed and "已显示答案" in verdict(choice)
        marked = [line for line in choice.query(OptionLine) if "✔ 答案" in shown(line)]
        assert len(marked) == 1 and choice.order[marked[0].position] == 1
        await tab_to(pilot, app, multi)
        await pilot.press(digit(multi, 1), "enter")
        assert multi.grade.outcome == "wrong"
        order_before = list(multi.order)

        await pilot.press("R")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert [card.quiz.id for card in review.cards] == ["preface-programming-with-data", "preface-third-generation"]
        first = review.cards[0]
        assert app.focused is first and not first.locked  # ready for a new answer
        assert review.cards[1].order == order_before  # the same option order as in the lesson
        await pilot.press(digit(first, 1), "enter")
        assert first.grade.outcome == "right" and review.remaining == ["preface-programming-with-data", "preface-third-generation"]
        assert "再答对一次" in shown(review.query_one("#note-0", Static))
        await pilot.press("r", digit(first, 1), "enter")
        assert review.remaining == ["preface-third-generation"]
        assert "离开复习列表" in shown(review.query_one("#note-0", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)
        # The lesson's card shows what happened in the review.
        assert choice.record.attempts == 2 and choice.grade.outcome == "right"
        await pilot.press("R")
        assert [card.quiz.id for card in app.screen.cards] == ["preface-third-generation"]
        await pilot.press("l")  # the same list, in English
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen) and [card.quiz.id for card in review.cards] == ["preface-third-generation"]
        assert review.homes[0].lang == "en" and "to review" in shown(review.query_one(".review-intro", Static))
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.lang == "en"  # the lesson followed
    saved = stored(isolated_data_dir)
    assert saved["preface-programming-with-data"]["missed"] is False and saved["preface-programming-with-data"]["revealed"] is True
    assert saved["preface-third-generation"]["missed"] is True


LESSON = """---
id: quizzes
title: Quizzes
order: 1
lang: en
---

# Quizzes

Before the questions.

```quiz
id: good
kind: choice
prompt: Which one?
options: [this, that]
answer: 0
explain: This one.
shuffle: false
```

```quiz
id: broken
kind: choice
prompt: Which one?
options: [this, that]
answer: 7
explain: Nobody can tell.
```

After the questions.
"""


def quiz_course(tmp_path: Path) -> Path:
    """A course folder holding only LESSON."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "quizzes.md").write_text(LESSON, encoding="utf-8")
    return course


async def test_a_broken_quiz_is_shown_as_broken_and_the_lesson_completes_without_it(tmp_path: Path, isolated_data_dir: Path) -> None:
    course = quiz_course(tmp_path)
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="quizzes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        broken = screen.query_one(DirectiveCard)
        assert broken.has_class("-broken") and broken.block.data["id"] == "broken"
        assert "answer 7 points past the options" in shown(broken)
        assert [p.prose.markdown for p in screen.query(ProseBlock)] == ["Before the questions.", "After the questions."]
        assert list(cards(app)) == ["good"]
        await pilot.press("G")
        await settle(pilot, app)
        assert screen.at_end() and not app.progress.lesson("quizzes").completed  # a quiz is still open
        assert any("1 question not answered yet" in n.message for n in app._notifications)
        good = cards(app)["good"]
        # The mouse works too: click the second option, then the "Check" label.
        await pilot.click(good.query(OptionLine)[1])
        await pilot.click(good.query_one(ActionBar), offset=(2, 0))
        assert app.focused is good and good.chosen == {1} and good.grade.outcome == "wrong"
        assert not app.progress.lesson("quizzes").completed
        await pilot.press("r", "1", "enter")
        assert app.progress.lesson("quizzes").completed  # the end was reached, and now the quiz is right
        await pilot.press("escape")
        row = app.screen.rows[0]
        assert row.status == "broken" and row.score == "1/1"  # the map marks the problem; the broken quiz is not counted
        assert app.screen.query_one(DataTable).row_count == 1


async def test_an_end_reached_in_one_session_completes_the_lesson_when_its_quiz_is_done_in_the_next(tmp_path: Path, isolated_data_dir: Path) -> None:
    course = quiz_course(tmp_path)
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="quizzes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        assert app.progress.lesson("quizzes").end_reached and not app.progress.lesson("quizzes").completed
    again = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="quizzes")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert again.progress.lesson("quizzes").end_reached  # read back from the file
        good = cards(again)["good"]
        good.focus()
        await pilot.press("1", "enter")
        assert good.grade.outcome == "right"
        assert again.progress.lesson("quizzes").completed  # no need to scroll to the end again
