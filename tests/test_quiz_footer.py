"""The Footer and the card agree: no "Show answer" once shown or right, "Commit" on a predict card, plain plot keys."""

from __future__ import annotations

from pathlib import Path

from test_app import settle
from test_quiz_app import cards, digit, shown, tab_to
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from d2l_tui.quiz.grading import Grade
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.function_plot import FunctionPlotPanel
from d2l_tui.ui.widgets.quiz_card import QuizCard

PREDICT_COURSE = Path(__file__).parent / "fixtures" / "predict_course"


def footer(app) -> list[str]:
    """The key descriptions the Footer shows now."""
    return [key.description for key in app.screen.query(FooterKey)]


async def test_show_answer_leaves_the_footer_once_revealed_or_right(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="preface")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        quiz = cards(app)
        choice, multi = quiz["preface-programming-with-data"], quiz["preface-third-generation"]
        await tab_to(pilot, app, choice)
        await pilot.pause()
        assert "Show answer" in footer(app)
        await pilot.press("s")
        await pilot.pause()
        assert choice.shown_answer and "Show answer" not in footer(app) and "Try again" in footer(app)
        await pilot.press("r")  # a new try offers it again
        await pilot.pause()
        assert "Show answer" in footer(app)
        await tab_to(pilot, app, multi)
        await pilot.press(digit(multi, 0), digit(multi, 2), digit(multi, 3), "enter")
        await pilot.pause()
        assert multi.grade is not None and multi.grade.outcome == "right"
        assert "Show answer" not in footer(app)


async def test_a_predict_card_s_enter_says_commit_in_both_languages(isolated_data_dir: Path) -> None:
    for lang, word, check in (("en", "Commit", "Check"), ("zh", "提交预测", "提交")):
        app = make_app(lessons_dir=PREDICT_COURSE, data_dir=isolated_data_dir / lang, lang=lang, open_lesson="predict")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            card = next(iter(cards(app).values()))
            card.focus()
            await pilot.pause()
            assert word in footer(app) and check not in footer(app), footer(app)
            await pilot.press("1", "enter")  # Enter still commits
            assert card.pending


async def test_a_wrong_prediction_keeps_the_explanation_until_the_third_try(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=PREDICT_COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="predict")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        card: QuizCard = next(iter(cards(app).values()))
        explain = " ".join(card.quiz.explain.split())[:30]
        card.grade = Grade("wrong", "The run did otherwise.")
        card.refresh_card()
        said = " ".join(shown(card.query_one("#feedback", Static)).split())
        assert "The run did otherwise." in said and explain not in said
        card.grade = Grade("right", "As predicted.", 1.0)
        card.refresh_card()
        assert explain in " ".join(shown(card.query_one("#feedback", Static)).split())


async def test_the_plot_s_keys_say_which_way_the_tangent_moves(isolated_data_dir: Path) -> None:
    for lang, words in (("en", ["Move tangent left", "Move tangent right"]), ("zh", ["切线左移", "切线右移"])):
        app = make_app(data_dir=isolated_data_dir / lang, lang=lang, open_lesson="calculus")
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot, app)
            app.screen.query(FunctionPlotPanel).first().focus()
            await pilot.pause()
            assert all(word in footer(app) for word in words), footer(app)
            assert not any("←" in key or "→" in key for key in footer(app))
