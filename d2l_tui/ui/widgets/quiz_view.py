"""What a quiz card shows: its state from a stored record, the option lines, feedback and actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Input

from d2l_tui.quiz import code_grading
from d2l_tui.quiz.grading import Grade, grade
from d2l_tui.quiz.records import QuizRecord
from d2l_tui.ui.widgets import quiz_predict
from d2l_tui.ui.widgets.quiz_parts import VERDICT_STYLES, AnswerArea, hint_markdown, quiz_markdown

if TYPE_CHECKING:
    from d2l_tui.ui.widgets.quiz_card import QuizCard

ACTION_WORDS = {"check": "check", "hint": "show-hint", "reveal": "reveal", "retry": "retry"}
EXPLAIN_AFTER = 3
"""Graded tries after which the explanation shows even without a right answer."""


def explained(card: QuizCard) -> bool:
    """True once the explanation may show: a right answer, the answer revealed, or the third try."""
    verdict = card.grade
    if card.shown_answer:
        return True
    return verdict is not None and (verdict.outcome == "right" or card.record.attempts >= EXPLAIN_AFTER)


def reveal_offered(card: QuizCard) -> bool:
    """True while showing the answer would tell something new: not revealed, not answered right."""
    return not card.shown_answer and not (card.grade is not None and card.grade.outcome == "right")


def hint_now(card: QuizCard) -> bool:
    """True when the hint shows: as `h` last set it, else after a wrong try that does not explain yet."""
    if card.hint_shown is not None or not card.quiz.hint:
        return bool(card.hint_shown)
    missed = card.grade is not None and card.grade.outcome in ("wrong", "partial")
    return missed and not explained(card)


def apply_record(card: QuizCard, record: QuizRecord, fresh: bool) -> None:
    """Take a stored record: the last answer and its verdict (unless `fresh`), and attempts."""
    if card.quiz.kind == "predict":
        quiz_predict.apply_prediction(card, record, fresh)
        return
    card.record = record
    card.grade, card.notice, card.shown_answer, card.chosen = None, None, False, set()
    answer, kind = record.answer, card.quiz.kind
    if kind == "code" and isinstance(answer, str):
        card.code_text = answer  # shown with its verdict; a new try starts over (Ctrl+Z brings it back)
    card.shown_answer = not fresh and record.revealed
    if fresh or not record.outcome:
        return
    _restore_answer(card, answer)
    # Choice, multi and numeric verdicts are recomputed; a code verdict would need the kernel.
    card.grade = grade(card.quiz, answer, card.lang) if kind != "code" else Grade(record.outcome, "")  # type: ignore[arg-type]


def _restore_answer(card: QuizCard, answer: object) -> None:
    """Put a stored choice, ticks or typed number back on the card (a bad stored value is dropped)."""
    kind, count = card.quiz.kind, len(card.quiz.options)
    if kind == "choice" and isinstance(answer, int) and 0 <= answer < count:
        card.chosen = {answer}
        card.cursor = card.order.index(answer)
    elif kind == "multi" and isinstance(answer, list):
        card.chosen = {i for i in answer if isinstance(i, int) and 0 <= i < count}
    elif kind == "numeric" and isinstance(answer, str):
        card.typed = answer


def option_view(card: QuizCard, position: int) -> tuple[bool, int, str, RenderableType, Text | None]:
    """How the option shown at `position` looks: pointer, number, tick box, text, mark."""
    quiz, index = card.quiz, card.order[position]
    picked = index in card.chosen
    if quiz.kind in ("choice", "predict"):
        box = "(•)" if picked else "( )"
    else:
        box = "[x]" if picked else "[ ]"
    mark = None
    if quiz.kind == "predict":
        mark = quiz_predict.option_mark(card, index)
    elif card.shown_answer and index in quiz.correct:
        mark = Text("✔ " + card.words["answer"], style="green")
    elif card.grade is not None and picked and quiz.kind == "choice":
        mark = Text("✔", style="green") if index in quiz.correct else Text("✘", style="red")
    focused = card.is_mounted and card.screen.focused is card
    pointer = position == card.cursor and focused and not card.locked
    return pointer, position + 1, box, quiz_markdown(quiz.options[index]), mark


def feedback(card: QuizCard) -> RenderableType | None:
    """Verdict, error detail, hint, the answer and the explanation, as far as they show now.

    A wrong try says what is wrong and gives the hint; the explanation (which tells the answer)
    waits for a right answer, a reveal or the third try.
    """
    words, quiz = card.words, card.quiz
    if quiz.kind == "predict":
        return quiz_predict.feedback(card, explained(card))
    parts = verdict_parts(card)
    if hint_now(card):
        parts.append(hint_markdown(quiz.hint, words) if quiz.hint else Text(words["no-hint"], style="italic"))
    if card.shown_answer and quiz.kind in ("numeric", "code"):
        parts.append(answer_renderable(card))
    if explained(card):
        parts.append(quiz_markdown(quiz.explain))
    return Group(*parts) if parts else None


def verdict_parts(card: QuizCard) -> list[RenderableType]:
    """"Checking…", the verdict with its message, or "Answer shown"; then the error's detail."""
    words, verdict = card.words, card.grade or card.notice
    parts: list[RenderableType] = []
    if card.checking:
        seconds = code_grading.ANSWER_TIMEOUT_S
        parts.append(Text(words["checking"].format(seconds=seconds), style="italic"))
    elif verdict is not None:
        line = Text()
        line.append(words[verdict.outcome] + "  ", style=VERDICT_STYLES[verdict.outcome])
        line.append(verdict.message, style="yellow" if verdict.outcome == "invalid" else "")
        parts.append(line)
    elif card.shown_answer:
        parts.append(Text(words["revealed"], style="bold"))
    if card.grade is not None and card.grade.detail:
        parts.append(Text(card.grade.detail.rstrip(), style="dim"))
    return parts


def answer_renderable(card: QuizCard) -> RenderableType:
    """The right answer of a numeric quiz, or the solution of a code quiz."""
    quiz, words = card.quiz, card.words
    if quiz.kind == "code":
        return Group(Text(f"{words['solution']}:", style="bold"),
                     Syntax((quiz.solution or "").rstrip(), "python", theme="monokai", word_wrap=True))
    unit = f" {quiz.unit}" if quiz.unit else ""
    tolerance = quiz.tolerance.describe()
    near = "" if tolerance in ("±0", "exactly") else f" ({tolerance})"
    return Text(f"{words['answer']}: {quiz.answer:g}{unit}{near}", style="bold")


def actions(card: QuizCard) -> list[tuple[str, str]]:
    """The (action, label) pairs the card offers now."""
    shown = {
        "check": not card.locked,
        "hint": bool(card.quiz.hint),
        "reveal": reveal_offered(card),
        "retry": card.locked,
    }
    said = ACTION_WORDS
    if card.quiz.kind == "predict":
        said = dict(ACTION_WORDS, check="commit", retry="change" if card.pending else "retry")
    offered = [(name, card.words[said[name]]) for name, visible in shown.items() if visible]
    # A waiting prediction's first button goes to the panel whose run settles it.
    return [("panel", card.words["to-panel"])] * quiz_predict.goes_to_panel(card) + offered


def keys_line(card: QuizCard) -> str:
    """The keys that choose and check, while the card has focus and waits for an answer."""
    focused = card.is_mounted and card.has_focus_within
    if card.locked or not focused:
        return ""
    kind = card.quiz.kind
    if kind in ("numeric", "code") and card.screen.focused is card:
        return outside_keys(card)
    keys = card.words[f"keys-{kind}"].format(n=min(len(card.order), 9))
    if kind == "code" and card.tried_code:
        keys += "\n" + card.words["keys-undo"]
    return keys


def outside_keys(card: QuizCard) -> str:
    """The keys of a number or code card left with Esc: Enter goes back into an empty box, or checks."""
    numeric = card.quiz.kind == "numeric"
    box = card.query_one("#number", Input).value if numeric else card.query_one(AnswerArea).text
    words = card.words
    keys = [words["keys-outside-full" if box.strip() else "keys-outside-empty"]]
    keys += [words["keys-outside-hint"]] * bool(card.quiz.hint) + [words["keys-outside-reveal"]]
    return " · ".join(keys)
