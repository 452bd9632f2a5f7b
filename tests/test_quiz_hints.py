"""Hints before answers, Markdown in hints and options, `h` only where a hint exists, a code try that starts over."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from d2l_tui.progress import ProgressStore
from d2l_tui.quiz.records import QuizRecord
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.quiz_parts import AnswerArea, OptionLine, quiz_markdown
from test_quiz_app import settle, shown, tab_to, verdict

COURSE = Path(__file__).parent / "fixtures" / "quiz_course"
NBSP = "\u00a0"


def new_app(data_dir: Path, lang: str = "en") -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang=lang, open_lesson="hints")


def cards(app: TutorApp) -> dict[str, QuizCard]:
    return {card.quiz.id: card for card in app.screen.query(QuizCard)}


def footer_keys(app: TutorApp) -> set[str]:
    """The keys the Footer offers now (bindings whose check_action does not hide them)."""
    return {
        key
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_a_wrong_number_gets_the_hint_and_the_explanation_waits_for_the_third_try(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        number = cards(app)["hints-number"]
        await tab_to(pilot, app, number)
        await pilot.press("1", "3", "enter")
        said = verdict(number)
        assert number.grade.outcome == "wrong" and "13 is too high" in said
        # The hint, as Markdown: no backticks, brackets kept; neither the explanation nor the value.
        assert (
            "Hint:" in said and "autograd.record()" in said and "x[0]" in said and "x[11]" in said
        )
        assert (
            "`" not in said
            and "*" not in said
            and "twelve" not in said
            and "Answer: 12" not in said
        )
        await pilot.press("r", "1", "1", "enter")
        assert "twelve" not in verdict(number) and "Hint:" in verdict(number)
        assert app.focused is number
        await pilot.press("h")  # h hides the hint it showed
        assert "Hint:" not in verdict(number)
        await pilot.press("r", "1", "0", "enter")
        said = verdict(number)
        assert number.record.attempts == 3 and "twelve" in said  # the third try explains


async def test_a_right_answer_explains_and_h_is_offered_only_where_a_hint_exists(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        quiz = cards(app)
        choice, code = quiz["hints-choice"], quiz["hints-code"]
        await tab_to(pilot, app, choice)
        assert app.focused is choice and "h" not in footer_keys(app) and "s" in footer_keys(app)
        lines = {line.position: shown(line) for line in choice.query(OptionLine)}
        assert any(
            "param[:] = param - lr * param.grad / batch_size" in text.replace(NBSP, " ")
            for text in lines.values()
        )
        assert not any("`" in text for text in lines.values())
        await pilot.press(str(choice.order.index(0) + 1), "enter")
        assert choice.grade.outcome == "right" and "takes a step against the gradient" in verdict(
            choice
        )
        await tab_to(pilot, app, code)
        assert "Esc leaves the box" in shown(code.query_one("#actions"))
        await pilot.press("escape")
        assert app.focused is code and "h" in footer_keys(app)
        # The box holds the starter: Enter on the card checks it.
        assert "Enter checks your answer · h hint · s shows the answer" in shown(code.query_one("#actions"))


async def test_a_new_code_try_starts_from_the_starter_and_ctrl_z_brings_the_tried_code_back(
    isolated_data_dir: Path,
) -> None:
    # A wrong code answer from an earlier session (checking code needs a kernel, not tested here).
    store = ProgressStore.open(isolated_data_dir)
    tried = "nd.arange(12).reshape((4, 3))"
    store.quizzes["hints-code"] = QuizRecord(attempts=1, answer=tried, outcome="wrong").to_json()
    assert store.save()
    app = new_app(isolated_data_dir, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        code = cards(app)["hints-code"]
        area = code.query_one(AnswerArea)
        assert code.grade is not None and code.grade.outcome == "wrong" and area.text == tried
        said = verdict(code)
        assert (
            "提示：" in said
            and "*" not in said
            and "nd.arange(12)" in said
            and "就是这个矩阵" not in said
        )
        await tab_to(pilot, app, code)
        if app.focused is not code:
            await pilot.press("escape")
        await pilot.press("r")
        assert area.text == "nd.arange(12)" and not area.read_only and app.focused is area
        assert area.cursor_location == area.document.end
        assert "Ctrl+Z 找回" in shown(code.query_one("#actions"))
        await pilot.press("ctrl+z")
        assert area.text == tried  # the learner's try is never lost


def test_inline_code_wraps_as_a_whole_when_it_fits_on_the_next_line() -> None:
    import d2l_tui.ui.app  # noqa: F401  (installs the app's wrapping)

    console = Console(width=40, file=io.StringIO(), record=True)
    console.print(quiz_markdown("Each step runs `param[:] = param - lr * param.grad` once."))
    lines = [line.replace(NBSP, " ").rstrip() for line in console.export_text().splitlines()]
    assert any("param[:] = param - lr * param.grad" in line for line in lines), lines


async def test_no_letter_of_the_card_fires_from_inside_its_read_only_code_box(
    isolated_data_dir: Path,
) -> None:
    store = ProgressStore.open(isolated_data_dir)
    store.quizzes["hints-code"] = QuizRecord(
        attempts=1, answer="nd.arange(12)", outcome="wrong"
    ).to_json()
    assert store.save()
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        code = cards(app)["hints-code"]
        area = code.query_one(AnswerArea)
        area.focus()
        await pilot.pause()
        assert area.read_only and app.focused is area
        await pilot.press("s", "r", "h", "n")
        assert not code.shown_answer and code.grade is not None and not code.record.revealed
        assert code.hint_shown is None and app.screen is not None and code.is_attached
        assert area.text == "nd.arange(12)"
