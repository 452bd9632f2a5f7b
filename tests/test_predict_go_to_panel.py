"""A committed prediction takes the learner to its panel with `g`; the card and the footer name keys alike;
the end-of-lesson notice tells unanswered questions from waiting predictions and wrong answers."""

from __future__ import annotations

from pathlib import Path

from mxnet_tests import mxnet_or_skip
from test_app import settle
from test_predict_app import cards, said, show_quiz_section, wait_for_run
from test_quiz_footer import footer
from textual.containers import VerticalScroll
from textual.widget import Widget

from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.quiz_parts import ActionBar
from d2l_tui.ui.widgets.training_panel import TrainingPanel

mxnet_or_skip()

BELOW_COURSE = Path(__file__).parent / "fixtures" / "predict_below_course"
TWO_TEST, LINE = "underfit-overfit-predict-two-test", "softmax-preview-poly-line"


def top_in_view(app, widget: Widget) -> bool:
    """True when the widget's top line is inside the lesson's visible area."""
    content = app.screen.query_one("#content", VerticalScroll).region
    return widget.region.height > 0 and content.y <= widget.region.y < content.bottom


async def focus_card(pilot, card: Widget) -> None:
    """Bring a card into view, then focus it (focus on a block out of view goes back to the lesson's text)."""
    card.screen.scroll_to_widget(card, animate=False, immediate=True)
    card.focus()
    await pilot.pause()


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_g_takes_a_waiting_prediction_to_its_panel_above_past_the_other_cards(isolated_data_dir: Path) -> None:
    """Four predict cards share underfit-overfit's panel: from the third, `g` is one press, filled for its run."""
    app = make_app(lessons_dir=shipped_lessons_dir(), data_dir=isolated_data_dir, lang="zh", open_lesson="underfit-overfit")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        quiz = await show_quiz_section(pilot, app, TWO_TEST)
        two, line = quiz[TWO_TEST], quiz[LINE]
        panel = next(p for p in screen.query(TrainingPanel) if p.key == "softmax-preview-poly")
        for card, option in ((two, 1), (line, 1)):  # "10 or more" for two examples; the line's prediction last
            await focus_card(pilot, card)
            await pilot.press(str(card.order.index(option) + 1), "enter")
            assert card.pending
        assert panel.config.examples == 100 and panel.config.degree == 1  # the last commit filled the panel

        await focus_card(pilot, two)
        words = said(two)
        assert "按 g 到面板" in words and "Shift+Tab" not in words, words
        keys = footer(app)
        assert "到面板" in keys and "改预测" in keys and "再试一次" not in keys, keys  # as the card's buttons say
        assert "到面板 g" in str(two.query_one(ActionBar).content) and "改预测 r" in str(two.query_one(ActionBar).content)
        assert not top_in_view(app, panel), "the panel starts out of view, above the cards"

        await pilot.press("g")
        await pilot.pause()
        assert app.focused is panel, app.focused
        assert top_in_view(app, panel)
        # Filled again with this card's run, not the line's committed after it.
        assert (panel.config.degree, panel.config.examples, panel.config.batch_size) == (3, 2, 2)
        runs = len(panel.history)
        await pilot.press("enter")
        await wait_for_run(pilot, panel, runs)
        assert two.grade is not None and two.grade.outcome == "right", said(two)
        assert line.pending and line.grade is None  # that run was not the line's
        await focus_card(pilot, two)
        assert "到面板" not in footer(app) and "再试一次" in footer(app), (app.focused, footer(app))


async def test_g_and_the_card_s_button_reach_a_panel_below_that_then_grades_it(isolated_data_dir: Path) -> None:
    """A card above its panel (far down the lesson) says `g` too, and its "Go to the panel" button does the same."""
    app = make_app(lessons_dir=BELOW_COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="below")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        card = cards(app)["below-big-lr"]
        panel = app.screen.query_one(TrainingPanel)
        await focus_card(pilot, card)
        assert "Go to the panel" not in footer(app)  # nothing is committed yet
        await pilot.press(str(card.order.index(1) + 1), "enter")  # "it diverges"
        words = said(card)
        assert "Now run the panel below with lr = 3: press g to go to it, check the value filled in, press Enter." in words
        assert "Change prediction" in footer(app) and "Try again" not in footer(app), footer(app)
        assert not top_in_view(app, panel)

        await pilot.click(card.query_one(ActionBar), offset=(2, 0))  # the first button: "Go to the panel g"
        await pilot.pause()
        assert app.focused is panel and top_in_view(app, panel)

        await focus_card(pilot, card)  # back up, and the key this time
        assert not top_in_view(app, panel)
        await pilot.press("g")
        await pilot.pause()
        assert app.focused is panel and top_in_view(app, panel) and panel.config.lr == 3
        await pilot.press("enter")
        await wait_for_run(pilot, panel, 0)
        assert card.grade is not None and card.grade.outcome == "right", said(card)

        await focus_card(pilot, card)
        assert "Go to the panel" not in footer(app)
        await pilot.press("g")  # graded: g is the lesson's "top" again, not the panel
        await pilot.pause()
        assert app.focused is not panel


async def test_the_end_of_a_lesson_tells_unanswered_from_waiting_and_wrong(isolated_data_dir: Path) -> None:
    """Nothing answered reads "not answered", not "not answered right"; later each kind is counted apart."""
    app = make_app(lessons_dir=BELOW_COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="below")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        await pilot.pause(0.2)
        told = [n for n in notices(app) if "结尾" in n]
        assert told and "还有 2 道题没答。" in told[0] and "没答对" not in told[0], notices(app)

    app = make_app(lessons_dir=BELOW_COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="below")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        quiz = cards(app)
        predict, choice = quiz["below-big-lr"], quiz["below-choice"]
        await focus_card(pilot, predict)
        await pilot.press("1", "enter")
        await focus_card(pilot, choice)
        await pilot.press(str(choice.order.index(1) + 1), "enter")  # "0.3": wrong
        assert predict.pending and choice.grade is not None and choice.grade.outcome == "wrong"
        await pilot.press("G")
        await settle(pilot, app)
        await pilot.pause(0.2)
        told = [n for n in notices(app) if "End of the lesson" in n]
        assert told, notices(app)
        assert "1 prediction waiting for a run of its panel; 1 question not yet answered right." in told[0], told[0]
        assert "not answered yet" not in told[0]
