"""Spaced review in the real app: a wrong answer today is due on the map tomorrow; R lists it first."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from test_quiz_app import cards, settle, shown, tab_to
from textual.widgets import Static

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.review import ReviewScreen

COURSE = Path(__file__).parent / "fixtures" / "snapshot_quiz_course"
TODAY = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def status(app) -> str:
    return shown(app.screen.query_one("#status-line", Static))


async def test_wrong_today_is_due_on_the_map_tomorrow(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en")
    app.clock.fixed = TODAY
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, CourseMapScreen) and "Due today" not in status(app)
        app.open_lesson("choice")
        await settle(pilot, app)
        card = cards(app)["snap-choice"]
        await tab_to(pilot, app, card)
        await pilot.press("2", "enter")
        assert card.grade is not None and card.grade.outcome == "wrong"
        app.back_to_map()
        await settle(pilot, app)
        assert "Due today" not in status(app)  # a miss comes back tomorrow, not in a minute

        app.clock.fixed = TODAY + timedelta(days=1)
        app.screen.update_status()
        assert "Due today: 1 question to review (R)" in status(app)
        await pilot.press("R")
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen) and [c.quiz.id for c in review.cards] == ["snap-choice"]
        assert "1 question to review, 1 due today" in shown(review.query_one(".review-intro", Static))
        await pilot.press("1", "enter")  # right, at the first try: rescheduled days ahead
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, CourseMapScreen) and "Due today" not in status(app)
    saved = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))["quizzes"]["snap-choice"]
    assert saved["card"]["rating"] == 3 and saved["card"]["due"] > (TODAY + timedelta(days=2)).isoformat()


async def test_the_due_count_in_chinese(isolated_data_dir: Path) -> None:
    from d2l_tui.progress import ProgressStore
    from d2l_tui.quiz.grading import Grade
    from d2l_tui.quiz.records import QuizRecord, after_answer
    from d2l_tui.review.schedule import scheduled_record

    store = ProgressStore.open(isolated_data_dir)
    wrong = after_answer(QuizRecord(), [1], Grade("wrong", True))
    store.quizzes["preface-third-generation"] = scheduled_record(None, wrong, False, TODAY)
    store.save()
    app = make_app(data_dir=isolated_data_dir, lang="zh")  # the shipped course, in Chinese
    app.clock.fixed = TODAY + timedelta(days=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "今天到期：1 道题要复习（R）" in status(app)
        await pilot.press("R")
        await settle(pilot, app)
        intro = shown(app.screen.query_one(".review-intro", Static))
        assert "共 1 道题要复习，其中 1 道今天到期" in intro
