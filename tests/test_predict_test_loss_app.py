"""A prediction about the test loss, in the shipped weight-decay lesson, graded by a real high-dim run."""

from __future__ import annotations

from pathlib import Path

from mxnet_tests import mxnet_or_skip
from test_app import settle
from test_predict_app import said, show_quiz_section, stored, wait_for_run

from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.classify_overfit_panel import OverfitPanel
from d2l_tui.ui.widgets.quiz_card import QuizCard

mxnet_or_skip()

QUIZ = "weight-decay-predict-test"


async def test_weight_decays_test_loss_prediction_is_graded_by_the_panels_run(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=shipped_lessons_dir(), data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        card: QuizCard = (await show_quiz_section(pilot, app, QUIZ))[QUIZ]
        panel = next(p for p in app.screen.query(OverfitPanel) if p.key.endswith("weight-decay-high-dim"))
        card.focus()
        await pilot.pause()
        await pilot.press(str(card.order.index(0) + 1), "enter")  # "Yes, below 1"
        assert card.pending and card.chosen == {0}
        assert panel.config.weight_decay == 3  # committing filled the panel with the quiz's λ
        await pilot.press("g")  # "press g to go to it", as the card says
        await settle(pilot, app)
        assert app.focused is panel, app.focused
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert card.grade is not None and card.grade.outcome == "right", said(card)
        assert "The test loss after the last epoch was 0.0098" in said(card), said(card)
        assert "the training loss was 0.00039" in said(card), said(card)
        run = stored(isolated_data_dir)[QUIZ]["answer"]["run"]
        assert abs(run["test_loss"] - 0.0098) < 0.0005, run
