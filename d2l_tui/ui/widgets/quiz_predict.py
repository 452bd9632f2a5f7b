"""The predict quiz on a card: commit a prediction, wait for a run of its panel, be graded by the run."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from d2l_tui.course.model import Block, Lesson
from d2l_tui.quiz.grading import Grade
from d2l_tui.quiz.messages import say
from d2l_tui.quiz.predict import RunSummary, option_holds, required_settings, settles
from d2l_tui.quiz.predict_grading import (
    committed_answer,
    grade_prediction,
    graded_answer,
    outcome_of_option,
    read_answer,
    settings_said,
    why_unsettled,
)
from d2l_tui.quiz.records import QuizRecord
from d2l_tui.ui.reach import lesson_of
from d2l_tui.ui.widgets.quiz_parts import VERDICT_STYLES, hint_markdown, quiz_markdown

if TYPE_CHECKING:
    from textual.screen import Screen

    from d2l_tui.training.events import FinalEvent
    from d2l_tui.ui.widgets.quiz_card import QuizCard
    from d2l_tui.ui.widgets.training_panel import TrainingPanel


class PredictMixin:
    """What a quiz card does for a predict quiz (mixed into `QuizCard`)."""

    pending = False
    """A prediction is committed and waits for a run of its panel."""
    run: RunSummary | None = None
    """The run that gave the verdict on screen."""
    grade: Grade | None = None
    """The verdict on screen (the card's own attribute, declared for the type checker)."""
    notice: Grade | None = None
    """Why the last answer could not be graded (the card's own attribute, declared likewise)."""

    def commit_prediction(self: Any) -> None:
        """Lock the chosen option in and save it; a run of the panel will grade it."""
        option = next(iter(self.chosen), None)
        if option is None:
            self.notice = Grade("invalid", say(self.lang, "choose-first"))
        else:
            self.pending, self.notice = True, None
            self.record = replace(self.record, answer=committed_answer(option), updated=time.time())
            self._report()
        self.refresh_card()

    def withdraw_prediction(self: Any) -> None:
        """Unlock a committed prediction (and forget it in the record)."""
        self.pending = False
        self.record = replace(self.record, answer=None, updated=time.time())
        self._report()

    def take_run(self: Any, summary: RunSummary, ended: str, step: int | None = None) -> None:
        """A run of some panel ended: grade the waiting prediction if the run settles it, else say why not."""
        data = run_data(self)
        if summary.panel != data.get("panel") or self.shown_answer or self.grade is not None:
            return
        if not self.pending:
            if settles(data, summary) and not self.review:
                self.notice = Grade("invalid", say(self.lang, "predict-first"))
                self.refresh_card()
            return
        why = why_unsettled(data, summary, ended, self.lang)
        if why is not None:
            self.notice = Grade("invalid", why)
            self.refresh_card()
            return
        option = next(iter(self.chosen))
        self.pending, self.run = False, summary
        verdict = grade_prediction(data, option, summary, self.lang, step)
        # Called from the screen's handler, a message posted now would take the screen as its sender
        # and stop bubbling there; from the card's own queue, `Answered` reaches the app to be saved.
        self.call_later(self.graded, graded_answer(option, summary, step), verdict)


def apply_prediction(card: QuizCard, record: QuizRecord, fresh: bool) -> None:
    """Show a stored predict record: a waiting prediction always; a graded one unless `fresh`."""
    card.record = record
    card.grade, card.notice, card.chosen, card.pending, card.run = None, None, set(), False, None
    card.shown_answer = False
    stored = read_answer(card.block.data, record.answer)
    if stored is not None and stored[1] is None:
        card.pending, card.chosen, card.cursor = True, {stored[0]}, card.order.index(stored[0])
        return  # a bet on the table shows everywhere, review included
    card.shown_answer = not fresh and record.revealed
    if fresh or stored is None or not record.outcome:
        return
    option, summary, step = stored
    assert summary is not None
    card.chosen, card.cursor, card.run = {option}, card.order.index(option), summary
    card.grade = grade_prediction(card.block.data, option, summary, card.lang, step)


def option_mark(card: QuizCard, index: int) -> Text | None:
    """After a run: ✔ or ✘ on the chosen option, and which other options the run bore out."""
    if card.run is None or card.grade is None:
        return None
    holds = option_holds(outcome_of_option(card.block.data, index), card.run)
    if index in card.chosen:
        return Text("✔", style="green") if holds else Text("✘", style="red")
    return Text("✔ " + card.words["happened"], style="green") if holds else None


def feedback(card: QuizCard, explain: bool) -> RenderableType | None:
    """Hint, the waiting prediction, the verdict with what the run did, and the explanation if `explain`.

    `explain` follows the other kinds' rule: a right answer, a reveal or the third try.
    """
    words = card.words
    parts: list[RenderableType] = []
    if card.hint_shown:
        hint = card.quiz.hint
        parts.append(hint_markdown(hint, words) if hint else Text(words["no-hint"], style="italic"))
    if card.pending:
        parts.append(Text(committed_text(card), style="bold"))
    verdict = card.grade or card.notice
    if verdict is not None:
        line = Text()
        line.append(words[verdict.outcome] + "  ", style=VERDICT_STYLES[verdict.outcome])
        line.append(verdict.message, style="yellow" if verdict.outcome == "invalid" else "")
        parts.append(line)
    elif card.shown_answer:
        parts.append(Text.assemble((words["revealed"], "bold"), "  ", words["run-it"]))
    if explain:
        parts.append(quiz_markdown(card.quiz.explain))
    return Group(*parts) if parts else None


def run_data(card: QuizCard) -> dict[str, Any]:
    """The quiz's data with every setting a grading run must use: the panel's lesson settings plus the quiz's."""
    data = card.block.data
    panel = _panel(_lesson(card), data.get("panel"))
    return {**data, "settings": required_settings(data, panel.data if panel else None)}


def _lesson(card: QuizCard) -> Lesson | None:
    return card.home or lesson_of(card)


def _panel(lesson: Lesson | None, name: Any) -> Block | None:
    blocks = lesson.blocks if lesson else []
    return next((b for b in blocks if b.type == "train" and b.data.get("id") == name), None)


def _where(card: QuizCard) -> tuple[str, str]:
    """Where the panel is from the card (above, below, or in another lesson) and its title."""
    lesson = _lesson(card)
    panel = _panel(lesson, card.block.data.get("panel"))
    title = str((panel.data.get("title") if panel else None) or card.block.data.get("panel"))
    if card.review or lesson is None or panel is None:
        return "in-lesson", title
    blocks = lesson.blocks
    above = card.block not in blocks or blocks.index(panel) < blocks.index(card.block)
    return ("above" if above else "below"), title


def about_text(card: QuizCard) -> Text:
    """The run the prediction is about: `About a run of the panel “…” above with lr = 3.`"""
    words, settings = card.words, run_data(card)["settings"]
    where, title = _where(card)
    lesson = _lesson(card)
    place = words[where].format(lesson=lesson.title if lesson else "")
    said = words["about-with"].format(settings=settings_said(settings)) if settings else ""
    text = Text(words["about"].format(title=title, where=place, using=said), style="italic")
    if card.review:
        text.append(words["about-review"])
    return text


def committed_text(card: QuizCard) -> str:
    """What to do now a prediction is committed: which panel to run, with which settings, by which keys."""
    words, settings = card.words, run_data(card)["settings"]
    run_with = words["run-with"].format(settings=settings_said(settings)) if settings else ""
    where, _title = _where(card)
    if where == "in-lesson":
        return words["committed-review"].format(using=run_with)
    set_word = "" if not settings else words["set-value" if len(settings) == 1 else "set-values"]
    how = words["how"].format(set=set_word)
    return words["committed"].format(using=run_with, where=words[where], how=how)


def goes_to_panel(card: QuizCard) -> bool:
    """True while a committed prediction waits for a run of a panel in the card's own lesson (`g` goes there)."""
    return card.pending and _where(card)[0] != "in-lesson"


def panel_of(card: QuizCard) -> TrainingPanel | None:
    """The mounted panel the card's prediction is about, on the card's screen."""
    from d2l_tui.ui.widgets.training_panel import TrainingPanel

    name = card.block.data.get("panel")
    return next((panel for panel in card.screen.query(TrainingPanel) if panel.key == name), None)


async def go_to_panel(card: QuizCard) -> None:
    """Focus the panel a prediction waits for, in view and filled with the run's settings: Enter trains it.

    A panel far below may not be mounted yet (a lesson mounts in batches after its first paint).
    """
    from d2l_tui.ui.screens.lesson import LessonScreen

    screen = card.screen
    panel = panel_of(card)
    if panel is None and isinstance(screen, LessonScreen):
        await screen.mount_all_now()
        panel = panel_of(card)
    if panel is None:
        return
    # The card's settings again: committing another card's prediction (or typing) may have changed them.
    panel.take_settings(run_data(card)["settings"])
    if panel.size:
        _show_panel(panel)
    else:  # just mounted: placed at the next refresh
        panel.call_after_refresh(_show_panel, panel)


def _show_panel(panel: TrainingPanel) -> None:
    """Scroll the panel's top into view unless it is all on screen, then focus it (not the other way:
    focus first would scroll to center it, and focus on a block out of view does not stay)."""
    screen = panel.screen
    if not screen.can_view_entire(panel):
        screen.scroll_to_widget(panel, animate=False, top=True, immediate=True)
    panel.focus(scroll_visible=False)


def relay_run_end(screen: Screen[Any], panel: TrainingPanel, final: FinalEvent) -> None:
    """Hand a run that ended on `panel` to every predict quiz card of `screen`."""
    from d2l_tui.training.events import Diverged, Finished
    from d2l_tui.training.loss_surface import path_bending
    from d2l_tui.training.models import ModelFinished
    from d2l_tui.ui.widgets.quiz_card import QuizCard

    record = final.record
    # The run's own settings (the panel's fields may have changed while it ran).
    settings = dict(record.settings)
    losses = final.epoch_losses if isinstance(final, Finished) else record.epoch_losses
    # A classifier's run (the models engine's ModelFinished) settles predictions of its test accuracy.
    epochs = final.epochs if isinstance(final, ModelFinished) else ()
    summary = RunSummary(
        panel=panel.key, settings=settings, diverged=isinstance(final, Diverged),
        final_loss=losses[-1] if losses else None,
        completed=isinstance(final, (Finished, ModelFinished)),
        path_bending=path_bending(panel.view.path) if len(panel.view.path) > 1 else None,
        test_acc=epochs[-1].test_acc if epochs else None,
        test_loss=epochs[-1].test_loss if epochs else None,
    )
    ended = record.outcome
    step = final.step if isinstance(final, Diverged) else None
    for card in screen.query(QuizCard):
        if card.quiz.kind == "predict":
            card.take_run(summary, ended, step)
