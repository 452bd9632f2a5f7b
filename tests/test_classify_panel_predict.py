"""A predict quiz about a classifier's test accuracy, graded by a real MXNet MLP run of its panel."""

from __future__ import annotations

from pathlib import Path

from test_classify_panel import COURSE
from test_predict_app import cards, commit, said, stored, tab_to, wait_for_run

from d2l_tui.quiz.predict import RunSummary, option_holds
from d2l_tui.quiz.predict_grading import graded_answer, read_answer
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.classify_panel import ClassifyPanel
from d2l_tui.ui.widgets.quiz_card import QuizCard

QUIZ = "mlp-dropout-predict"


def test_accuracy_outcomes_and_their_record() -> None:
    run = RunSummary("p", {}, False, 0.3, True, None, 0.93)
    assert option_holds({"test_acc_above": 0.9}, run) and not option_holds(
        {"test_acc_below": 0.9}, run
    )
    diverged = RunSummary("p", {}, True, None, False)
    assert option_holds({"test_acc_below": 0.9}, diverged)
    assert not option_holds({"test_acc_above": 0.1}, diverged)
    data = {"panel": "p", "options": [{}, {}]}
    _, summary, _ = read_answer(data, graded_answer(1, run, None))
    assert summary is not None and summary.test_acc == 0.93


async def test_dropout_prediction_is_graded_by_the_mlp_run(isolated_data_dir: Path) -> None:
    app = make_app(
        lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="classify"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        card: QuizCard = cards(app)[QUIZ]
        panel = next(p for p in app.screen.query(ClassifyPanel) if p.key == "mlp-digits")
        await commit(pilot, app, card, 0)  # "above 80%"
        # Committing fills the panel with the quiz's settings: dropout 0.5.
        assert panel.config.dropout == 0.5
        await tab_to(pilot, app, panel)
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert panel.state.test_acc[-1] > 0.8
        assert card.grade is not None and card.grade.outcome == "right", said(card)
        assert "最后一个周期后的测试准确率是" in said(card)
        run = stored(isolated_data_dir)[QUIZ]["answer"]["run"]
        assert abs(run["test_acc"] - panel.state.test_acc[-1]) < 1e-9
