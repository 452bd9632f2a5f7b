"""Predict quizzes in the real app: commit by keyboard, train the real panel with MXNet, be graded by the run."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from rich.console import Console
from test_app import settle
from textual.widgets import Static

from d2l_tui.quiz.predict import RunSummary
from d2l_tui.quiz.predict_grading import grade_prediction, why_unsettled
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.screens.review import ReviewScreen
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.training_panel import TrainingPanel
from d2l_tui.ui.widgets.training_parts import SettingInput

COURSE = Path(__file__).parent / "fixtures" / "predict_course"
SIZE = (100, 30)
RUN_DEADLINE_S = 60.0
"""A generous limit for one small run (MXNet loads in the first one); it normally takes a second or two."""
BIG_LR, SMALL_LOSS = "predict-big-lr", "predict-small-loss"


def shown(widget: Static) -> str:
    """The text a widget shows, or '' when it is hidden."""
    if not widget.display:
        return ""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def said(card: QuizCard) -> str:
    return " ".join(shown(card.query_one("#feedback", Static)).split())


def cards(app) -> dict[str, QuizCard]:
    return {card.quiz.id: card for card in app.screen.query(QuizCard)}


async def show_quiz_section(pilot, app, quiz_id: str) -> dict[str, QuizCard]:
    """Jump to the section of the lesson on screen that holds `quiz_id`, as the outline does; its cards by id."""
    screen = app.screen
    section = next(i for i, s in enumerate(screen.lesson.sections)
                   if any(getattr(item, "data", {}).get("id") == quiz_id for item in s.items))
    screen.jump_to((section, -1))
    await settle(pilot, app)
    return cards(app)


async def tab_to(pilot, app, widget) -> None:
    """Reach a widget with Tab alone, as a learner would."""
    for _ in range(30):
        if app.focused is widget:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {widget}; focus is on {app.focused}")


async def commit(pilot, app, card: QuizCard, option: int) -> None:
    """Choose an option (its index in the lesson file) with its digit, and commit it with Enter."""
    await tab_to(pilot, app, card)
    await pilot.press(str(card.order.index(option) + 1), "enter")
    assert card.pending and card.chosen == {option}


async def wait_for_run(pilot, panel: TrainingPanel, runs_before: int) -> None:
    """Poll until the panel's run ended and its message was handled (the trainer holds the GIL at times)."""
    deadline = time.monotonic() + RUN_DEADLINE_S
    while len(panel.history) <= runs_before or panel.view.active:
        assert time.monotonic() < deadline, f"the run did not end within {RUN_DEADLINE_S} s"
        await pilot.pause(0.1)
    await pilot.pause()


def stored(data_dir: Path) -> dict:
    return json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))["quizzes"]


async def test_predictions_are_graded_by_the_panels_runs_and_kept(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="predict")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        quiz = cards(app)
        big, small = quiz[BIG_LR], quiz[SMALL_LOSS]
        panel = app.screen.query_one(TrainingPanel)
        assert "About a run of the panel “Small run” above with lr = 3." in shown(big.query_one("#about", Static))

        await commit(pilot, app, big, 1)  # "it diverges": right
        assert "Your prediction is in. Now run the panel above with lr = 3: press g to go to it" in said(big)
        assert stored(isolated_data_dir)[BIG_LR]["answer"] == {"option": 1}
        await pilot.press("2")
        assert big.chosen == {1}, "a committed prediction is locked"
        await commit(pilot, app, small, 1)  # "it diverges": wrong

        # The lesson's own lr (0.3) settles the second quiz only.
        await tab_to(pilot, app, panel)
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert small.grade is not None and small.grade.outcome == "wrong"
        assert "✘ Wrong" in said(small) and "The final loss was" in said(small)
        assert "noise floor" not in said(small)  # the explanation waits for a right try, a reveal or the third
        assert big.pending and big.grade is None
        assert "That run used lr = 0.3; this prediction is about lr = 3." in said(big)

        # As the card says: Shift+Tab back to the panel's lr field, type 3, Enter. It diverges: right.
        await tab_to(pilot, app, big)
        await pilot.press("shift+tab")
        assert app.focused is panel.query_one(SettingInput)
        await pilot.press("home", "ctrl+k", "3", "enter")
        await wait_for_run(pilot, panel, 1)
        assert big.grade is not None and big.grade.outcome == "right", said(big)
        assert "✔ Right" in said(big) and "The run diverged at step" in said(big)
        assert big.record.correct and big.record.attempts == 1
        assert small.grade.outcome == "wrong", "a graded prediction stays graded"

        # A new prediction for the second quiz waits for a run, across a restart.
        await tab_to(pilot, app, small)
        await pilot.press("r")
        await commit(pilot, app, small, 0)
        first_words = said(big)

    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="predict")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        quiz = cards(app)
        big, small = quiz[BIG_LR], quiz[SMALL_LOSS]
        assert big.grade is not None and big.grade.outcome == "right" and said(big) == first_words
        assert small.pending and small.chosen == {0} and small.record.attempts == 1
        assert "Your prediction is in." in said(small)

        # The missed prediction is on the review list; o opens its lesson, where its panel is.
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        review_card = cards(app)[SMALL_LOSS]
        assert "Press o to open the lesson and run its panel there with lr = 0.3." in said(review_card)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "predict"
        assert app.focused is cards(app)[SMALL_LOSS] and app.focused.pending


def test_what_a_run_that_does_not_settle_says() -> None:
    data = {"panel": "p", "settings": {"lr": 3}, "options": [{"text": "up", "outcome": "diverges"}]}
    stopped = RunSummary("p", {"lr": 3}, diverged=False, final_loss=None, completed=False)
    assert why_unsettled(data, stopped, "stopped", "en") == "That run was stopped before its end, so it does not settle this prediction."
    other = RunSummary("p", {"lr": 0.03}, diverged=False, final_loss=5e-5, completed=True)
    assert why_unsettled(data, other, "finished", "zh") == "那次训练用的是 lr = 0.03；这道题预测的是 lr = 3。"
    assert why_unsettled(data, RunSummary("q", {"lr": 0.03}, False, 5e-5, True), "finished", "en") is None
    diverged = RunSummary("p", {"lr": 3.0}, diverged=True, final_loss=None, completed=False)
    assert why_unsettled(data, diverged, "diverged", "en") is None
    assert grade_prediction(data, 0, diverged, "en", step=6).message == "The run diverged at step 6."
    assert grade_prediction(data, 0, other, "en").outcome == "wrong"
