"""Keys land where the learner looks: Tab into answer boxes, letters stay text, Esc says where focus went."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from test_app import settle

SIZE = (100, 30)
TYPED = "nd.arange(1, 10) * np.pi; t = l.o / g"
"""Code a learner types: every letter here is also an app or lesson key (n, p, l, t, o, g, /)."""


def quiz_card(screen: LessonScreen, kind: str):
    return next(card for card in screen.query("QuizCard") if card.quiz.kind == kind and card.quiz.id)


async def test_shift_tab_onto_a_code_quiz_puts_the_typing_in_its_box(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="autograd")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        card = quiz_card(screen, "code")
        blocks = screen._blocks()
        below = blocks[blocks.index(card) + 1]
        screen._focus_block(below)
        await pilot.pause()
        await pilot.press("shift+tab")
        box = card.query_one(TextArea)
        assert app.focused is box, app.focused
        await pilot.press(*TYPED)
        assert app.screen is screen and screen.lesson.id == "autograd"
        assert TYPED in box.text
        visited = [lid for lid in ("linear-algebra", "calculus", "linear-regression") if app.progress.lesson(lid).visited]
        assert visited == [], visited


async def test_tab_from_the_outline_onto_a_number_question_goes_into_its_box(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="autograd")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        card = quiz_card(screen, "numeric")
        screen.jump_to(card.ref)
        await settle(pilot, app)
        await pilot.pause(0.3)
        screen.action_focus_outline()
        await pilot.press("tab")
        assert app.focused is card.query_one(Input)
        await pilot.press("shift+tab")  # out of the card's own box: on above the card, not stuck on it
        assert app.focused is not card and card not in app.focused.ancestors


async def test_letters_in_a_read_only_box_fire_no_app_key(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="autograd")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        box = quiz_card(screen, "code").query_one(TextArea)
        box.read_only = True  # as while a code answer is checked
        box.focus()
        await pilot.pause()
        theme = app.theme
        await pilot.press(*"nplt/oG?R")
        assert app.screen is screen and app.theme == theme and app.is_running
        assert app.focused is box


async def test_escape_leaves_the_answer_box_and_says_where_focus_went(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="autograd")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        card = quiz_card(app.screen, "numeric")
        app.screen._focus_block(card)
        await pilot.pause()
        assert app.focused is card.query_one(Input)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is card
        for _ in range(100):  # the notice comes after the focus moved; under load that takes a few frames
            if any("答题框" in n.message for n in app._notifications):
                break
            await pilot.pause(0.05)
        assert any("答题框" in n.message for n in app._notifications)
        await pilot.press("n")  # on the card, the lesson's keys work again
        await settle(pilot, app)
        assert app.screen.lesson.id != "autograd"


async def test_tab_onto_a_training_setting_takes_letters_as_text(isolated_data_dir: Path) -> None:
    from d2l_tui.ui.widgets.training_settings import SettingInput

    course = Path(__file__).parent / "fixtures" / "train_course"
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir, lang="en", open_lesson="train")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        panel = app.screen.query_one("TrainingPanel")
        panel.focus()
        await pilot.pause()
        while not isinstance(app.focused, SettingInput):  # Tab from the panel onto its first setting
            await pilot.press("tab")
            assert panel in app.focused.ancestors_with_self
        box = app.focused
        await pilot.press("end", *"snplt")  # s starts a run, n/p change lesson, t the theme: here, text
        assert box.value.endswith("snplt") and panel.view.phase not in ("running", "finished")
        assert app.screen.lesson.id == "train"
